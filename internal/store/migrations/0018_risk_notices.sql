-- 0018_risk_notices: risk notices (网络安全风险通报) about a component with
-- affected version ranges, and the units they reached. Each target's answer
-- (affected / not affected) is an obligation (kind 'risk_notice',
-- subject_id = the notice, rule_id = the target) due the notice's deadline,
-- so the one scheduler reminds and escalates a unit that does not answer.
CREATE TABLE risk_notices (
    id           {{ID}},
    org_id       BIGINT NOT NULL REFERENCES orgs (id),
    title        TEXT NOT NULL,
    vendor       TEXT NOT NULL DEFAULT '',
    product      TEXT NOT NULL,
    product_key  TEXT NOT NULL,
    ranges       TEXT NOT NULL,
    ref_ids      TEXT NOT NULL DEFAULT '[]',
    description  TEXT NOT NULL DEFAULT '',
    measures     TEXT NOT NULL DEFAULT '',
    severity     TEXT NOT NULL,
    rectify_days INTEGER NOT NULL,
    due_at       BIGINT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'active',
    created_by   BIGINT NOT NULL DEFAULT 0,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
-- An office's notices, newest first.
CREATE INDEX risk_notices_org ON risk_notices (org_id, created_at, id);

CREATE TABLE risk_notice_targets (
    id            {{ID}},
    notice_id     BIGINT NOT NULL REFERENCES risk_notices (id) ON DELETE CASCADE,
    org_id        BIGINT NOT NULL REFERENCES orgs (id),
    org_name      TEXT NOT NULL DEFAULT '',
    matches       TEXT NOT NULL DEFAULT '[]',
    answer        TEXT NOT NULL DEFAULT '',
    answer_note   TEXT NOT NULL DEFAULT '',
    answered_by   TEXT NOT NULL DEFAULT '',
    answered_at   BIGINT NOT NULL DEFAULT 0,
    finding_ids   TEXT NOT NULL DEFAULT '[]',
    obligation_id BIGINT NOT NULL DEFAULT 0,
    UNIQUE (notice_id, org_id)
);
-- A unit's notices, newest first (the unit's list).
CREATE INDEX risk_notice_targets_org ON risk_notice_targets (org_id, notice_id);
