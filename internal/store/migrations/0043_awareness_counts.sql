-- 0043_awareness_counts: the awareness screen (the home page of an
-- office) counts from indexes alone, whatever the size of the history:
-- a subtree's enabled monitors by unit and status (each system's monitors,
-- never their rows, instead of reading every monitor's state), and the
-- open incidents of a scope by unit, grade and category (the open ones
-- only, never a row of incident_scope).
CREATE INDEX monitors_system_state ON monitors (system_id, enabled, status);
CREATE INDEX incident_scope_open ON incident_scope (org_id, status, unit_id, grade, category);
