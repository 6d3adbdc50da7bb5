-- 0025_display_accounts: wall displays (大屏, issue 13 item 2). An account
-- may be bound to client addresses (a JSON list of IPs and CIDR prefixes;
-- '[]' is anywhere): a log-in or request from elsewhere is refused and
-- audited. A display account's sessions have no idle timeout (idle_exempt
-- = 1), only their long absolute end, so the expired-session sweep skips
-- their idle check.
ALTER TABLE users ADD COLUMN allowed_addresses TEXT NOT NULL DEFAULT '[]';
ALTER TABLE sessions ADD COLUMN idle_exempt INTEGER NOT NULL DEFAULT 0;
