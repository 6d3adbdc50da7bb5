-- 0011_plans_signals: plan versions uploaded in the product, and suspected
-- concealment (瞒报) marks on incidents.
--
-- One row per uploaded version of a plan; exactly one active per plan (the
-- partial unique index), the others superseded. sm3 is the hex SM3 digest
-- of yaml.
CREATE TABLE plan_versions (
    id          {{ID}},
    plan_id     TEXT NOT NULL,
    version     INTEGER NOT NULL,
    yaml        TEXT NOT NULL,
    sm3         TEXT NOT NULL,
    uploaded_by BIGINT NOT NULL DEFAULT 0,
    uploaded_at BIGINT NOT NULL,
    state       TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    UNIQUE (plan_id, version)
);
CREATE UNIQUE INDEX plan_versions_active ON plan_versions (plan_id) WHERE state = 'active';

-- An incident opened by monitoring or by an office for a unit that had not
-- reported it by the deadline: at most one mark per incident. Counted per
-- unit over a window through (unit_org_id, marked_at).
CREATE TABLE incident_concealment (
    incident_id BIGINT PRIMARY KEY REFERENCES incidents (id) ON DELETE CASCADE,
    unit_org_id BIGINT NOT NULL REFERENCES orgs (id),
    reason      TEXT NOT NULL,
    marked_at   BIGINT NOT NULL,
    marked_by   BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX incident_concealment_unit ON incident_concealment (unit_org_id, marked_at);

-- Reporting signals count the report and forward duties of a window by
-- state: (kind, state, due_at) reads exactly those, a few ranges bounded by
-- the window, where (state, due_at) would also walk every task and
-- improvement of the window and (kind, subject_id) every report duty ever.
CREATE INDEX obligations_kind_due ON obligations (kind, state, due_at);
