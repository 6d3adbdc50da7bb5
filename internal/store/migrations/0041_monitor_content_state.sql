-- 0041_monitor_content_state: what a content check remembers between
-- checks (the browser copy's validators and digest, the findings of its
-- last analysis, the digest and findings of each identity's last fetch,
-- whose turn the next identity is), as JSON: an unchanged page is not
-- analysed again, and each check fetches the browser copy and one other
-- identity instead of three copies.
ALTER TABLE monitors ADD COLUMN content_state TEXT NOT NULL DEFAULT '';

-- The baseline (~10 KB of JSON) leaves the monitors row for a table of its
-- own: every check updates its monitor's row twice (the claim, the saved
-- state), and a row carrying the baseline was rewritten whole each time.
CREATE TABLE monitor_baselines (
    monitor_id BIGINT PRIMARY KEY REFERENCES monitors (id) ON DELETE CASCADE,
    baseline   TEXT NOT NULL
);
INSERT INTO monitor_baselines (monitor_id, baseline) SELECT id, baseline FROM monitors WHERE baseline <> '';
ALTER TABLE monitors DROP COLUMN baseline;
