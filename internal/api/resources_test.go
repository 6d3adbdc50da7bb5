package api_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"fenghuo/internal/fenghuo"
	"fenghuo/internal/sheets"
	"fenghuo/internal/store"
)

type orgOut struct {
	ID       int64    `json:"id"`
	ParentID int64    `json:"parent_id"`
	Name     string   `json:"name"`
	Level    string   `json:"level"`
	Type     string   `json:"type"`
	Duty     string   `json:"duty_phone"`
	PlanIDs  []string `json:"plan_ids"`
	Version  int      `json:"version"`
}

type listOut[T any] struct {
	Items  []T `json:"items"`
	Total  int `json:"total"`
	Limit  int `json:"limit"`
	Offset int `json:"offset"`
}

// wantField fails unless r is a 400 naming field.
func wantField(t *testing.T, r resp, field string) {
	t.Helper()
	r.want(t, http.StatusBadRequest)
	if code, f := r.errBody(t); code != fenghuo.EINVALID || f != field {
		t.Fatalf("error %s on field %q, want invalid on %q: %s", code, f, field, r.Body)
	}
}

func TestOrgs(t *testing.T) {
	e := newEnv(t)
	e.user(t, "cmd", "county", fenghuo.RoleCommander)
	c := e.login(t, "cmd")

	var all listOut[orgOut]
	e.do(t, c, "GET", "/api/v1/orgs", nil).want(t, 200).json(t, &all)
	if all.Total != 3 || all.Items[0].ID != e.Orgs["county"].ID || all.Limit != 50 || all.Offset != 0 {
		t.Fatalf("orgs in scope: %+v", all)
	}
	var one listOut[orgOut]
	e.do(t, c, "GET", "/api/v1/orgs?limit=1&offset=1", nil).want(t, 200).json(t, &one)
	if one.Total != 3 || len(one.Items) != 1 || one.Limit != 1 || one.Offset != 1 {
		t.Fatalf("second page: %+v", one)
	}
	e.do(t, c, "GET", "/api/v1/orgs?q=医院", nil).want(t, 200).json(t, &one)
	if one.Total != 1 || one.Items[0].ID != e.Orgs["hospital"].ID {
		t.Fatalf("search: %+v", one)
	}
	wantField(t, e.do(t, c, "GET", "/api/v1/orgs?limit=501", nil), "limit")
	wantField(t, e.do(t, c, "GET", "/api/v1/orgs?offset=-1", nil), "offset")

	county := e.Orgs["county"].ID
	r := e.do(t, c, "POST", "/api/v1/orgs", map[string]any{"parent_id": county, "name": "甲县水务公司", "level": "unit", "type": "operator",
		"liaison": map[string]string{"name": "王工", "mobile": "13800138000"}}).want(t, 201)
	var made orgOut
	r.json(t, &made)
	if made.ParentID != county || made.Version != 1 || r.Header.Get("Location") != fmt.Sprintf("/api/v1/orgs/%d", made.ID) {
		t.Fatalf("created %+v at %q", made, r.Header.Get("Location"))
	}
	wantField(t, e.do(t, c, "POST", "/api/v1/orgs", map[string]any{"parent_id": county, "name": "x", "level": "galaxy", "type": "operator"}), "level")
	wantField(t, e.do(t, c, "POST", "/api/v1/orgs", map[string]any{"name": "x", "level": "unit", "type": "operator"}), "parent_id")
	wantField(t, e.do(t, c, "POST", "/api/v1/orgs", map[string]any{"parent_id": county, "name": "x", "level": "unit", "type": "operator",
		"liaison": map[string]string{"mobile": "not a phone"}}), "liaison.mobile")

	path := fmt.Sprintf("/api/v1/orgs/%d", made.ID)
	var patched orgOut
	e.do(t, c, "PATCH", path, map[string]any{"duty_phone": "0415-1234567", "version": 1}).want(t, 200).json(t, &patched)
	// Answers mask the phone (issue 15 item 5); the contact route shows it.
	if patched.Duty != "041*-***4567" || patched.Name != "甲县水务公司" || patched.Version != 2 {
		t.Fatalf("PATCH changed more or less than asked: %+v", patched)
	}
	if r := e.do(t, c, "GET", fmt.Sprintf("/api/v1/contacts/org/%d", made.ID), nil).want(t, 200); !strings.Contains(string(r.Body), `"value":"0415-1234567"`) {
		t.Fatalf("the stored duty phone: %s", r.Body)
	}
	r = e.do(t, c, "PATCH", path, map[string]any{"duty_phone": "0415-7654321", "version": 1}).want(t, 409)
	if code, _ := r.errBody(t); code != fenghuo.ECONFLICT {
		t.Fatalf("stale version: %s", r.Body)
	}
	wantField(t, e.do(t, c, "PATCH", path, map[string]any{"duty_phone": "0415-7654321"}), "version")
	var put orgOut
	e.do(t, c, "PUT", path, map[string]any{"name": "甲县供水公司", "level": "unit", "type": "operator", "version": 2}).want(t, 200).json(t, &put)
	if put.Name != "甲县供水公司" || put.Duty != "" || put.Version != 3 {
		t.Fatalf("PUT must replace every editable field: %+v", put)
	}
	e.do(t, c, "GET", path, nil).want(t, 200)

	var kids listOut[orgOut]
	e.do(t, c, "GET", fmt.Sprintf("/api/v1/orgs/%d/children", county), nil).want(t, 200).json(t, &kids)
	if kids.Total != 3 {
		t.Fatalf("children of county: %+v", kids)
	}
	var plans struct {
		PlanIDs       []string `json:"plan_ids"`
		InheritedFrom int64    `json:"inherited_from"`
		Inherited     bool     `json:"inherited"`
	}
	e.do(t, c, "GET", fmt.Sprintf("/api/v1/orgs/%d/plans", e.Orgs["school"].ID), nil).want(t, 200).json(t, &plans)
	if !plans.Inherited || plans.InheritedFrom != county || len(plans.PlanIDs) != 2 {
		t.Fatalf("school inherits the county's plans: %+v", plans)
	}
	// Out of scope is not found, not forbidden: a sibling's existence is not told.
	e.do(t, c, "GET", fmt.Sprintf("/api/v1/orgs/%d", e.Orgs["county2"].ID), nil).want(t, 404)
	e.do(t, c, "GET", "/api/v1/orgs/abc", nil).want(t, 404)
}

type systemOut struct {
	ID         int64  `json:"id"`
	OrgID      int64  `json:"org_id"`
	Name       string `json:"name"`
	Level      int    `json:"protection_level"`
	Department string `json:"department"`
	Version    int    `json:"version"`
	Components []struct {
		Name, Version string
	} `json:"components"`
}

func TestSystems(t *testing.T) {
	e := newEnv(t)
	e.user(t, "ana", "county", fenghuo.RoleAnalyst)
	c := e.login(t, "ana")
	school := e.Orgs["school"].ID
	e.system(t, "hospital", "医院HIS系统")

	body := map[string]any{"org_id": school, "name": "学校门户网站", "protection_level": 2, "department": "信息中心",
		"key_kinds": []string{"public_info"}, "exposure": []map[string]string{{"kind": "domain", "value": "www.school.example.cn"}},
		"components": []map[string]string{{"name": "WebLogic", "version": "10.3.6"}}}
	var s systemOut
	e.do(t, c, "POST", "/api/v1/systems", body).want(t, 201).json(t, &s)
	if s.OrgID != school || s.Version != 1 || len(s.Components) != 1 {
		t.Fatalf("created %+v", s)
	}
	for query, want := range map[string]int{
		"": 2, "?org_id=" + fmt.Sprint(school): 1, "?component=weblogic": 1, "?min_level=3": 1, "?cii=true": 0,
		"?q=www.school.example.cn": 1, "?key_kind=public_info": 1, "?status=retired": 0,
	} {
		var l listOut[systemOut]
		e.do(t, c, "GET", "/api/v1/systems"+query, nil).want(t, 200).json(t, &l)
		if l.Total != want {
			t.Errorf("systems%s: %d, want %d", query, l.Total, want)
		}
	}
	r := e.do(t, c, "GET", "/api/v1/systems/export.xlsx?component=weblogic", nil).want(t, 200)
	rows, err := sheets.ParseSystems("systems.xlsx", bytes.NewReader(r.Body), 1<<20)
	if err != nil || len(rows) != 1 || r.Header.Get("Content-Disposition") == "" {
		t.Fatalf("export reads back as %d rows (%v), headers %v", len(rows), err, r.Header)
	}
	n, err := e.DB.AuditEntries(t.Context(), store.AuditFilter{ActionPrefix: "export.systems"}, store.Page{})
	if err != nil || n.Total != 1 {
		t.Fatalf("the export is audited: %+v %v", n, err)
	}
	wantField(t, e.do(t, c, "GET", "/api/v1/systems?min_level=9", nil), "min_level")
	wantField(t, e.do(t, c, "GET", "/api/v1/systems?cii=maybe", nil), "cii")
	wantField(t, e.do(t, c, "GET", "/api/v1/systems?org_id=x", nil), "org_id")
	e.do(t, c, "GET", fmt.Sprintf("/api/v1/systems?org_id=%d", e.Orgs["school2"].ID), nil).want(t, 404)

	bad := map[string]any{"org_id": school, "name": "x", "protection_level": 7}
	wantField(t, e.do(t, c, "POST", "/api/v1/systems", bad), "protection_level")
	wantField(t, e.do(t, c, "POST", "/api/v1/systems", map[string]any{"org_id": e.Orgs["school2"].ID, "name": "x"}), "org_id")
	wantField(t, e.do(t, c, "POST", "/api/v1/systems", map[string]any{"org_id": school, "name": "x", "protection_level": "three"}), "protection_level")

	path := fmt.Sprintf("/api/v1/systems/%d", s.ID)
	var p systemOut
	e.do(t, c, "PATCH", path, map[string]any{"protection_level": 3, "version": 1}).want(t, 200).json(t, &p)
	if p.Level != 3 || p.Department != "信息中心" || p.Version != 2 {
		t.Fatalf("patched %+v", p)
	}
	e.do(t, c, "PUT", path, map[string]any{"org_id": school, "name": "学校门户", "version": 1}).want(t, 409)
	e.do(t, c, "PUT", path, map[string]any{"org_id": school, "name": "学校门户", "version": 2}).want(t, 200).json(t, &p)
	if p.Department != "" || len(p.Components) != 0 || p.Version != 3 {
		t.Fatalf("PUT keeps nothing it was not sent: %+v", p)
	}
	wantField(t, e.do(t, c, "DELETE", path, nil), "version")
	e.do(t, c, "DELETE", path+"?version=2", nil).want(t, 409)
	e.do(t, c, "DELETE", path+"?version=3", nil).want(t, 204)
	e.do(t, c, "GET", path, nil).want(t, 404)
}

type userOut struct {
	ID          int64    `json:"id"`
	OrgID       int64    `json:"org_id"`
	Username    string   `json:"username"`
	DisplayName string   `json:"display_name"`
	Roles       []string `json:"roles"`
	Disabled    bool     `json:"disabled"`
	MustEnroll  bool     `json:"must_enroll_totp"`
	Version     int      `json:"version"`
}

func TestUsers(t *testing.T) {
	e := newEnv(t)
	sec := e.user(t, "sec", "county", fenghuo.RoleSecurityAdmin)
	c := e.login(t, "sec")
	school := e.Orgs["school"].ID
	const pw = "Correct-Horse-Battery-9"

	var u userOut
	r := e.do(t, c, "POST", "/api/v1/users", map[string]any{"org_id": school, "username": "reporter1", "display_name": "报送员甲",
		"roles": []string{"unit_reporter"}, "password": pw}).want(t, 201)
	r.json(t, &u)
	if u.OrgID != school || u.Version != 1 || strings.Contains(string(r.Body), "password") && !strings.Contains(string(r.Body), "password_changed_at") {
		t.Fatalf("created %s", r.Body)
	}
	wantField(t, e.do(t, c, "POST", "/api/v1/users", map[string]any{"org_id": school, "username": "reporter2", "display_name": "乙",
		"roles": []string{"viewer"}, "password": "123456"}), "password")
	wantField(t, e.do(t, c, "POST", "/api/v1/users", map[string]any{"org_id": school, "username": "reporter3", "display_name": "丙",
		"roles": []string{"emperor"}, "password": pw}), "roles")
	e.do(t, c, "POST", "/api/v1/users", map[string]any{"org_id": school, "username": "REPORTER1", "display_name": "重名",
		"roles": []string{"viewer"}, "password": pw}).want(t, 409)

	path := fmt.Sprintf("/api/v1/users/%d", u.ID)
	e.do(t, c, "PATCH", path, map[string]any{"roles": []string{"system_admin"}, "version": 1}).want(t, 200).json(t, &u)
	if len(u.Roles) != 1 || u.Roles[0] != "system_admin" || !u.MustEnroll || u.Version != 2 {
		t.Fatalf("promoted to administrator must enrol TOTP: %+v", u)
	}
	e.do(t, c, "PATCH", path, map[string]any{"roles": []string{"unit_reporter"}, "version": 2}).want(t, 200).json(t, &u)
	if !u.MustEnroll {
		t.Fatalf("a pending TOTP enrolment is kept across an update: %+v", u)
	}
	e.do(t, c, "PATCH", path, map[string]any{"display_name": "x", "version": 1}).want(t, 409)
	wantField(t, e.do(t, c, "PATCH", fmt.Sprintf("/api/v1/users/%d", sec.ID), map[string]any{"roles": []string{"viewer"}, "version": sec.Version}), "roles")

	e.do(t, c, "POST", path+"/password", map[string]string{"password": "Another-Long-Passphrase-7"}).want(t, 204)
	wantField(t, e.do(t, c, "POST", path+"/password", map[string]string{"password": "password"}), "password")
	e.do(t, cred{}, "POST", "/api/v1/session", map[string]string{"username": "reporter1", "password": "Another-Long-Passphrase-7"}).want(t, 403) // must enrol TOTP first

	var l listOut[userOut]
	e.do(t, c, "GET", "/api/v1/users?q=reporter", nil).want(t, 200).json(t, &l)
	if l.Total != 1 {
		t.Fatalf("users: %+v", l)
	}
	e.do(t, c, "GET", path, nil).want(t, 200).json(t, &u) // the password reset moved the version on
	e.do(t, c, "PUT", path, map[string]any{"org_id": school, "username": "reporter1", "display_name": "报送员甲", "roles": []string{"viewer"},
		"disabled": true, "version": u.Version}).want(t, 200).json(t, &u)
	if !u.Disabled {
		t.Fatalf("disabled: %+v", u)
	}
	e.do(t, c, "GET", "/api/v1/users", nil).want(t, 200).json(t, &l)
	for _, x := range l.Items {
		if x.ID == u.ID {
			t.Fatal("disabled accounts are listed only with ?disabled=true")
		}
	}
	e.do(t, c, "GET", "/api/v1/users?disabled=true", nil).want(t, 200).json(t, &l)
	if l.Total != 2 {
		t.Fatalf("with disabled: %+v", l)
	}
}

// A register imports all or nothing; problems come back by row.
func TestImportSystemsAPI(t *testing.T) {
	e := newEnv(t)
	e.user(t, "ana", "county", fenghuo.RoleAnalyst)
	c := e.login(t, "ana")
	bad := "所属单位,系统名称,等保级别\n甲县第一中学,成绩系统,3\n甲县人民医院,HIS,六级\n乙县第一中学,越权系统,2\n"
	r := e.do(t, c, "POST", "/api/v1/systems/import", upload("systems.csv", bad)).want(t, 400)
	var out struct {
		Error struct {
			Code     string
			Problems []struct {
				Row     int
				Message string
			}
		}
	}
	r.json(t, &out)
	if out.Error.Code != "invalid" || len(out.Error.Problems) == 0 || out.Error.Problems[0].Row != 3 {
		t.Fatalf("problems: %+v", out)
	}
	var list struct{ Total int }
	e.do(t, c, "GET", "/api/v1/systems", nil).want(t, 200).json(t, &list)
	if list.Total != 0 {
		t.Fatalf("a failed import stored %d systems", list.Total)
	}
	var ok struct{ Imported int }
	e.do(t, c, "POST", "/api/v1/systems/import", upload("systems.csv", "所属单位,系统名称,等保级别\n甲县第一中学,成绩系统,3\n甲县人民医院,HIS,三级\n")).want(t, 200).json(t, &ok)
	if ok.Imported != 2 {
		t.Errorf("imported %d", ok.Imported)
	}
	e.do(t, c, "POST", "/api/v1/systems/import", map[string]string{"file": "x"}).want(t, 400)
	// A unit outside the caller's scope is a problem of its row, listed.
	r = e.do(t, c, "POST", "/api/v1/systems/import", upload("systems.csv", "所属单位,系统名称,等保级别\n乙县第一中学,越权系统,2\n")).want(t, 400)
	r.json(t, &out)
	if len(out.Error.Problems) != 1 || out.Error.Problems[0].Row != 2 {
		t.Errorf("out-of-scope row: %+v", out)
	}
}
