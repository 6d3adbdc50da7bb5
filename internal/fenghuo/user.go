package fenghuo

import (
	"net/mail"
	"strings"
	"time"
)

// Role is what a user may do within the user's org subtree.
type Role string

const (
	// The three administrator roles are kept apart (三权分立, 等保 2.0):
	// the system admin runs the platform, the security admin manages
	// accounts and rights, the audit admin reads the audit log.
	RoleSystemAdmin   Role = "system_admin"
	RoleSecurityAdmin Role = "security_admin"
	RoleAuditAdmin    Role = "audit_admin"

	RoleCommander    Role = "commander"     // activates and ends responses (指挥)
	RoleAnalyst      Role = "analyst"       // grades incidents, writes reports
	RoleDutyOfficer  Role = "duty_officer"  // takes calls and alerts on shift (值班员)
	RoleUnitReporter Role = "unit_reporter" // a unit's reporter (信息报送员)
	RoleViewer       Role = "viewer"        // reads only
	// RoleDisplay is a wall display (大屏, issue 13 item 2): it reads the
	// wall and nothing else, only from its bound addresses, and its
	// sessions have no idle timeout. It is the only role of its account.
	RoleDisplay Role = "display"
)

// Roles lists every role, administrator roles first.
var Roles = []Role{
	RoleSystemAdmin, RoleSecurityAdmin, RoleAuditAdmin,
	RoleCommander, RoleAnalyst, RoleDutyOfficer, RoleUnitReporter, RoleViewer, RoleDisplay,
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, v := range Roles {
		if v == r {
			return true
		}
	}
	return false
}

// IsAdmin reports whether r is one of the three administrator roles.
func (r Role) IsAdmin() bool {
	return r == RoleSystemAdmin || r == RoleSecurityAdmin || r == RoleAuditAdmin
}

// NameZH is the role's Chinese name.
func (r Role) NameZH() string {
	switch r {
	case RoleSystemAdmin:
		return "系统管理员"
	case RoleSecurityAdmin:
		return "安全管理员"
	case RoleAuditAdmin:
		return "审计管理员"
	case RoleCommander:
		return "指挥人员"
	case RoleAnalyst:
		return "分析研判人员"
	case RoleDutyOfficer:
		return "值班人员"
	case RoleUnitReporter:
		return "单位报送员"
	case RoleViewer:
		return "只读用户"
	case RoleDisplay:
		return "大屏展示账号"
	}
	return string(r)
}

// ValidateRoles checks a set of roles: each known, none repeated, at least
// one, and an administrator role alone on its account (三权分立: the system,
// security and audit administrators are different people, and none of them
// also works incidents).
func ValidateRoles(roles []Role) error {
	if len(roles) == 0 {
		return FieldErrorf("roles", "Give the account at least one role. / 请至少选择一个角色。")
	}
	seen := map[Role]bool{}
	var admin Role
	for _, r := range roles {
		if !r.Valid() {
			return FieldErrorf("roles", "Role %q is unknown. / 未知角色。", r)
		}
		if seen[r] {
			return FieldErrorf("roles", "Role %q is listed twice. / 角色重复。", r)
		}
		seen[r] = true
		if r.IsAdmin() {
			admin = r
		}
	}
	if seen[RoleDisplay] && len(roles) > 1 {
		return FieldErrorf("roles", "The display role must be the only role of its account: a wall display reads and never acts. / 大屏展示账号不得兼任其他角色。")
	}
	if admin != "" && len(roles) > 1 {
		return FieldErrorf("roles", "The %s role must be the only role of its account: system, security and audit administrators are separate accounts that do no incident work (三权分立). / %s须单独设账号，不得兼任其他角色。", admin, admin.NameZH())
	}
	return nil
}

// Locales the console speaks.
const (
	LocaleZH = "zh"
	LocaleEN = "en"
)

// User is an account. Its rights reach its org's subtree.
type User struct {
	ID          int64
	OrgID       int64
	Username    string
	DisplayName string
	Email       string
	Mobile      string
	Roles       []Role
	// PasswordHash is the encoded KDF output (the auth package's format);
	// empty means the account cannot log in with a password.
	PasswordHash string
	// TOTPSecretSealed is the TOTP secret encrypted by the auth package.
	TOTPSecretSealed string
	TOTPEnabled      bool
	// TOTPLastStep is the last time step accepted, so a code is used once.
	TOTPLastStep   int64
	Disabled       bool
	MustEnrollTOTP bool
	Locale         string
	// AllowedAddresses are the client addresses (single IPs or CIDR
	// prefixes, normalised) the account may log in and work from; empty
	// means anywhere. A display account must have at least one.
	AllowedAddresses []string
	// PasswordChangedAt is zero until a password is set.
	PasswordChangedAt time.Time
	CreatedAt         time.Time
	UpdatedAt         time.Time
	Version           int
}

// HasRole reports whether u holds r.
func (u *User) HasRole(r Role) bool {
	for _, v := range u.Roles {
		if v == r {
			return true
		}
	}
	return false
}

// IsAdmin reports whether u holds an administrator role.
func (u *User) IsAdmin() bool {
	for _, v := range u.Roles {
		if v.IsAdmin() {
			return true
		}
	}
	return false
}

// Validate checks u before it is stored and fills in the default locale.
func (u *User) Validate() error {
	if u.OrgID <= 0 {
		return FieldErrorf("org_id", "Choose the organisation the account belongs to. / 请选择所属机构。")
	}
	if err := ValidateUsername(u.Username); err != nil {
		return err
	}
	if err := checkText("display_name", u.DisplayName, 50, true); err != nil {
		return err
	}
	if u.Email != "" {
		if a, err := mail.ParseAddress(u.Email); err != nil || a.Address != u.Email {
			return FieldErrorf("email", "%q is not a plain e-mail address. / 邮箱地址格式不正确。", u.Email)
		}
	}
	if u.Mobile != "" && !IsPhone(u.Mobile) {
		return FieldErrorf("mobile", "%q is not a phone number. / 手机号码格式不正确。", u.Mobile)
	}
	if err := ValidateRoles(u.Roles); err != nil {
		return err
	}
	addrs, err := NormalizeAddresses(u.AllowedAddresses)
	if err != nil {
		return err
	}
	u.AllowedAddresses = addrs
	if u.HasRole(RoleDisplay) && len(addrs) == 0 {
		return FieldErrorf("allowed_addresses", "A display account must be bound to the address of its screen: give one IP address or CIDR prefix at least. / 大屏展示账号须绑定大屏电脑的地址：请至少填写一个IP地址或网段。")
	}
	if u.Locale == "" {
		u.Locale = LocaleZH
	}
	if u.Locale != LocaleZH && u.Locale != LocaleEN {
		return FieldErrorf("locale", "Locale %q is not offered: use zh or en. / 语言应为zh或en。", u.Locale)
	}
	return nil
}

// ValidateUsername checks a user name: 3 to 64 characters of letters,
// digits, ".", "_", "-" and "@", starting with a letter or digit. Names are
// unique regardless of case.
func ValidateUsername(name string) error {
	if len(name) < 3 || len(name) > 64 {
		return FieldErrorf("username", "A user name has 3 to 64 characters. / 用户名长度应为3至64个字符。")
	}
	for i, r := range name {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			(i > 0 && strings.ContainsRune("._-@", r))
		if !ok {
			return FieldErrorf("username", "Use letters, digits, '.', '_', '-' or '@' in a user name, starting with a letter or digit. / 用户名只能包含字母、数字及._-@，且以字母或数字开头。")
		}
	}
	return nil
}

// UsernameKey is the case-folded form under which user names are unique
// and login attempts are counted.
func UsernameKey(name string) string {
	return strings.ToLower(strings.TrimSpace(name))
}
