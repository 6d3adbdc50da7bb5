-- 0007_login_sources: failed log-ins per client address across every user
-- name (auth.SourcePolicy), against password spraying. One row per address
-- (IPv6 per /64); tat is the token bucket's "theoretical arrival time" in
-- unix ms UTC: the moment the bucket would be full again. Rows in the past
-- carry no information and are deleted by the daily clean-up. Not backed up,
-- like login_attempts.

CREATE TABLE login_sources (
    source TEXT PRIMARY KEY,
    tat    BIGINT NOT NULL DEFAULT 0
);
