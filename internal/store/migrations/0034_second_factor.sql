-- 0034_second_factor: the second factor by policy (issue 15 item 2,
-- docs/security.md). org_totp_policy holds the orgs that require TOTP of
-- every account in their subtree (an account requires it when its org or
-- any ancestor has a row); recovery_codes holds the SM3 hashes of a user's
-- unused one-time recovery codes: a code is deleted in the transaction that
-- accepts it, so each works once.
CREATE TABLE org_totp_policy (
    org_id     BIGINT PRIMARY KEY REFERENCES orgs (id) ON DELETE CASCADE,
    set_by     BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL
);

CREATE TABLE recovery_codes (
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash  TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, code_hash)
);
