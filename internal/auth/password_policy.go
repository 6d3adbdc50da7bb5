package auth

import (
	_ "embed"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"fenghuo/internal/fenghuo"
)

// Password length limits, in characters (runes, so that 中文 counts as two).
const (
	MinPasswordLength = 12
	// A password this long passes without mixing character classes: length
	// adds more strength than classes do (NIST SP 800-63B §5.1.1.2).
	LongPasswordLength = 16
	// MaxPasswordLength bounds the work of hashing; NIST asks for at least 64.
	MaxPasswordLength = 256
)

// Reasons a password is refused, stable for the console to translate.
const (
	PasswordTooShort = "password.too_short"
	PasswordTooLong  = "password.too_long"
	PasswordPersonal = "password.personal"
	PasswordCommon   = "password.common"
	PasswordPattern  = "password.pattern"
	PasswordClasses  = "password.classes"
)

// PasswordError says why a password was refused, in Chinese and English.
// It unwraps to an EINVALID *fenghuo.Error on the field "password", so the
// usual error responder maps it to 400 without knowing this type.
type PasswordError struct {
	Reason    string
	MessageZH string
	MessageEN string
}

func (e *PasswordError) Error() string { return e.MessageEN }

func (e *PasswordError) Unwrap() error {
	return &fenghuo.Error{Code: fenghuo.EINVALID, Field: "password", Message: e.MessageEN}
}

// CheckPassword returns a *PasswordError when pw is too weak, nil otherwise.
// userInputs are the account name, e-mail address, real name and organisation
// name; a password containing any of them is refused. The checks follow
// NIST SP 800-63B: length first, then lists of known-bad passwords, and no
// rule that forces periodic change (see docs/security.md).
func CheckPassword(pw string, userInputs ...string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLength:
		return &PasswordError{PasswordTooShort,
			fmt.Sprintf("密码至少需要 %d 个字符，当前只有 %d 个。", MinPasswordLength, n),
			fmt.Sprintf("Use at least %d characters; this password has %d.", MinPasswordLength, n)}
	case n > MaxPasswordLength:
		return &PasswordError{PasswordTooLong,
			fmt.Sprintf("密码不能超过 %d 个字符。", MaxPasswordLength),
			fmt.Sprintf("Use at most %d characters.", MaxPasswordLength)}
	case containsPersonal(pw, userInputs):
		return &PasswordError{PasswordPersonal,
			"密码中不能包含用户名、电子邮箱用户名、姓名或单位名称。",
			"Do not put your account name, e-mail name, real name or organisation name in the password."}
	case isCommonPassword(pw):
		return &PasswordError{PasswordCommon,
			"该密码属于常见密码或设备出厂默认密码（含加数字、符号的变体），攻击者会最先尝试，请另选一个。",
			"This is a common or factory-default password (or one with digits or symbols added); attackers try these first. Choose another."}
	case isMostlyPattern(pw):
		return &PasswordError{PasswordPattern,
			"该密码主要由键盘连续键、顺序字符或重复内容组成，容易被猜到，请另选一个。",
			"This password is mostly a keyboard walk, a sequence or repetition, which is easy to guess. Choose another."}
	case n < LongPasswordLength && characterClasses(pw) < 3:
		return &PasswordError{PasswordClasses,
			fmt.Sprintf("请使用小写字母、大写字母、数字、符号中的至少三类，或使用不少于 %d 个字符的密码（如一句话）。", LongPasswordLength),
			fmt.Sprintf("Use at least three of: lower-case letters, upper-case letters, digits, symbols; or use %d characters or more (a phrase works well).", LongPasswordLength)}
	}
	return nil
}

//go:embed common-passwords.txt
var commonPasswordsText string

// commonPasswordList is the embedded list, lower-cased.
var commonPasswordList = func() []string {
	var list []string
	for line := range strings.Lines(commonPasswordsText) {
		line = strings.ToLower(strings.TrimSpace(line))
		if line != "" && !strings.HasPrefix(line, "#") {
			list = append(list, line)
		}
	}
	return list
}()

// commonPasswords holds every listed password in the forms of passwordForms,
// so that "hik12345" and "Hik2024!" meet at "hik".
var commonPasswords = func() map[string]bool {
	set := make(map[string]bool)
	for _, pw := range commonPasswordList {
		for _, form := range passwordForms(pw) {
			set[form] = true
		}
	}
	return set
}()

// isCommonPassword reports whether pw is a listed password, or one with
// digits and symbols added before or after it, or written in leetspeak:
// Admin@123, P@ssw0rd2024! and !!huawei888 all count.
func isCommonPassword(pw string) bool {
	for _, form := range passwordForms(strings.ToLower(pw)) {
		if commonPasswords[form] {
			return true
		}
	}
	return false
}

// passwordForms returns lower (already lower-cased), lower without trailing
// non-letters, and without leading ones too, each as is and with leetspeak
// undone. Empty forms (all digits) are left out.
func passwordForms(lower string) []string {
	isDecoration := func(r rune) bool { return !unicode.IsLetter(r) }
	var forms []string
	for _, f := range []string{lower, strings.TrimRightFunc(lower, isDecoration), strings.TrimFunc(lower, isDecoration)} {
		if f != "" {
			forms = append(forms, f, unleet(f))
		}
	}
	return forms
}

var leetReplacer = strings.NewReplacer(
	"0", "o", "1", "i", "l", "i", "!", "i", "|", "i", "3", "e", "4", "a", "@", "a",
	"5", "s", "$", "s", "7", "t", "+", "t", "8", "b",
)

// unleet maps look-alike characters to one letter each. "l", "1" and "i" all
// become "i" because people use 1 for either; the list is mapped the same way,
// so both sides agree.
func unleet(s string) string { return leetReplacer.Replace(s) }

// containsPersonal reports whether pw contains one of the user's own names:
// the whole input (e-mail addresses reduced to the part before @, separators
// removed) if it has 3 or more characters, or any word of it with 4 or more.
func containsPersonal(pw string, inputs []string) bool {
	lower := strings.ToLower(pw)
	compactPw := compact(lower)
	for _, in := range inputs {
		in = strings.ToLower(strings.TrimSpace(in))
		if local, _, ok := strings.Cut(in, "@"); ok {
			in = local
		}
		tokens := []string{compact(in)}
		if utf8.RuneCountInString(tokens[0]) < 3 {
			tokens = tokens[:0]
		}
		for _, word := range strings.FieldsFunc(in, isSeparator) {
			if utf8.RuneCountInString(word) >= 4 {
				tokens = append(tokens, word)
			}
		}
		for _, tok := range tokens {
			if strings.Contains(compactPw, tok) || strings.Contains(unleet(compactPw), unleet(tok)) {
				return true
			}
		}
	}
	return false
}

func isSeparator(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

func compact(s string) string {
	return strings.Map(func(r rune) rune {
		if isSeparator(r) {
			return -1
		}
		return r
	}, s)
}

// characterClasses counts which of lower-case, upper-case, digit and other
// (symbols, spaces, Chinese characters) occur in pw.
func characterClasses(pw string) int {
	var lower, upper, digit, other int
	for _, r := range pw {
		switch {
		case unicode.IsLower(r):
			lower = 1
		case unicode.IsUpper(r):
			upper = 1
		case unicode.IsDigit(r):
			digit = 1
		default:
			other = 1
		}
	}
	return lower + upper + digit + other
}
