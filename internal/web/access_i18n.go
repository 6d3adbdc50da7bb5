package web

// Words of the display account, the address binding, the TOTP QR code and
// the small-screen navigation (issue 13 items 2, 5 and 6), in Chinese and
// English.
var accessMessages = map[string][2]string{
	"role.display": {"大屏展示账号", "wall display"},

	"user.addresses":      {"允许的地址", "Allowed addresses"},
	"user.addresses.hint": {"（每行一个IP地址或网段，例如10.20.0.15或10.20.0.0/24；留空则不限；大屏展示账号必填）", "(one IP address or CIDR prefix a line, e.g. 10.20.0.15 or 10.20.0.0/24; empty means anywhere; required for a wall display)"},
	"user.addresses.any":  {"不限", "anywhere"},

	"totp.qr":     {"用身份验证器扫描此二维码", "Scan this QR code with the authenticator"},
	"totp.qr.alt": {"动态验证码绑定二维码", "QR code to add the account to an authenticator"},
	"totp.manual": {"无法扫描时，手动输入以下密钥：", "If you cannot scan it, type this secret:"},
	"nav.label":   {"主导航", "Main navigation"},

	"access.duty.kind":  {"记录类型", "Kind of entry"},
	"access.duty.body":  {"记录内容", "Entry"},
	"access.forward.to": {"上报至", "Forward to"},
}

func init() {
	for k, m := range accessMessages {
		messages[k] = m
	}
}
