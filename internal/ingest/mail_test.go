package ingest

import (
	"testing"
)

// Mail-server lines as Postfix 3.x and Dovecot 2.3 (Pigeonhole 0.5) write
// them to syslog: process.name is the syslog APP-NAME/tag, message the text
// after it.
func TestDecodeMail(t *testing.T) {
	tests := []struct {
		name, prog, msg string
		want            map[string]any
	}{
		{"postfix sasl failure", "postfix/smtpd", "warning: unknown[185.220.101.1]: SASL LOGIN authentication failed: UGFzc3dvcmQ6",
			map[string]any{"source.ip": "185.220.101.1", "user.name": nil, "event.action": "smtp-auth",
				"event.category": []string{"authentication"}, "event.outcome": "failure", "network.protocol": "smtp",
				"postfix.sasl_method": "LOGIN", "event.dataset": "mail.postfix-sasl-failure"}},
		{"postfix sasl failure naming the user", "postfix/submission/smtpd", "warning: unknown[2a01:4f8:c17:1a2::1]: SASL PLAIN authentication failed: (reason unavailable), sasl_username=zhangwei@example.gov.cn",
			map[string]any{"source.ip": "2a01:4f8:c17:1a2::1", "user.name": "zhangwei@example.gov.cn", "event.outcome": "failure", "postfix.sasl_method": "PLAIN"}},
		{"postfix sasl success", "postfix/smtpd", "4QbXyZ1kL9z2: client=unknown[185.220.101.1], sasl_method=LOGIN, sasl_username=zhangwei@example.gov.cn",
			map[string]any{"source.ip": "185.220.101.1", "user.name": "zhangwei@example.gov.cn", "event.outcome": "success", "event.action": "smtp-auth"}},
		{"postfix sasl success with port", "postfix/smtps/smtpd", "4QbXyZ1kL9z2: client=mail.example.org[185.220.101.1]:51022, sasl_method=PLAIN, sasl_username=lisi",
			map[string]any{"source.ip": "185.220.101.1", "user.name": "lisi", "event.outcome": "success"}},
		{"dovecot imap login", "dovecot", "imap-login: Login: user=<zhangwei@example.gov.cn>, method=PLAIN, rip=185.220.101.1, lip=10.8.1.25, mpid=41233, TLS, session=<3o5fW4YXkIu53GU5>",
			map[string]any{"user.name": "zhangwei@example.gov.cn", "source.ip": "185.220.101.1", "destination.ip": "10.8.1.25",
				"event.action": "imap-login", "event.outcome": "success", "network.protocol": "imap",
				"event.category": []string{"authentication"}, "dovecot.auth_method": "PLAIN"}},
		{"dovecot pop3 login, own log file", "", "pop3-login: Info: Login: user=<lisi>, method=PLAIN, rip=::ffff:185.220.101.1, lip=::ffff:10.8.1.25, mpid=5120, session=<x>",
			map[string]any{"user.name": "lisi", "source.ip": "185.220.101.1", "destination.ip": "10.8.1.25", "event.action": "pop3-login", "source.geo.country_iso_code": "DE"}},
		{"dovecot auth failed disconnect", "dovecot", "imap-login: Disconnected (auth failed, 3 attempts in 12 secs): user=<zhangwei@example.gov.cn>, method=PLAIN, rip=185.220.101.1, lip=10.8.1.25, TLS, session=<p0WfW4YXJIu53GU5>",
			map[string]any{"user.name": "zhangwei@example.gov.cn", "source.ip": "185.220.101.1", "event.outcome": "failure",
				"event.action": "imap-login", "dovecot.auth_attempts": 3.0}},
		{"dovecot 2.3.18 login aborted", "dovecot", "pop3-login: Login aborted: Connection closed (auth failed, 1 attempts in 4 secs) (auth_failed): user=<lisi>, method=PLAIN, rip=185.220.101.1, lip=10.8.1.25, session=<Ab>",
			map[string]any{"user.name": "lisi", "event.outcome": "failure", "event.action": "pop3-login", "dovecot.auth_attempts": 1.0}},
		{"dovecot passdb mismatch", "dovecot", "auth: passwd-file(zhangwei@example.gov.cn,185.220.101.1,<eB5xzW4Y>): Password mismatch",
			map[string]any{"user.name": "zhangwei@example.gov.cn", "source.ip": "185.220.101.1", "event.action": "dovecot-auth",
				"event.outcome": "failure", "dovecot.passdb": "passwd-file"}},
		{"dovecot pam failure", "dovecot", "auth-worker(3012): pam(lisi,185.220.101.1,<Xy12>): pam_authenticate() failed: Authentication failure (Password mismatch?)",
			map[string]any{"user.name": "lisi", "source.ip": "185.220.101.1", "dovecot.passdb": "pam", "event.outcome": "failure"}},
		{"imap logout bulk download", "dovecot", "imap(zhangwei@example.gov.cn)<41240><Kx3fW4YXsIu53GU5>: Logged out in=1563 out=48213360 deleted=0 expunged=0 trashed=0 hdr_count=0 hdr_bytes=0 body_count=1208 body_bytes=48020112",
			map[string]any{"user.name": "zhangwei@example.gov.cn", "destination.bytes": 48213360.0, "source.bytes": 1563.0,
				"dovecot.messages_fetched": 1208.0, "event.action": "logout", "event.category": []string{"session"}, "network.protocol": "imap"}},
		{"imap disconnect 2.2", "dovecot", "imap(lisi): Disconnected: Logged out in=88 out=1204",
			map[string]any{"user.name": "lisi", "destination.bytes": 1204.0, "dovecot.messages_fetched": nil}},
		{"imap connection closed", "dovecot", "imap(lisi)<5><s>: Disconnected: Connection closed (IDLE running for 0.001 + waiting input for 1.2 secs, 2 B in + 10+10 B out, state=wait-input) in=2031 out=90210 deleted=0 expunged=0 trashed=0 hdr_count=0 hdr_bytes=0 body_count=3 body_bytes=88310",
			map[string]any{"destination.bytes": 90210.0, "dovecot.messages_fetched": 3.0}},
		{"pop3 logout", "dovecot", "pop3(lisi)<5120><AbCd>: Disconnected: Logged out top=0/0, retr=57/8347890, del=0/57, size=8347890",
			map[string]any{"user.name": "lisi", "destination.bytes": 8347890.0, "dovecot.messages_fetched": 57.0, "network.protocol": "pop3", "event.action": "logout"}},
		{"sieve redirect", "dovecot", "lmtp(zhangwei@example.gov.cn)<8812><Sj2hB2gY7GVsIgAA>: sieve: msgid=<20260305.a1@example.org>: forwarded to <drop@evil-domain.example>",
			map[string]any{"user.name": "zhangwei@example.gov.cn", "email.to.address": []string{"drop@evil-domain.example"},
				"email.message_id": "20260305.a1@example.org", "event.action": "forward", "event.category": []string{"email"}}},
		{"sieve redirect, lda, no msgid", "dovecot", "lda(lisi): sieve: msgid=unspecified: forwarded to <x@evil-domain.example>",
			map[string]any{"user.name": "lisi", "email.to.address": []string{"x@evil-domain.example"}, "email.message_id": nil}},
		{"sieve redirect, old lmtp session prefix", "dovecot", "lmtp(lisi): vwQ8DCqjqlqdHgAAwl8aWQ: sieve: msgid=<m@x>: forwarded to <y@evil-domain.example>",
			map[string]any{"user.name": "lisi", "email.to.address": []string{"y@evil-domain.example"}}},
		{"sieve store is not a forward", "dovecot", "lmtp(lisi)<1><s>: sieve: msgid=<m@x>: stored mail into mailbox 'INBOX'",
			map[string]any{"event.action": nil}},
		{"roundcube failed login", "roundcube", "Failed login for zhangwei@example.gov.cn from 185.220.101.1 in session 8vg1a2b3c4d5e6 (error: 0)",
			map[string]any{"user.name": "zhangwei@example.gov.cn", "source.ip": "185.220.101.1", "event.action": "webmail-login", "event.outcome": "failure"}},
		{"roundcube login, own log file", "", "[05-Mar-2026 10:44:02 +0800]: <8vg1a2b3> Successful login for lisi (ID: 12) from 185.220.101.1 in session 8vg1a2b3c4d5e6",
			map[string]any{"user.name": "lisi", "source.ip": "185.220.101.1", "event.outcome": "success"}},
		{"other program ignored", "sshd", "warning: unknown[185.220.101.1]: SASL LOGIN authentication failed: x",
			map[string]any{"event.action": nil, "source.ip": nil}},
		{"postfix non-auth line", "postfix/smtpd", "connect from unknown[185.220.101.1]",
			map[string]any{"event.action": nil}},
	}
	for _, tt := range tests {
		ev := Event{Fields: map[string]any{"message": tt.msg}}
		ev.Set("process.name", tt.prog)
		Enrich(&ev)
		checkValues(t, &ev)
		for k, v := range tt.want {
			got, ok := ev.Fields[k]
			if v == nil && ok || v != nil && !equalValue(got, v) {
				t.Errorf("%s: %s = %#v, want %#v", tt.name, k, got, v)
			}
		}
		// Enrich is idempotent.
		before := len(ev.Fields)
		Enrich(&ev)
		if len(ev.Fields) != before {
			t.Errorf("%s: second Enrich changed fields", tt.name)
		}
	}
}

// A Wazuh alert on a Postfix line: the decoders read full_log (message)
// and keep what Wazuh already set.
func TestDecodeMailOnWazuh(t *testing.T) {
	line := readLines(t, "testdata/wazuh/alerts.json")[4]
	ev, err := parseRecord(FormatWazuh, line, nil, testNow)
	if err != nil {
		t.Fatal(err)
	}
	Enrich(&ev)
	checkValues(t, &ev)
	wantFields(t, ev, map[string]any{
		"event.action": "smtp-auth", "event.dataset": "postfix", "source.ip": "185.220.101.1",
		"event.category": []string{"authentication"}, "source.geo.country_iso_code": "DE", "host.geo.country_iso_code": nil,
	})
}

func equalValue(a, b any) bool {
	as, aok := a.([]string)
	bs, bok := b.([]string)
	if aok || bok {
		if !aok || !bok || len(as) != len(bs) {
			return false
		}
		for i := range as {
			if as[i] != bs[i] {
				return false
			}
		}
		return true
	}
	return a == b
}
