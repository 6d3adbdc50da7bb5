-- 0031_intake: alerts from the tools units already run (issue 14).
--
-- intake_sources are a unit's sensors (接入源): each holds an intake token
-- (only its SM3 hash is stored, like API tokens), optionally the addresses
-- a syslog sender may come from, and a field mapping for generic JSON.
CREATE TABLE intake_sources (
    id           {{ID}},
    org_id       BIGINT NOT NULL REFERENCES orgs (id),
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    token_hint   TEXT NOT NULL,
    addresses    TEXT NOT NULL DEFAULT '[]',
    mapping      TEXT NOT NULL DEFAULT '',
    created_by   BIGINT NOT NULL DEFAULT 0,
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL DEFAULT 0,
    revoked_at   BIGINT NOT NULL DEFAULT 0,
    revoked_by   BIGINT NOT NULL DEFAULT 0
);
-- A unit's sources (the subtree list joins orgs by path); the resolver's
-- load of every active source bound to addresses.
CREATE INDEX intake_sources_org ON intake_sources (org_id, id);
CREATE INDEX intake_sources_active ON intake_sources (revoked_at, id);

-- intake_events are normalised events (ECS-style fields as JSON) with the
-- fields searched most often copied into indexed columns. They are pruned
-- by received_at after the deployment's retention.
CREATE TABLE intake_events (
    id             {{ID}},
    org_id         BIGINT NOT NULL,
    source_id      BIGINT NOT NULL,
    at             BIGINT NOT NULL,
    received_at    BIGINT NOT NULL,
    kind           TEXT NOT NULL,
    source_ip      TEXT NOT NULL DEFAULT '',
    destination_ip TEXT NOT NULL DEFAULT '',
    user_name      TEXT NOT NULL DEFAULT '',
    host_name      TEXT NOT NULL DEFAULT '',
    category       TEXT NOT NULL DEFAULT '',
    rule_id        TEXT NOT NULL DEFAULT '',
    fields         TEXT NOT NULL,
    raw            TEXT NOT NULL DEFAULT '',
    raw_truncated  INTEGER NOT NULL DEFAULT 0
);
-- Newest first within a subtree's units (keyset on at, id), or over the
-- whole tree (at, id); one index per indexed field for the field searches;
-- received_at for pruning.
CREATE INDEX intake_events_org_at ON intake_events (org_id, at, id);
CREATE INDEX intake_events_at ON intake_events (at, id);
CREATE INDEX intake_events_source_ip ON intake_events (source_ip, at, id);
CREATE INDEX intake_events_destination_ip ON intake_events (destination_ip, at, id);
CREATE INDEX intake_events_user_name ON intake_events (user_name, at, id);
CREATE INDEX intake_events_host_name ON intake_events (host_name, at, id);
CREATE INDEX intake_events_category ON intake_events (category, at, id);
CREATE INDEX intake_events_rule_id ON intake_events (rule_id, at, id);
CREATE INDEX intake_events_received ON intake_events (received_at, id);

-- alert_groups de-duplicate detections by (unit, rule, entity) over a
-- window after last_seen: a match after the window opens a new group.
CREATE TABLE alert_groups (
    id             {{ID}},
    org_id         BIGINT NOT NULL REFERENCES orgs (id),
    rule_id        TEXT NOT NULL,
    entity         TEXT NOT NULL,
    kind           TEXT NOT NULL,
    rule_set       TEXT NOT NULL DEFAULT '',
    title          TEXT NOT NULL,
    level          TEXT NOT NULL,
    tags           TEXT NOT NULL DEFAULT '[]',
    indicator_id   BIGINT NOT NULL DEFAULT 0,
    source_id      BIGINT NOT NULL DEFAULT 0,
    event_count    BIGINT NOT NULL,
    first_seen     BIGINT NOT NULL,
    last_seen      BIGINT NOT NULL,
    state          TEXT NOT NULL,
    assignee_id    BIGINT NOT NULL DEFAULT 0,
    dismiss_reason TEXT NOT NULL DEFAULT '',
    incident_id    BIGINT NOT NULL DEFAULT 0,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
-- The de-duplication lookup: the latest group of a unit, rule and entity.
CREATE INDEX alert_groups_key ON alert_groups (org_id, rule_id, entity, last_seen);

-- alert_group_scope says which organisations see a group: every ancestor
-- (itself included) of its unit, with the columns the lists, facets and
-- counts filter and order on, so that an office's list is one range of one
-- index (like finding_scope, 0016). The store keeps it in step (create,
-- update, org move, restore); it is derived data, rebuilt from alert_groups.
CREATE TABLE alert_group_scope (
    org_id    BIGINT NOT NULL,
    group_id  BIGINT NOT NULL REFERENCES alert_groups (id) ON DELETE CASCADE,
    unit_id   BIGINT NOT NULL,
    state     TEXT NOT NULL,
    level     TEXT NOT NULL,
    kind      TEXT NOT NULL,
    rule_id   TEXT NOT NULL,
    last_seen BIGINT NOT NULL,
    PRIMARY KEY (group_id, org_id)
);
CREATE INDEX alert_group_scope_list ON alert_group_scope (org_id, last_seen, group_id);
CREATE INDEX alert_group_scope_state ON alert_group_scope (org_id, state, last_seen, group_id);
CREATE INDEX alert_group_scope_level ON alert_group_scope (org_id, level, last_seen, group_id);
CREATE INDEX alert_group_scope_kind ON alert_group_scope (org_id, kind, last_seen, group_id);
CREATE INDEX alert_group_scope_rule ON alert_group_scope (org_id, rule_id, last_seen, group_id);

-- A bounded list of each group's latest events (the store keeps the last
-- few); pruning an event removes it from the samples.
CREATE TABLE alert_group_samples (
    group_id BIGINT NOT NULL REFERENCES alert_groups (id) ON DELETE CASCADE,
    event_id BIGINT NOT NULL REFERENCES intake_events (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, event_id)
);
CREATE INDEX alert_group_samples_event ON alert_group_samples (event_id);
