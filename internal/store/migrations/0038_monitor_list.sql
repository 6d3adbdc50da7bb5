-- 0038_monitor_list: the monitors list pages by system, then by monitor,
-- on one index (PostgreSQL can then read a page of it in order, index
-- only; SQLite's index on system_id already carried the rowid).
DROP INDEX monitors_system;
CREATE INDEX monitors_system ON monitors (system_id, id);
