-- 0019_exposure_checks: exposure checks (issue 12, item 5). A run tries
-- every registered address of one system on the high-risk ports of the
-- office's policy by TCP connect; each connect is a result row, kept as the
-- history of that address and port. An open high-risk port raises a
-- finding (findings, 0016), linked by finding_id.
CREATE TABLE exposure_runs (
    id             {{ID}},
    org_id         BIGINT NOT NULL REFERENCES orgs (id),
    system_id      BIGINT NOT NULL,
    cause          TEXT NOT NULL,
    vantage        TEXT NOT NULL DEFAULT 'server',
    state          TEXT NOT NULL,
    addresses      INTEGER NOT NULL DEFAULT 0,
    probes         INTEGER NOT NULL DEFAULT 0,
    open_high_risk INTEGER NOT NULL DEFAULT 0,
    refused        TEXT NOT NULL DEFAULT '[]',
    error          TEXT NOT NULL DEFAULT '',
    created_by     BIGINT NOT NULL DEFAULT 0,
    started_at     BIGINT NOT NULL,
    finished_at    BIGINT NOT NULL
);
-- A system's runs, newest first; a unit's (or per unit of a subtree, an
-- office's) runs, newest first.
CREATE INDEX exposure_runs_system ON exposure_runs (system_id, id);
CREATE INDEX exposure_runs_org ON exposure_runs (org_id, id);

CREATE TABLE exposure_results (
    id         {{ID}},
    run_id     BIGINT NOT NULL REFERENCES exposure_runs (id) ON DELETE CASCADE,
    org_id     BIGINT NOT NULL,
    system_id  BIGINT NOT NULL,
    target     TEXT NOT NULL,
    address    TEXT NOT NULL,
    port       INTEGER NOT NULL,
    state      TEXT NOT NULL,
    high_risk  INTEGER NOT NULL DEFAULT 0,
    finding_id BIGINT NOT NULL DEFAULT 0,
    latency_ms BIGINT NOT NULL DEFAULT 0,
    error      TEXT NOT NULL DEFAULT '',
    at         BIGINT NOT NULL
);
-- A run's results; the history of one registered target and port.
CREATE INDEX exposure_results_run ON exposure_results (run_id, id);
CREATE INDEX exposure_results_history ON exposure_results (system_id, target, port, id);

-- When each system with registered exposure is next checked. The checker
-- claims due rows by moving next_due_at forward (a lease), so a crash
-- loses nothing and replicas claim disjoint systems.
CREATE TABLE exposure_schedule (
    system_id   BIGINT PRIMARY KEY,
    org_id      BIGINT NOT NULL,
    next_due_at BIGINT NOT NULL
);
CREATE INDEX exposure_schedule_due ON exposure_schedule (next_due_at, system_id);
