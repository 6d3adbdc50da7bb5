-- 0035_signing_keys: SM2 signatures on what the platform issues (issue 15
-- item 1, docs/security.md "Signatures (SM2)"). signing_keys holds each
-- office's keys: the public key (SubjectPublicKeyInfo DER, base64) and the
-- private scalar sealed with the server's SM4 sealer, bound to the org and
-- key id. An office has at most one current key (retired_at = 0); a rotation
-- retires it, and retired keys stay so that old signatures still verify.
-- record_signatures holds the signature block (docsign) of an issued record:
-- a report as delivered, a warning, a risk notice, a response end notice.
CREATE TABLE signing_keys (
    id             {{ID}},
    org_id         BIGINT NOT NULL REFERENCES orgs (id),
    key_id         TEXT NOT NULL UNIQUE,
    public_key     TEXT NOT NULL,
    private_sealed TEXT NOT NULL,
    created_by     BIGINT NOT NULL DEFAULT 0,
    created_at     BIGINT NOT NULL,
    retired_at     BIGINT NOT NULL DEFAULT 0,
    retired_by     BIGINT NOT NULL DEFAULT 0
);
-- One current key per office: two signers creating an office's first key at
-- once end with one key (the second insert does nothing).
CREATE UNIQUE INDEX signing_keys_current ON signing_keys (org_id) WHERE retired_at = 0;
CREATE INDEX signing_keys_org ON signing_keys (org_id, created_at);

CREATE TABLE record_signatures (
    kind      TEXT NOT NULL,
    object_id BIGINT NOT NULL,
    org_id    BIGINT NOT NULL REFERENCES orgs (id),
    key_id    TEXT NOT NULL,
    block     TEXT NOT NULL,
    signed_at BIGINT NOT NULL,
    PRIMARY KEY (kind, object_id)
);
