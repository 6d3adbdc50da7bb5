-- 0036_audit_archives: archives of old audit entries (issue 15 item 4,
-- docs/security.md "Retention, archives and anchors"). One row per archive
-- file the archiver wrote, inserted in the transaction that deletes the
-- archived entries from audit_entries, so the rows and the deletion agree.
-- The row with the greatest last_seq is the checkpoint the database's chain
-- continues from. first_seq is unique too: two archivers racing over the same
-- range cannot both record it.
CREATE TABLE audit_archives (
    last_seq   BIGINT PRIMARY KEY,
    first_seq  BIGINT NOT NULL UNIQUE,
    last_hash  TEXT NOT NULL,
    file       TEXT NOT NULL,
    entries    BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
