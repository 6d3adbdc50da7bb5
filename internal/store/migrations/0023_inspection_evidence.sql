-- 0023_inspection_evidence: the files that prove a unit's answers to an
-- inspection campaign (a screenshot, a configuration export, a scan report),
-- stored like incident and rectification evidence (outside any served path,
-- SM3 recorded); a campaign's close by its issuer (when, who, why); a unit's
-- answers sent back to it to fill in again (退回重填: when, who, why).
CREATE TABLE inspection_evidence (
    id           {{ID}},
    campaign_id  BIGINT NOT NULL REFERENCES inspection_campaigns (id) ON DELETE CASCADE,
    org_id       BIGINT NOT NULL REFERENCES orgs (id),
    item_id      TEXT NOT NULL,
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    sm3          TEXT NOT NULL,
    storage_key  TEXT NOT NULL UNIQUE,
    note         TEXT NOT NULL DEFAULT '',
    uploaded_by  BIGINT NOT NULL DEFAULT 0,
    uploaded_at  BIGINT NOT NULL
);
-- A unit's files in a campaign, item by item.
CREATE INDEX inspection_evidence_unit ON inspection_evidence (campaign_id, org_id, item_id, id);

ALTER TABLE inspection_campaigns ADD COLUMN closed_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE inspection_campaigns ADD COLUMN closed_by BIGINT NOT NULL DEFAULT 0;
ALTER TABLE inspection_campaigns ADD COLUMN close_reason TEXT NOT NULL DEFAULT '';

ALTER TABLE inspection_targets ADD COLUMN returned_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE inspection_targets ADD COLUMN returned_by BIGINT NOT NULL DEFAULT 0;
ALTER TABLE inspection_targets ADD COLUMN return_note TEXT NOT NULL DEFAULT '';
