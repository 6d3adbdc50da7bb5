-- 0001_core: the platform core. Released migrations are never edited; add a
-- new numbered file instead. {{ID}} is the engine's auto-assigned 64-bit
-- primary key (dialect.go). Times are unix milliseconds UTC (audit: micro-
-- seconds), booleans INTEGER 0/1, lists JSON text.

CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE orgs (
    id             {{ID}},
    parent_id      BIGINT REFERENCES orgs (id),
    path           TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    short_name     TEXT NOT NULL DEFAULT '',
    level          TEXT NOT NULL,
    type           TEXT NOT NULL,
    sector         TEXT NOT NULL DEFAULT '',
    operator_type  TEXT NOT NULL DEFAULT 'other',
    region_code    TEXT NOT NULL DEFAULT '',
    liaison_name   TEXT NOT NULL DEFAULT '',
    liaison_title  TEXT NOT NULL DEFAULT '',
    liaison_mobile TEXT NOT NULL DEFAULT '',
    duty_phone     TEXT NOT NULL DEFAULT '',
    fax            TEXT NOT NULL DEFAULT '',
    report_email   TEXT NOT NULL DEFAULT '',
    address        TEXT NOT NULL DEFAULT '',
    plan_ids       TEXT NOT NULL DEFAULT '[]',
    plan_roles     TEXT NOT NULL DEFAULT '[]',
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX orgs_parent ON orgs (parent_id);

CREATE TABLE systems (
    id                 {{ID}},
    org_id             BIGINT NOT NULL REFERENCES orgs (id),
    name               TEXT NOT NULL,
    department         TEXT NOT NULL DEFAULT '',
    responsible_person TEXT NOT NULL DEFAULT '',
    responsible_phone  TEXT NOT NULL DEFAULT '',
    protection_level   INTEGER NOT NULL DEFAULT 0 CHECK (protection_level BETWEEN 0 AND 5),
    cii                INTEGER NOT NULL DEFAULT 0,
    key_kinds          TEXT NOT NULL DEFAULT '[]',
    description        TEXT NOT NULL DEFAULT '',
    status             TEXT NOT NULL DEFAULT 'active',
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    version            INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX systems_org ON systems (org_id);

CREATE TABLE system_exposures (
    system_id BIGINT NOT NULL REFERENCES systems (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    kind      TEXT NOT NULL,
    value     TEXT NOT NULL,
    note      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (system_id, position)
);
CREATE INDEX system_exposures_value ON system_exposures (value);

CREATE TABLE system_components (
    system_id BIGINT NOT NULL REFERENCES systems (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    name      TEXT NOT NULL,
    name_key  TEXT NOT NULL,
    version   TEXT NOT NULL DEFAULT '',
    vendor    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (system_id, position)
);
CREATE INDEX system_components_name ON system_components (name_key);

CREATE TABLE users (
    id                  {{ID}},
    org_id              BIGINT NOT NULL REFERENCES orgs (id),
    username            TEXT NOT NULL,
    username_key        TEXT NOT NULL UNIQUE,
    display_name        TEXT NOT NULL DEFAULT '',
    email               TEXT NOT NULL DEFAULT '',
    mobile              TEXT NOT NULL DEFAULT '',
    roles               TEXT NOT NULL DEFAULT '[]',
    password_hash       TEXT NOT NULL DEFAULT '',
    totp_secret_sealed  TEXT NOT NULL DEFAULT '',
    totp_enabled        INTEGER NOT NULL DEFAULT 0,
    totp_last_step      BIGINT NOT NULL DEFAULT 0,
    disabled            INTEGER NOT NULL DEFAULT 0,
    must_enroll_totp    INTEGER NOT NULL DEFAULT 0,
    locale              TEXT NOT NULL DEFAULT 'zh',
    password_changed_at BIGINT NOT NULL DEFAULT 0,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    version             INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX users_org ON users (org_id);

CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    ip           TEXT NOT NULL DEFAULT '',
    user_agent   TEXT NOT NULL DEFAULT '',
    stage        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id           {{ID}},
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    scopes       TEXT NOT NULL DEFAULT '[]',
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL DEFAULT 0,
    last_used_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- Keyed by the lower-cased name as typed, so unknown names are throttled
-- exactly like real ones.
CREATE TABLE login_attempts (
    username_key TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL DEFAULT 0,
    last_failure BIGINT NOT NULL DEFAULT 0,
    locked_until BIGINT NOT NULL DEFAULT 0
);

-- No foreign keys: the audit log outlives what it describes.
CREATE TABLE audit_entries (
    seq         BIGINT PRIMARY KEY,
    at_us       BIGINT NOT NULL,
    actor_id    BIGINT NOT NULL DEFAULT 0,
    actor_name  TEXT NOT NULL DEFAULT '',
    org_id      BIGINT NOT NULL DEFAULT 0,
    action      TEXT NOT NULL,
    object_type TEXT NOT NULL DEFAULT '',
    object_id   TEXT NOT NULL DEFAULT '',
    outcome     TEXT NOT NULL,
    ip          TEXT NOT NULL DEFAULT '',
    detail      TEXT NOT NULL DEFAULT '',
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_entries_at ON audit_entries (at_us);
CREATE INDEX audit_entries_actor ON audit_entries (actor_id);
CREATE INDEX audit_entries_action ON audit_entries (action);

-- The one row that appenders lock, so that two writers never extend the
-- same head of the chain.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');
