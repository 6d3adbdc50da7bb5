-- 0012_signals: the supervising department (主管部门) a unit declares, and
-- the daily board's read by period and day.
--
-- A plan's "competent department" is the unit's declared supervisor when
-- it has one, else the department of the unit's sector (issue 11 item 6:
-- resolving by role alone sent a water company's reports to education).
-- NULL: none declared.
ALTER TABLE orgs ADD COLUMN supervisor_id BIGINT REFERENCES orgs (id);

-- A period's reports by day (the board, the exports, the report day): the
-- unique (period_id, org_id, day) serves one unit, not a day's list in order.
CREATE INDEX daily_reports_period_day ON daily_reports (period_id, day, org_id);
