package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"fenghuo/internal/apptest"
	"fenghuo/internal/audit"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// formValues is what a browser submits for the form posting to action:
// inputs with their values (checkboxes and radios when checked), the
// selected option of each select, the text of each textarea.
func formValues(t *testing.T, body, action string) url.Values {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	attr := func(n *html.Node, key string) (string, bool) {
		for _, a := range n.Attr {
			if a.Key == key {
				return a.Val, true
			}
		}
		return "", false
	}
	var form *html.Node
	var find func(*html.Node)
	find = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "form" {
			if a, _ := attr(n, "action"); a == action && form == nil {
				form = n
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			find(c)
		}
	}
	find(doc)
	if form == nil {
		t.Fatalf("no form posting to %s", action)
	}
	v := url.Values{}
	var text func(*html.Node) string
	text = func(n *html.Node) string {
		var b strings.Builder
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.TextNode {
				b.WriteString(c.Data)
			} else {
				b.WriteString(text(c))
			}
		}
		return b.String()
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			name, named := attr(n, "name")
			switch {
			case !named:
			case n.Data == "input":
				typ, _ := attr(n, "type")
				_, checked := attr(n, "checked")
				if (typ != "checkbox" && typ != "radio") || checked {
					val, _ := attr(n, "value")
					v.Add(name, val)
				}
			case n.Data == "textarea":
				v.Add(name, text(n))
			case n.Data == "select":
				first, chosen := "", ""
				for o := n.FirstChild; o != nil; o = o.NextSibling {
					if o.Type != html.ElementNode || o.Data != "option" {
						continue
					}
					val, _ := attr(o, "value")
					if first == "" {
						first = val
					}
					if _, sel := attr(o, "selected"); sel && chosen == "" {
						chosen = val
					}
				}
				if chosen == "" {
					chosen = first
				}
				v.Add(name, chosen)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(form)
	return v
}

// reads counts the audit entries that are reads.
func reads(t *testing.T, e *apptest.Env) int {
	t.Helper()
	res, err := e.DB.AuditEntries(context.Background(), store.AuditFilter{Kind: audit.KindRead}, store.Page{Limit: store.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	return len(res.Items)
}

// TestEditFormsKeepMaskedContacts (issue 15 item 5): the org, system and
// account edit forms show the contacts masked, with 查看完整号码 for those
// who may reveal, and opening them audits nothing; submitting a form with
// the masks untouched keeps the stored values, a changed value is stored,
// and an invalid one is refused with what was typed kept in the form.
func TestEditFormsKeepMaskedContacts(t *testing.T) {
	e, srv := console(t)
	ctx := context.Background()
	school := *e.Orgs["school"]
	school.Liaison = fenghuo.Liaison{Name: "王老师", Mobile: "13800138000"}
	school.DutyPhone, school.Fax, school.ReportEmail = "0477-8000000", "0477-8000001", "cert@school.example.cn"
	if err := e.DB.UpdateOrg(ctx, &school); err != nil {
		t.Fatal(err)
	}
	sys := &fenghuo.System{OrgID: school.ID, Name: "成绩系统", ResponsiblePerson: "李工", ResponsiblePhone: "13912345678", Status: "active"}
	if err := e.DB.CreateSystem(ctx, sys); err != nil {
		t.Fatal(err)
	}
	teacher, _ := e.User(t, "teacher", "school", fenghuo.RoleUnitReporter)
	teacher.Email, teacher.Mobile = "teacher@school.example.cn", "13700001111"
	if err := e.DB.UpdateUser(ctx, teacher); err != nil {
		t.Fatal(err)
	}
	e.User(t, "boss", "county", fenghuo.RoleCommander)
	_, secret := e.User(t, "sec1", "county", fenghuo.RoleSecurityAdmin)

	c := browser(t)
	if r := login(t, c, srv, "boss", apptest.Password); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("log-in: %d", r.StatusCode)
	}
	orgID := strconv.FormatInt(school.ID, 10)
	before := reads(t, e)
	r, body := get(t, c, srv, "/orgs/"+orgID+"/edit")
	if r.StatusCode != 200 {
		t.Fatalf("org form: %d", r.StatusCode)
	}
	for _, full := range []string{"13800138000", "0477-8000000", "0477-8000001", "cert@school"} {
		if strings.Contains(body, full) {
			t.Errorf("the org form shows %s in full", full)
		}
	}
	if !strings.Contains(body, `href="/contacts/org/`+orgID+`"`) {
		t.Error("the org form has no 查看完整号码 link for a commander")
	}
	if n := reads(t, e); n != before {
		t.Errorf("opening the org form wrote %d read entries", n-before)
	}
	form := formValues(t, body, "/orgs/"+orgID)
	if form.Get("liaison_mobile") != "138****8000" || form.Get("report_email") != "c***@school.example.cn" {
		t.Fatalf("org form values: mobile %q, e-mail %q", form.Get("liaison_mobile"), form.Get("report_email"))
	}
	form.Set("address", "乌审旗新区")
	if r, body := post(t, c, srv, "/orgs/"+orgID, form); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("saving the org form untouched: %d %.300s", r.StatusCode, body)
	}
	got, _ := e.DB.Org(ctx, school.ID)
	if got.Address != "乌审旗新区" || got.Liaison.Mobile != "13800138000" || got.DutyPhone != "0477-8000000" || got.Fax != "0477-8000001" || got.ReportEmail != "cert@school.example.cn" {
		t.Fatalf("after saving the masks: %+v %q %q %q %q", got.Liaison, got.DutyPhone, got.Fax, got.ReportEmail, got.Address)
	}
	_, body = get(t, c, srv, "/orgs/"+orgID+"/edit")
	form = formValues(t, body, "/orgs/"+orgID)
	form.Set("liaison_mobile", "13900139000")
	form.Set("fax", "")
	if r, _ := post(t, c, srv, "/orgs/"+orgID, form); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("saving a new mobile: %d", r.StatusCode)
	}
	got, _ = e.DB.Org(ctx, school.ID)
	if got.Liaison.Mobile != "13900139000" || got.Fax != "" || got.DutyPhone != "0477-8000000" {
		t.Fatalf("after changing the mobile and clearing the fax: %q %q %q", got.Liaison.Mobile, got.Fax, got.DutyPhone)
	}
	_, body = get(t, c, srv, "/orgs/"+orgID+"/edit")
	form = formValues(t, body, "/orgs/"+orgID)
	form.Set("liaison_mobile", "not a phone")
	r, body = post(t, c, srv, "/orgs/"+orgID, form)
	if r.StatusCode != http.StatusBadRequest || !strings.Contains(body, `value="not a phone"`) || !strings.Contains(body, `value="047*-***0000"`) ||
		strings.Contains(body, "0477-8000000") {
		t.Errorf("an invalid mobile: %d, typed value kept %v, others masked %v", r.StatusCode,
			strings.Contains(body, `value="not a phone"`), strings.Contains(body, `value="047*-***0000"`))
	}
	if got, _ = e.DB.Org(ctx, school.ID); got.Liaison.Mobile != "13900139000" {
		t.Errorf("a refused form changed the mobile to %q", got.Liaison.Mobile)
	}

	sysID := strconv.FormatInt(sys.ID, 10)
	before = reads(t, e)
	_, body = get(t, c, srv, "/systems/"+sysID+"/edit")
	if strings.Contains(body, "13912345678") || !strings.Contains(body, `href="/contacts/system/`+sysID+`"`) {
		t.Error("the system form shows the phone in full or lacks the reveal link")
	}
	if n := reads(t, e); n != before {
		t.Errorf("opening the system form wrote %d read entries", n-before)
	}
	form = formValues(t, body, "/systems/"+sysID)
	if form.Get("responsible_phone") != "139****5678" {
		t.Fatalf("system form phone %q", form.Get("responsible_phone"))
	}
	form.Set("department", "信息中心")
	if r, body := post(t, c, srv, "/systems/"+sysID, form); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("saving the system form untouched: %d %.300s", r.StatusCode, body)
	}
	if s, _ := e.DB.System(ctx, sys.ID); s.ResponsiblePhone != "13912345678" || s.Department != "信息中心" {
		t.Errorf("after saving the system form: phone %q, department %q", s.ResponsiblePhone, s.Department)
	}

	a := browser(t)
	loginTOTP(t, a, srv, e, "sec1", secret)
	userID := strconv.FormatInt(teacher.ID, 10)
	before = reads(t, e)
	_, body = get(t, a, srv, "/users/"+userID+"/edit")
	if strings.Contains(body, "13700001111") || strings.Contains(body, "teacher@school") || !strings.Contains(body, `href="/contacts/user/`+userID+`"`) {
		t.Error("the account form shows the contacts in full or lacks the reveal link")
	}
	if n := reads(t, e); n != before {
		t.Errorf("opening the account form wrote %d read entries", n-before)
	}
	form = formValues(t, body, "/users/"+userID)
	if form.Get("mobile") != "137****1111" || form.Get("email") != "t***@school.example.cn" {
		t.Fatalf("account form values: %q %q", form.Get("mobile"), form.Get("email"))
	}
	form.Set("display_name", "张老师")
	if r, body := post(t, a, srv, "/users/"+userID, form); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("saving the account form untouched: %d %.300s", r.StatusCode, body)
	}
	if u, _ := e.DB.User(ctx, teacher.ID); u.Mobile != "13700001111" || u.Email != "teacher@school.example.cn" || u.DisplayName != "张老师" {
		t.Errorf("after saving the account form: %q %q %q", u.Mobile, u.Email, u.DisplayName)
	}
	form.Set("email", "zhang@school.example.cn")
	form.Set("version", strconv.Itoa(mustUser(t, e, "teacher").Version))
	if r, _ := post(t, a, srv, "/users/"+userID, form); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("saving a new e-mail: %d", r.StatusCode)
	}
	if u, _ := e.DB.User(ctx, teacher.ID); u.Email != "zhang@school.example.cn" || u.Mobile != "13700001111" {
		t.Errorf("after changing the e-mail: %q %q", u.Email, u.Mobile)
	}
}
