-- 0024_exposure_probes: exposure checks from remote probes as well as from
-- the server (issue 12 item 5, "from the server or from probes"). The
-- server plans the connects of a check (the closed set of registered
-- addresses and ports) and hands each probe the policy names a work item
-- holding that plan; the probe connects and posts results, which the
-- server accepts only for the plan it handed out.

-- Which vantage point (the server, or a probe by name) saw a result; a
-- port's previous state is compared within the same vantage.
ALTER TABLE exposure_results ADD COLUMN vantage TEXT NOT NULL DEFAULT 'server';
CREATE INDEX exposure_results_vantage ON exposure_results (system_id, target, port, vantage, run_id);

-- A check asked for in the console is queued (due now) and run by the
-- checker; requested_by is who asked, 0 when none is waiting.
ALTER TABLE exposure_schedule ADD COLUMN requested_by BIGINT NOT NULL DEFAULT 0;
ALTER TABLE exposure_schedule ADD COLUMN requested_at BIGINT NOT NULL DEFAULT 0;

-- One pending check of one system for one probe. A probe claims its work
-- by moving lease_until forward; work not reported before the lease ends
-- is handed out again, so a probe that dies loses nothing. A newer plan
-- for the same system and probe replaces one not under lease.
CREATE TABLE exposure_probe_work (
    id          {{ID}},
    probe_id    BIGINT NOT NULL REFERENCES probes (id) ON DELETE CASCADE,
    system_id   BIGINT NOT NULL,
    org_id      BIGINT NOT NULL,
    cause       TEXT NOT NULL,
    created_by  BIGINT NOT NULL DEFAULT 0,
    plan        TEXT NOT NULL,
    refused     TEXT NOT NULL DEFAULT '[]',
    addresses   INTEGER NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL,
    lease_until BIGINT NOT NULL DEFAULT 0,
    claims      INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX exposure_probe_work_system ON exposure_probe_work (system_id, probe_id);
CREATE INDEX exposure_probe_work_claim ON exposure_probe_work (probe_id, lease_until, id);
