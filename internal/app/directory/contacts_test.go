package directory_test

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/app/directory"
	"fenghuo/internal/apptest"
	"fenghuo/internal/audit"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// contactRecord is one record of each kind RevealContact knows, in the
// school, with the values it must reveal.
type contactRecord struct {
	kind   string
	id     int64
	name   string
	values map[string]string // field → full value
}

// schoolContacts stores a record of every kind with contacts in the school.
func schoolContacts(t *testing.T, e *apptest.Env) []contactRecord {
	t.Helper()
	ctx := context.Background()
	now := e.Clock.Now()
	school := *e.Orgs["school"]
	school.Liaison = fenghuo.Liaison{Name: "王老师", Title: "信息中心主任", Mobile: "13800138000"}
	school.DutyPhone, school.Fax, school.ReportEmail = "0477-8000000", "0477-8000001", "cert@school.example.cn"
	if err := e.DB.UpdateOrg(ctx, &school); err != nil {
		t.Fatal(err)
	}
	teacher, _ := e.User(t, "teacher", "school", fenghuo.RoleUnitReporter)
	teacher.DisplayName, teacher.Email, teacher.Mobile = "张老师", "zhang@school.example.cn", "13700001111"
	if err := e.DB.UpdateUser(ctx, teacher); err != nil {
		t.Fatal(err)
	}
	sys := &fenghuo.System{OrgID: school.ID, Name: "成绩系统", ResponsiblePerson: "李工", ResponsiblePhone: "13912345678"}
	if err := e.DB.CreateSystem(ctx, sys); err != nil {
		t.Fatal(err)
	}
	rep := &fenghuo.Report{Kind: "initial", Number: 1, ReporterName: "赵报告", ReporterPhone: "13612345678", SubmittedAt: now}
	shift := &fenghuo.DutyShift{OrgID: school.ID, StartAt: now, EndAt: now.Add(8 * time.Hour), Officer: "钱值班", Phone: "13512345678"}
	member := &fenghuo.CommandMember{Role: fenghuo.CommandCommander, Name: "孙指挥", Phone: "13412345678"}
	err := e.DB.WithTx(ctx, func(tx *store.Tx) error {
		inc := &fenghuo.Incident{OrgID: school.ID, Title: "勒索病毒", Category: "MC01", Status: fenghuo.StatusReported,
			DiscoveredAt: now, Grade: "II", ComputedGrade: "II", Channel: fenghuo.ChannelUnit}
		if err := tx.CreateIncident(ctx, inc); err != nil {
			return err
		}
		rep.IncidentID = inc.ID
		if err := tx.CreateReport(ctx, rep); err != nil {
			return err
		}
		if err := tx.CreateDutyShift(ctx, shift); err != nil {
			return err
		}
		act := &fenghuo.ResponseActivation{IncidentID: inc.ID, Level: "III", State: fenghuo.ResponseActive}
		if err := tx.CreateActivation(ctx, act); err != nil {
			return err
		}
		member.ActivationID = act.ID
		return tx.AddCommandMember(ctx, member)
	})
	if err != nil {
		t.Fatal(err)
	}
	return []contactRecord{
		{directory.ContactOrg, school.ID, "王老师", map[string]string{"liaison_mobile": "13800138000", "duty_phone": "0477-8000000",
			"fax": "0477-8000001", "report_email": "cert@school.example.cn"}},
		{directory.ContactUser, teacher.ID, "张老师", map[string]string{"email": "zhang@school.example.cn", "mobile": "13700001111"}},
		{directory.ContactSystem, sys.ID, "李工", map[string]string{"phone": "13912345678"}},
		{directory.ContactReport, rep.ID, "赵报告", map[string]string{"phone": "13612345678"}},
		{directory.ContactShift, shift.ID, "钱值班", map[string]string{"phone": "13512345678"}},
		{directory.ContactMember, member.ID, "孙指挥", map[string]string{"phone": "13412345678"}},
	}
}

func revealEntries(t *testing.T, e *apptest.Env) []audit.Entry {
	t.Helper()
	res, err := e.DB.AuditEntries(context.Background(), store.AuditFilter{ActionPrefix: "contact.full.read"}, store.Page{Limit: store.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	return res.Items
}

// TestRevealContact (issue 15 item 5): the county's duty officer sees each
// kind of record's contacts of a unit below in full, and each view is one
// contact.full.read entry naming the record, its org and whose they are,
// never the values; a viewer of the same county is refused (403), the
// other county's officer and a missing record get 404, and refusals are
// not audited as reads.
func TestRevealContact(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	records := schoolContacts(t, e)
	schoolID := e.Orgs["school"].ID
	duty, _ := e.User(t, "duty", "county", fenghuo.RoleDutyOfficer)
	viewer, _ := e.User(t, "look", "county", fenghuo.RoleViewer)
	other, _ := e.User(t, "other", "county2", fenghuo.RoleDutyOfficer)

	for _, rec := range records {
		c, err := e.App.Directory.RevealContact(ctx, e.Actor(t, duty), rec.kind, rec.id)
		if err != nil {
			t.Fatalf("%s %d: %v", rec.kind, rec.id, err)
		}
		got := map[string]string{}
		for _, f := range c.Fields {
			got[f.Field] = f.Value
		}
		if c.Kind != rec.kind || c.ID != rec.id || c.OrgID != schoolID || c.Name != rec.name || len(got) != len(rec.values) {
			t.Errorf("%s: revealed %+v", rec.kind, c)
		}
		for field, want := range rec.values {
			if got[field] != want {
				t.Errorf("%s %s = %q, want %q", rec.kind, field, got[field], want)
			}
		}
	}
	entries := revealEntries(t, e)
	if len(entries) != len(records) {
		t.Fatalf("%d contact.full.read entries, want %d", len(entries), len(records))
	}
	for _, rec := range records {
		i := slices.IndexFunc(entries, func(en audit.Entry) bool {
			return en.ObjectType == rec.kind && en.ObjectID == strconv.FormatInt(rec.id, 10)
		})
		if i < 0 {
			t.Errorf("no entry for %s %d", rec.kind, rec.id)
			continue
		}
		en := entries[i]
		var detail struct {
			OrgID  int64    `json:"org_id"`
			Name   string   `json:"name"`
			Fields []string `json:"fields"`
		}
		if err := json.Unmarshal([]byte(en.Detail), &detail); err != nil {
			t.Fatalf("%s detail %q: %v", rec.kind, en.Detail, err)
		}
		var fields []string
		for f := range rec.values {
			fields = append(fields, f)
		}
		slices.Sort(fields)
		slices.Sort(detail.Fields)
		if en.ActorID != duty.ID || en.OrgID != duty.OrgID || en.Outcome != "success" || detail.OrgID != schoolID ||
			detail.Name != rec.name || !slices.Equal(detail.Fields, fields) {
			t.Errorf("%s entry %+v, detail %+v", rec.kind, en, detail)
		}
		for _, v := range rec.values {
			if strings.Contains(en.Detail, v) || strings.Contains(en.ObjectID, v) {
				t.Errorf("the %s entry holds the value %s", rec.kind, v)
			}
		}
	}

	for _, rec := range records {
		if _, err := e.App.Directory.RevealContact(ctx, e.Actor(t, viewer), rec.kind, rec.id); fenghuo.ErrorCode(err) != fenghuo.EFORBIDDEN {
			t.Errorf("a viewer revealed %s: %v, want forbidden", rec.kind, err)
		}
		if _, err := e.App.Directory.RevealContact(ctx, e.Actor(t, other), rec.kind, rec.id); fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
			t.Errorf("the other county revealed %s: %v, want not found", rec.kind, err)
		}
		if _, err := e.App.Directory.RevealContact(ctx, e.Actor(t, duty), rec.kind, rec.id+1000); fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
			t.Errorf("a missing %s: %v, want not found", rec.kind, err)
		}
	}
	if _, err := e.App.Directory.RevealContact(ctx, e.Actor(t, duty), "passport", schoolID); fenghuo.ErrorCode(err) != fenghuo.EINVALID {
		t.Errorf("an unknown kind: %v, want invalid", err)
	}
	// Everyone may see their own account's contacts, the viewer too.
	if c, err := e.App.Directory.RevealContact(ctx, e.Actor(t, viewer), directory.ContactUser, viewer.ID); err != nil || c.ID != viewer.ID {
		t.Errorf("the viewer's own account: %+v, %v", c, err)
	}
	if n := len(revealEntries(t, e)); n != len(records)+1 {
		t.Errorf("%d contact.full.read entries after the refusals and one own view, want %d", n, len(records)+1)
	}
}

// Under audit_reads none a reveal is served and writes no entry.
func TestRevealContactAuditReadsNone(t *testing.T) {
	cfg := app.DefaultConfig()
	cfg.AuditReads = app.AuditReadsNone
	e := apptest.NewWith(t, cfg)
	records := schoolContacts(t, e)
	duty, _ := e.User(t, "duty", "county", fenghuo.RoleDutyOfficer)
	for _, rec := range records {
		if _, err := e.App.Directory.RevealContact(context.Background(), e.Actor(t, duty), rec.kind, rec.id); err != nil {
			t.Fatalf("%s: %v", rec.kind, err)
		}
	}
	if n := len(revealEntries(t, e)); n != 0 {
		t.Errorf("audit_reads none wrote %d contact.full.read entries", n)
	}
}
