package fenghuo

import (
	"fmt"
	"slices"
	"testing"
)

func TestNormalizeAddresses(t *testing.T) {
	got, err := NormalizeAddresses([]string{" 10.20.0.15 ", "", "10.1.2.3/24", "::ffff:192.0.2.7", "2001:db8::1/64", "10.20.0.15", "192.0.2.9/32"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"10.20.0.15", "10.1.2.0/24", "192.0.2.7", "2001:db8::/64", "192.0.2.9"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	for _, bad := range []string{"10.0.0", "example.org", "10.0.0.0/33", "fe80::1%eth0", "10.0.0.1/"} {
		if _, err := NormalizeAddresses([]string{bad}); ErrorCode(err) != EINVALID {
			t.Errorf("%q accepted (%v)", bad, err)
		}
	}
	many := make([]string, maxAllowedAddresses+1)
	for i := range many {
		many[i] = fmt.Sprintf("10.0.0.%d", i+1)
	}
	if _, err := NormalizeAddresses(many[:maxAllowedAddresses]); err != nil {
		t.Errorf("%d addresses refused: %v", maxAllowedAddresses, err)
	}
	if _, err := NormalizeAddresses(many); ErrorCode(err) != EINVALID {
		t.Errorf("%d addresses accepted", len(many))
	}
}

func TestAddressAllowed(t *testing.T) {
	free := &User{}
	if !free.AddressAllowed("203.0.113.5") {
		t.Error("a user without an address list is refused")
	}
	u := &User{AllowedAddresses: []string{"10.20.0.15", "192.168.8.0/24", "2001:db8::/64"}}
	for ip, want := range map[string]bool{
		"10.20.0.15": true, "::ffff:10.20.0.15": true, "10.20.0.16": false,
		"192.168.8.200": true, "192.168.9.1": false, "2001:db8::42": true, "2001:db9::1": false,
		"": false, "not-an-ip": false,
	} {
		if got := u.AddressAllowed(ip); got != want {
			t.Errorf("AddressAllowed(%q) = %v, want %v", ip, got, want)
		}
	}
}

func TestDisplayRole(t *testing.T) {
	u := User{OrgID: 1, Username: "wall-1", DisplayName: "大屏", Roles: []Role{RoleDisplay}}
	if err := u.Validate(); ErrorCode(err) != EINVALID {
		t.Errorf("a display account without an address passed: %v", err)
	}
	u.AllowedAddresses = []string{"10.20.0.15"}
	if err := u.Validate(); err != nil {
		t.Errorf("a bound display account refused: %v", err)
	}
	u.Roles = []Role{RoleDisplay, RoleViewer}
	if err := u.Validate(); ErrorCode(err) != EINVALID {
		t.Errorf("display with another role passed: %v", err)
	}
	perms := RolePermissions(RoleDisplay)
	if !slices.Equal(perms, []Permission{PermOrgRead, PermIncidentRead}) {
		t.Errorf("display may %v; it should only read incidents and the org tree", perms)
	}
}
