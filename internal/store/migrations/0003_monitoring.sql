-- 0003_monitoring: website monitors of registered systems, their check
-- history and the alerts they raise. Times are unix ms UTC; JSON is TEXT.

CREATE TABLE monitors (
    id                 {{ID}},
    system_id          BIGINT NOT NULL REFERENCES systems (id) ON DELETE CASCADE,
    url                TEXT NOT NULL,
    checks             TEXT NOT NULL DEFAULT '["availability","content"]',
    interval_s         INTEGER NOT NULL DEFAULT 300,
    enabled            INTEGER NOT NULL DEFAULT 1,
    next_due_at        BIGINT NOT NULL,
    status             TEXT NOT NULL DEFAULT '',
    last_checked_at    BIGINT NOT NULL DEFAULT 0,
    last_latency_ms    INTEGER NOT NULL DEFAULT 0,
    last_error         TEXT NOT NULL DEFAULT '',
    down_since         BIGINT NOT NULL DEFAULT 0,
    baseline           TEXT NOT NULL DEFAULT '',
    baseline_snapshots INTEGER NOT NULL DEFAULT 0,
    pending            TEXT NOT NULL DEFAULT '',
    resolvers          TEXT NOT NULL DEFAULT '[]',
    dns_baseline       TEXT NOT NULL DEFAULT '',
    tls_baseline       TEXT NOT NULL DEFAULT '',
    -- How many vantage points (this server and remote probes) must see a
    -- failure before an outage starts; 1 trusts this server alone.
    agreement          INTEGER NOT NULL DEFAULT 1,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);
CREATE INDEX monitors_due ON monitors (enabled, next_due_at);
CREATE INDEX monitors_system ON monitors (system_id);

CREATE TABLE monitor_results (
    id          {{ID}},
    monitor_id  BIGINT NOT NULL REFERENCES monitors (id) ON DELETE CASCADE,
    at          BIGINT NOT NULL,
    ok          INTEGER NOT NULL,
    http_status INTEGER NOT NULL DEFAULT 0,
    latency_ms  INTEGER NOT NULL DEFAULT 0,
    error       TEXT NOT NULL DEFAULT '',
    verdict     TEXT NOT NULL DEFAULT '',
    findings    TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX monitor_results_monitor ON monitor_results (monitor_id, at);

CREATE TABLE monitor_alerts (
    id          {{ID}},
    monitor_id  BIGINT NOT NULL REFERENCES monitors (id) ON DELETE CASCADE,
    system_id   BIGINT NOT NULL,
    kind        TEXT NOT NULL,
    source      TEXT NOT NULL,
    first_seen  BIGINT NOT NULL,
    last_seen   BIGINT NOT NULL,
    count       INTEGER NOT NULL DEFAULT 1,
    status      TEXT NOT NULL DEFAULT 'open',
    findings    TEXT NOT NULL DEFAULT '[]',
    incident_id BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX monitor_alerts_source ON monitor_alerts (source, status);

-- Remote probes: fenghuo probe agents in other networks (vantage points).
CREATE TABLE probes (
    id         {{ID}},
    name       TEXT NOT NULL,
    network    TEXT NOT NULL DEFAULT '',
    token_hash TEXT NOT NULL UNIQUE,
    last_seen  BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

CREATE TABLE probe_results (
    id         {{ID}},
    monitor_id BIGINT NOT NULL REFERENCES monitors (id) ON DELETE CASCADE,
    probe_id   BIGINT NOT NULL REFERENCES probes (id) ON DELETE CASCADE,
    at         BIGINT NOT NULL,
    ok         INTEGER NOT NULL,
    error      TEXT NOT NULL DEFAULT '',
    latency_ms INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX probe_results_monitor ON probe_results (monitor_id, at);
