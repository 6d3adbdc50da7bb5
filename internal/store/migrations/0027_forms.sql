-- 0027_forms (issue 13 item 5): the incident list reads nearest deadline
-- first. The open duties by due time and, after them, the incidents
-- without one (open_due 0) newest first are each one range of this index
-- in its own order, so the default list stays bounded at province scale.
CREATE INDEX incident_scope_next ON incident_scope (org_id, open_due, discovered_at, incident_id);
