package auth

import (
	"errors"
	"strings"
	"testing"
	"unicode"

	"fenghuo/internal/fenghuo"
)

func TestCheckPassword(t *testing.T) {
	inputs := []string{"zhangwei", "zhang.wei@hz-wangxin.gov.cn", "杭州市网信办"}
	tests := []struct {
		pw   string
		want string // "" for accepted
	}{
		// accepted
		{"correct horse battery staple", ""},
		{"Tr0ub4dor&3-Xylophone", ""},
		{"我的密码是长城永不倒啊", "password.too_short"}, // 11 runes
		{"我家门前有两棵枣树一棵是枣树", PasswordClasses},   // 14 runes of one class
		{"我家门前有两棵树一棵是枣树另一棵也是", ""},            // 18 runes
		{"Kx9#mQ2$vL7p", ""},
		{"blue-Harbor-42-lantern", ""},
		{"4 Quiet Rivers!", ""},
		{"were tree sass upon", ""}, // short neighbour-key runs in words are fine
		{"Sunflower-Tuesday-88", ""},
		{"Meet@Xiamen-0830", ""},
		// too short / too long
		{"", PasswordTooShort},
		{"Kx9#mQ2$vL7", PasswordTooShort},
		{strings.Repeat("ab3D", 65), PasswordTooLong},
		// personal
		{"Zhangwei-Secure-77", PasswordPersonal},
		{"my.ZHANG.WEI.pass!", PasswordPersonal},
		{"杭州市网信办的安全密码2026", PasswordPersonal},
		// common and default passwords, with decorations
		{"Admin@123456", PasswordCommon},
		{"P@ssw0rd2024!", PasswordCommon},
		{"Huawei@123456", PasswordCommon},
		{"!!Huawei12#$", PasswordCommon},
		{"woaini1314520", PasswordCommon},
		{"Iloveyou2024!", PasswordCommon},
		{"1qaz2wsx3edc", PasswordCommon},
		{"Administrator1", PasswordCommon},
		{"Changeme_123", PasswordCommon},
		{"Sangfor@12345", PasswordCommon},
		{"Qwertyuiop12", PasswordCommon},
		{"PASSWORDPASSWORD", PasswordCommon},
		{"Hik12345!!!!", PasswordCommon},
		// patterns
		{"Zx1234567890", PasswordPattern},
		{"!QAZ@WSX#EDC$RFV", PasswordPattern},
		{"1q2w3e4r5t6y7u", PasswordPattern},
		{"q1w2e3r4Q!W@E#R$", PasswordPattern},
		{"Sdfghjkl1234!", PasswordPattern},
		{"aaaaaaaaaaaA1!", PasswordPattern},
		{"Xy7#Xy7#Xy7#", PasswordPattern},
		{"zxcvbnm,./ZXC", PasswordPattern},
		{"abcdefgHIJKL99", PasswordPattern},
		{"9876543210Zz!", PasswordPattern},
		// classes
		{"kxqmvlpzrtwn", PasswordClasses},
		{"kxqmvlpzRTWN", PasswordClasses},
		{"kxqmvlpzrtwnbhjf", ""}, // 16 letters: long enough without classes
	}
	for _, tt := range tests {
		err := CheckPassword(tt.pw, inputs...)
		var pe *PasswordError
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("CheckPassword(%q) = %v, want accepted", tt.pw, err)
		case tt.want != "" && (!errors.As(err, &pe) || pe.Reason != tt.want):
			t.Errorf("CheckPassword(%q) = %v, want %s", tt.pw, err, tt.want)
		}
	}
}

func TestPasswordErrorIsInvalid(t *testing.T) {
	err := CheckPassword("short")
	if code := fenghuo.ErrorCode(err); code != fenghuo.EINVALID {
		t.Fatalf("code = %q, want EINVALID", code)
	}
	var pe *PasswordError
	if !errors.As(err, &pe) || !strings.Contains(pe.MessageZH, "12 个字符") || !strings.Contains(pe.MessageEN, "12 characters") {
		t.Fatalf("error %#v lacks the messages", err)
	}
	if msg := fenghuo.ErrorMessage(err); !strings.HasPrefix(msg, "password: Use at least 12") {
		t.Errorf("ErrorMessage = %q", msg)
	}
}

// Every listed entry must be refused in the forms people actually use.
// Entries without letters (123456, 5201314) are only refused as they are:
// decorated with more digits they become long digit strings, which the
// character-class rule refuses.
func TestCommonListDecorations(t *testing.T) {
	for _, pw := range commonPasswordList {
		forms := []string{pw, strings.ToUpper(pw) + "2024!", pw + "@123456789012", "##" + pw + "88"}
		if strings.IndexFunc(pw, unicode.IsLetter) < 0 {
			forms = forms[:1]
		}
		for _, form := range forms {
			if !isCommonPassword(form) {
				t.Errorf("isCommonPassword(%q) = false (list entry %q)", form, pw)
			}
		}
	}
	if n := len(commonPasswordList); n < 400 {
		t.Errorf("only %d list entries", n)
	}
}

func TestCommonListFalsePositives(t *testing.T) {
	for _, pw := range []string{"harbour lantern", "Xiamen Lighthouse", "correct horse", "administration building 7"} {
		if isCommonPassword(pw) {
			t.Errorf("isCommonPassword(%q) = true", pw)
		}
	}
}

func TestKeysAdjacent(t *testing.T) {
	for _, pair := range []string{"qw", "wq", "1q", "q2", "aq", "aw", "za", "zs", "!q", "@w", "/.", "p[", ";'"} {
		r := []rune(pair)
		if keyStep(r[0], r[1]) == 0 || keyStep(r[1], r[0]) == 0 {
			t.Errorf("%q not adjacent", pair)
		}
	}
	for _, pair := range []string{"qe", "1a", "qs", "z2", "x1", "p1", "中文"} {
		r := []rune(pair)
		if keyStep(r[0], r[1]) != 0 {
			t.Errorf("%q adjacent", pair)
		}
	}
}
