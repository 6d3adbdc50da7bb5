-- 0041_monitor_content_state: what a content check remembers between
-- checks (the browser copy's validators and digest, the findings of its
-- last analysis, the digest and findings of each identity's last fetch,
-- whose turn the next identity is), as JSON: an unchanged page is not
-- analysed again, and each check fetches the browser copy and one other
-- identity instead of three copies.
ALTER TABLE monitors ADD COLUMN content_state TEXT NOT NULL DEFAULT '';
