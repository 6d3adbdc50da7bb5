-- 0039_leases: background work shared by several replicas (issue 16 item 1).
-- leases holds the named leases of work that runs on one replica at a time
-- (the audit archive and anchor passes): a replica takes a lease when it is
-- free or expired, renews it while it holds it, and another replica takes
-- it over once it expires (a replica killed with kill -9 renews nothing).
-- The yearly drill duties lock their lease row in their own transaction.
CREATE TABLE leases (
    name        TEXT PRIMARY KEY,
    holder      TEXT NOT NULL,
    expires_at  BIGINT NOT NULL,
    taken_at    BIGINT NOT NULL
);
-- jobs.locked_by names the replica that holds a job's lease (its holder
-- name: host, process ID and a random part), so that a replica renews only
-- its own leases and an operator sees who runs what.
ALTER TABLE jobs ADD COLUMN locked_by TEXT NOT NULL DEFAULT '';
