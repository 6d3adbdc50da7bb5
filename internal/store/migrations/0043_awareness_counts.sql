-- 0043_awareness_counts: the awareness screen (the home page of an office)
-- counts from indexes alone, whatever the size of the history:
-- - a subtree's enabled monitors by unit and status, from each system's
--   entries of monitors_system_state (not every monitor's row);
-- - the open incidents of a scope by unit, grade and category: the
--   (org, status, …) index of the list carries those columns too, so the
--   count reads the open incidents' index entries and no row;
-- - the overdue duties of a subtree by owner: the (owner, state, due_at,
--   id) index carries the kind the count leaves out (daily reports).
-- The two indexes are replaced, not added: same order, more columns, so the
-- lists that walk them are served as before and writes maintain no more
-- indexes than they did.
CREATE INDEX monitors_system_state ON monitors (system_id, enabled, status);
DROP INDEX incident_scope_status;
CREATE INDEX incident_scope_status ON incident_scope (org_id, status, discovered_at, incident_id, unit_id, grade, category);
DROP INDEX obligations_owner_due;
CREATE INDEX obligations_owner_due ON obligations (owner_org_id, state, due_at, id, kind);
