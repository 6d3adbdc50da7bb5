-- 0026_live_events: the change feed behind the console's pushed updates
-- (issue 13 item 3, docs/live.md). A row is written in the transaction of
-- the change it announces (a report delivered to an office, a warning
-- issued, an incident's state changed …), so it exists exactly when the
-- change does; every server process polls the table, so several replicas
-- and a restart lose nothing. org_id is the org the event concerns: a
-- reader sees it when that org is in the reader's subtree. Rows are
-- short-lived: the hub prunes those older than a day.
CREATE TABLE live_events (
    id          {{ID}},
    org_id      BIGINT NOT NULL,
    kind        TEXT NOT NULL,
    subject     TEXT NOT NULL DEFAULT '',
    link        TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL
);
CREATE INDEX live_events_created ON live_events (created_at);
