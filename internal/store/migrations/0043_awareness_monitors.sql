-- 0043_awareness_monitors: the awareness screen counts a subtree's enabled
-- monitors by unit and status from this index alone (each system's
-- monitors, never their rows), instead of reading every monitor's state.
CREATE INDEX monitors_system_state ON monitors (system_id, enabled, status);
