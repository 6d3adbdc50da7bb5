-- 0032_rule_sets (issue 14 item 3): detection rule sets are data. Which
-- rule set an org runs on its events is a row here; an org without a row
-- for a set runs it (built-in sets are on until an org turns one off).
CREATE TABLE rule_set_states (
    org_id     BIGINT NOT NULL REFERENCES orgs (id),
    rule_set   TEXT NOT NULL,
    enabled    INTEGER NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by BIGINT NOT NULL,
    PRIMARY KEY (org_id, rule_set)
);

-- Sigma rules an org uploaded; they run on the events of the org and of
-- every org below it. body is the YAML as uploaded (validated on upload
-- and loaded again at start-up); rule_id is its Sigma id, unique per org.
CREATE TABLE custom_rules (
    id         {{ID}},
    org_id     BIGINT NOT NULL REFERENCES orgs (id),
    rule_id    TEXT NOT NULL,
    title      TEXT NOT NULL,
    level      TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by BIGINT NOT NULL
);
CREATE UNIQUE INDEX custom_rules_org_rule ON custom_rules (org_id, rule_id);
