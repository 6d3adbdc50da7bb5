-- 0017_inspections: inspection checklists uploaded by offices (numbered
-- versions of one id), campaigns that send a checklist to the units of a
-- scope, the units reached and their answers. A unit's duty to answer by
-- the window's end is an obligation (kind 'inspection', subject_id = the
-- campaign); a non-compliant answer links the finding it raised.
CREATE TABLE checklist_versions (
    id           {{ID}},
    checklist_id TEXT NOT NULL,
    version      INTEGER NOT NULL,
    label        TEXT NOT NULL,
    title        TEXT NOT NULL,
    yaml         TEXT NOT NULL,
    sm3          TEXT NOT NULL,
    org_id       BIGINT NOT NULL REFERENCES orgs (id),
    uploaded_by  BIGINT NOT NULL DEFAULT 0,
    uploaded_at  BIGINT NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    UNIQUE (checklist_id, version)
);

CREATE TABLE inspection_campaigns (
    id                {{ID}},
    org_id            BIGINT NOT NULL REFERENCES orgs (id),
    kind              TEXT NOT NULL,
    title             TEXT NOT NULL,
    checklist_id      TEXT NOT NULL,
    checklist_version TEXT NOT NULL,
    checklist_yaml    TEXT NOT NULL,
    scope             TEXT NOT NULL DEFAULT '{}',
    starts_at         BIGINT NOT NULL,
    due_at            BIGINT NOT NULL,
    state             TEXT NOT NULL DEFAULT 'open',
    created_by        BIGINT NOT NULL DEFAULT 0,
    created_at        BIGINT NOT NULL
);
-- Newest first, across the viewer's scope: the list reads campaigns in
-- (created_at, id) order and checks issuer and targets by index.
CREATE INDEX inspection_campaigns_created ON inspection_campaigns (created_at, id);
CREATE INDEX inspection_campaigns_org ON inspection_campaigns (org_id, created_at);

CREATE TABLE inspection_targets (
    id            {{ID}},
    campaign_id   BIGINT NOT NULL REFERENCES inspection_campaigns (id) ON DELETE CASCADE,
    org_id        BIGINT NOT NULL REFERENCES orgs (id),
    reason        TEXT NOT NULL DEFAULT '',
    obligation_id BIGINT NOT NULL DEFAULT 0,
    submitted_at  BIGINT NOT NULL DEFAULT 0,
    submitted_by  BIGINT NOT NULL DEFAULT 0,
    UNIQUE (campaign_id, org_id)
);
CREATE INDEX inspection_targets_org ON inspection_targets (org_id, campaign_id);

CREATE TABLE inspection_answers (
    id          {{ID}},
    campaign_id BIGINT NOT NULL REFERENCES inspection_campaigns (id) ON DELETE CASCADE,
    org_id      BIGINT NOT NULL REFERENCES orgs (id),
    item_id     TEXT NOT NULL,
    answer      TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    evidence    TEXT NOT NULL DEFAULT '',
    system_id   BIGINT NOT NULL DEFAULT 0,
    finding_id  BIGINT NOT NULL DEFAULT 0,
    answered_by BIGINT NOT NULL DEFAULT 0,
    answered_at BIGINT NOT NULL,
    UNIQUE (campaign_id, org_id, item_id)
);
