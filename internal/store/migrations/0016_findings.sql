-- 0016_findings: the findings (隐患) ledger. A finding belongs to a unit
-- (org_id) and optionally one of its systems; key names "the same finding"
-- from one source, and at most one active (not closed) finding exists per
-- (org_id, system_id, finding_key): raising it again counts an occurrence.
-- The rectification deadline is an obligation (kind 'finding', subject_id =
-- the finding, incident_id 0), so the one scheduler reminds and escalates it.
CREATE TABLE findings (
    id             {{ID}},
    org_id         BIGINT NOT NULL REFERENCES orgs (id),
    system_id      BIGINT NOT NULL DEFAULT 0,
    source         TEXT NOT NULL,
    source_ref     TEXT NOT NULL DEFAULT '',
    finding_key    TEXT NOT NULL,
    title          TEXT NOT NULL,
    detail         TEXT NOT NULL DEFAULT '',
    severity       TEXT NOT NULL,
    state          TEXT NOT NULL DEFAULT 'open',
    due_at         BIGINT NOT NULL DEFAULT 0,
    owner_user_id  BIGINT NOT NULL DEFAULT 0,
    occurrences    INTEGER NOT NULL DEFAULT 1,
    first_seen_at  BIGINT NOT NULL,
    last_seen_at   BIGINT NOT NULL,
    obligation_id  BIGINT NOT NULL DEFAULT 0,
    accepted_until BIGINT NOT NULL DEFAULT 0,
    accept_reason  TEXT NOT NULL DEFAULT '',
    created_by     BIGINT NOT NULL DEFAULT 0,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    closed_at      BIGINT NOT NULL DEFAULT 0,
    closed_by      BIGINT NOT NULL DEFAULT 0
);
-- One active finding per unit, system and key: the merge rule, held by the
-- engine so two raises at once cannot both insert.
CREATE UNIQUE INDEX findings_active_key ON findings (org_id, system_id, finding_key) WHERE state <> 'closed';
-- A unit's (or, per unit of a subtree, an office's) ledger: by state, then
-- soonest due; newest first for the all-states list; expiring acceptances.
CREATE INDEX findings_org_state ON findings (org_id, state, due_at, id);
CREATE INDEX findings_org_created ON findings (org_id, created_at, id);
CREATE INDEX findings_accepted ON findings (accepted_until, id) WHERE state = 'accepted';
CREATE INDEX findings_source ON findings (source, source_ref, id);

-- finding_scope says which organisations see a finding: every ancestor
-- (itself included) of its unit, with the columns the lists and the board
-- filter, order and count on, so an office's list or board is one range of
-- one index (like incident_scope, 0005). The store keeps it in step (create,
-- update, org move, restore); it is derived data, rebuilt from findings.
CREATE TABLE finding_scope (
    org_id        BIGINT NOT NULL,
    finding_id    BIGINT NOT NULL REFERENCES findings (id) ON DELETE CASCADE,
    unit_id       BIGINT NOT NULL,
    state         TEXT NOT NULL,
    severity      TEXT NOT NULL,
    source        TEXT NOT NULL,
    due_at        BIGINT NOT NULL,
    first_seen_at BIGINT NOT NULL,
    created_at    BIGINT NOT NULL,
    closed_at     BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (finding_id, org_id)
);
CREATE INDEX finding_scope_list ON finding_scope (org_id, due_at, finding_id);
CREATE INDEX finding_scope_state ON finding_scope (org_id, state, due_at, finding_id);
CREATE INDEX finding_scope_severity ON finding_scope (org_id, severity, due_at, finding_id);
CREATE INDEX finding_scope_source ON finding_scope (org_id, source, due_at, finding_id);
CREATE INDEX finding_scope_unit ON finding_scope (org_id, unit_id, state);

-- A finding's history: raised, seen again, state changes with reasons,
-- comments, evidence.
CREATE TABLE finding_events (
    id          {{ID}},
    finding_id  BIGINT NOT NULL REFERENCES findings (id) ON DELETE CASCADE,
    user_id     BIGINT NOT NULL DEFAULT 0,
    user_name   TEXT NOT NULL DEFAULT '',
    kind        TEXT NOT NULL,
    state       TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL DEFAULT '',
    evidence_id BIGINT NOT NULL DEFAULT 0,
    at          BIGINT NOT NULL
);
CREATE INDEX finding_events_finding ON finding_events (finding_id, id);

-- Rectification evidence, stored like incident evidence (files outside any
-- served path under storage_key, SM3 digest).
CREATE TABLE finding_evidence (
    id           {{ID}},
    finding_id   BIGINT NOT NULL REFERENCES findings (id) ON DELETE CASCADE,
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    sm3          TEXT NOT NULL,
    storage_key  TEXT NOT NULL UNIQUE,
    note         TEXT NOT NULL DEFAULT '',
    uploaded_by  BIGINT NOT NULL DEFAULT 0,
    uploaded_at  BIGINT NOT NULL
);
CREATE INDEX finding_evidence_finding ON finding_evidence (finding_id, id);
