-- 0037_personal_data: contacts of people are sealed with SM4 at rest (issue 15
-- item 5, docs/security.md "Personal data"). The personal columns keep their
-- names and now hold "sm4gcm1:…" values (internal/pii), written and opened by
-- the store; a plain value left from before is sealed by the store's upgrade
-- pass at start (DB.SealPersonalData). The columns below hold the keyed SM3
-- digest (HMAC-SM3, hex) of the normalised value where an exact search needs
-- one: an account by e-mail or mobile, an org by its liaison's mobile or its
-- report mailbox. Empty when the value is empty.
ALTER TABLE users ADD COLUMN email_digest TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN mobile_digest TEXT NOT NULL DEFAULT '';
ALTER TABLE orgs ADD COLUMN liaison_mobile_digest TEXT NOT NULL DEFAULT '';
ALTER TABLE orgs ADD COLUMN report_email_digest TEXT NOT NULL DEFAULT '';

CREATE INDEX users_email_digest ON users (email_digest) WHERE email_digest <> '';
CREATE INDEX users_mobile_digest ON users (mobile_digest) WHERE mobile_digest <> '';
CREATE INDEX orgs_liaison_mobile_digest ON orgs (liaison_mobile_digest) WHERE liaison_mobile_digest <> '';
CREATE INDEX orgs_report_email_digest ON orgs (report_email_digest) WHERE report_email_digest <> '';
