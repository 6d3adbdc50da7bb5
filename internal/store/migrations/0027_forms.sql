-- 0027_forms (issue 13 item 5): the incident list reads nearest deadline
-- first. The open duties by due time and, after them, the incidents
-- without one (open_due 0) newest first are each one range of this index
-- in its own order, so the default list stays bounded at province scale.
CREATE INDEX incident_scope_next ON incident_scope (org_id, open_due, discovered_at, incident_id);

-- A protection-period board's one-click chase (催报) of a unit that has not
-- filed its daily report: who chased whom for which day and when. The
-- count per unit and day bounds how often a unit is chased; the board
-- reads one day's chases by the index.
CREATE TABLE period_chases (
    id         {{ID}},
    period_id  BIGINT NOT NULL REFERENCES periods (id),
    org_id     BIGINT NOT NULL REFERENCES orgs (id),
    day        TEXT NOT NULL,
    sent_at    BIGINT NOT NULL,
    sent_by    BIGINT NOT NULL,
    reached    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX period_chases_day ON period_chases (period_id, day, org_id);

-- The duty officer (and the leader on duty) of a shift is an account of
-- the office (0: a shift written before, whose name stays as typed).
ALTER TABLE duty_shifts ADD COLUMN officer_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE duty_shifts ADD COLUMN leader_id BIGINT NOT NULL DEFAULT 0;
