-- 0040_audit_pending: on PostgreSQL an audited change stores its entry here,
-- unsealed, in its own transaction; one sealing transaction at a time (it
-- holds audit_head's row lock, on whichever replica runs it) numbers the
-- committed entries, chains them onto the head and moves them into
-- audit_entries. Writers then no longer queue on audit_head until they
-- commit (issue 16 item 2; docs/security.md "Audit chain under
-- concurrency"). SQLite keeps sealing in the change's transaction, its
-- writer being single anyway, and leaves this table empty.
CREATE TABLE audit_pending (
    id          {{ID}},
    at_us       BIGINT NOT NULL,
    actor_id    BIGINT NOT NULL DEFAULT 0,
    actor_name  TEXT NOT NULL DEFAULT '',
    org_id      BIGINT NOT NULL DEFAULT 0,
    action      TEXT NOT NULL,
    object_type TEXT NOT NULL DEFAULT '',
    object_id   TEXT NOT NULL DEFAULT '',
    outcome     TEXT NOT NULL,
    ip          TEXT NOT NULL DEFAULT '',
    detail      TEXT NOT NULL DEFAULT ''
);
