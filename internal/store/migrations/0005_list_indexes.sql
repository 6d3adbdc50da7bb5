-- 0005_list_indexes: every list reads an index in its own order, bounded.
--
-- incident_scope says which organisations see an incident: every ancestor
-- (itself included) of its unit and of every organisation a report of it
-- was delivered to. An office's list is then one range of one index, newest
-- first, instead of a path test and an EXISTS over deliveries per incident.
-- It carries the columns the list filters on, so a page is chosen from
-- this table alone and only its 50 incidents are read; open_due is the
-- earliest due time of the incident's open duties (0: none), so "overdue"
-- is a range of an index, not a join with every open duty. The store keeps it
-- in step (incident create and update, delivery, org move, restore); it is
-- derived data, rebuilt by the statement below.
CREATE TABLE incident_scope (
    org_id        BIGINT NOT NULL,
    incident_id   BIGINT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    unit_id       BIGINT NOT NULL,
    discovered_at BIGINT NOT NULL,
    status        TEXT NOT NULL,
    grade         TEXT NOT NULL,
    category      TEXT NOT NULL,
    title         TEXT NOT NULL,
    open_due      BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (incident_id, org_id)
);
-- The grade filter reads the list index (a grade is a large share of any
-- list); status (the dashboard's open count) and unit have their own.
CREATE INDEX incident_scope_list ON incident_scope (org_id, discovered_at, incident_id);
CREATE INDEX incident_scope_status ON incident_scope (org_id, status, discovered_at, incident_id);
CREATE INDEX incident_scope_unit ON incident_scope (org_id, unit_id, discovered_at, incident_id);
CREATE INDEX incident_scope_due ON incident_scope (org_id, open_due);

INSERT INTO incident_scope (org_id, incident_id, unit_id, discovered_at, status, grade, category, title)
SELECT DISTINCT a.id, i.id, i.org_id, i.discovered_at, i.status, i.grade, i.category, i.title
FROM (SELECT id AS incident_id, org_id FROM incidents
      UNION SELECT incident_id, to_org_id FROM report_deliveries) v
JOIN incidents i ON i.id = v.incident_id
JOIN orgs m ON m.id = v.org_id
JOIN orgs a ON a.path = substr(m.path, 1, length(a.path));
UPDATE incident_scope SET open_due = COALESCE((SELECT MIN(b.due_at) FROM obligations b
    WHERE b.incident_id = incident_scope.incident_id AND b.state = 'open' AND b.due_at > 0), 0);

-- Incidents: newest first, overall and per unit; by monitoring source.
-- Lists by status read incident_scope now.
DROP INDEX incidents_status;
DROP INDEX incidents_org;
CREATE INDEX incidents_org ON incidents (org_id, discovered_at, id);
CREATE INDEX incidents_discovered ON incidents (discovered_at, id);
CREATE INDEX incidents_source ON incidents (source, status);

-- Inbox: unreceived first, each part newest first.
DROP INDEX report_deliveries_to;
CREATE INDEX report_deliveries_to ON report_deliveries (to_org_id, received_at, sent_at, id);
CREATE INDEX report_deliveries_sent ON report_deliveries (to_org_id, sent_at, id);

-- Obligations: an org's open duties soonest first (replacing the index on
-- owner and state, its prefix); the duties of a warning or period.
DROP INDEX obligations_owner;
CREATE INDEX obligations_owner_due ON obligations (owner_org_id, state, due_at, id);
CREATE INDEX obligations_subject ON obligations (kind, subject_id);

-- Audit search by organisation, newest first.
CREATE INDEX audit_entries_org ON audit_entries (org_id, seq);

-- Warnings newest first; organisation subtrees by path prefix.
CREATE INDEX warnings_created ON warnings (created_at, id);
CREATE INDEX orgs_path ON orgs (path);

-- Reporting records (on time, late, missed, open per unit) are counters
-- kept with every report and forward duty written, so the page reads one
-- row per unit and state instead of every duty of the subtree; overdue,
-- which depends on the hour, is counted from the open duties alone.
CREATE TABLE obligation_counts (
    org_id BIGINT NOT NULL,
    state  TEXT NOT NULL,
    n      BIGINT NOT NULL,
    PRIMARY KEY (org_id, state)
);
INSERT INTO obligation_counts (org_id, state, n)
SELECT owner_org_id, state, COUNT(*) FROM obligations WHERE kind IN ('report', 'forward') GROUP BY owner_org_id, state;
