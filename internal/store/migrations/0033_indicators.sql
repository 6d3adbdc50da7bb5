-- 0033_indicators: the IOC library (issue 14 item 5). An indicator is owned
-- by an org and shared down the tree by its TLP label (internal/app/intel,
-- docs/intel.md): value normalised by internal/ingest/ioc; one row per
-- (owner, type, value), so importing the same bundle twice updates rather
-- than duplicates; stix_id is the STIX indicator (or vulnerability) it came
-- from or is exported as. Revoked rows stay for the audit trail and stop
-- matching.
CREATE TABLE indicators (
    id           {{ID}},
    org_id       BIGINT NOT NULL REFERENCES orgs (id),
    type         TEXT NOT NULL,
    value        TEXT NOT NULL,
    stix_id      TEXT NOT NULL DEFAULT '',
    name         TEXT NOT NULL DEFAULT '',
    description  TEXT NOT NULL DEFAULT '',
    source       TEXT NOT NULL DEFAULT '',
    confidence   INTEGER NOT NULL DEFAULT 50,
    tlp          TEXT NOT NULL,
    valid_from   BIGINT NOT NULL DEFAULT 0,
    valid_until  BIGINT NOT NULL DEFAULT 0,
    created_by   BIGINT NOT NULL DEFAULT 0,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    revoked_at   BIGINT NOT NULL DEFAULT 0,
    revoked_by   BIGINT NOT NULL DEFAULT 0,
    UNIQUE (org_id, type, value)
);
-- What an org may see: CLEAR from anyone, GREEN from its province tree,
-- AMBER from itself and its ancestors, the rest from itself.
CREATE INDEX indicators_tlp ON indicators (tlp, revoked_at, id);
CREATE INDEX indicators_org ON indicators (org_id, tlp, revoked_at, id);
CREATE INDEX indicators_stix ON indicators (stix_id);
