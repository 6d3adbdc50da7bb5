package auditlog_test

import (
	"bytes"
	"context"
	"testing"

	"fenghuo/internal/app"
	"fenghuo/internal/app/account"
	"fenghuo/internal/app/incident"
	"fenghuo/internal/apptest"
	"fenghuo/internal/audit"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// readsFixture gives the school a liaison with a mobile number, files one
// incident as the school's reporter and returns the county analyst (who
// reads) and the city's audit administrator (who searches).
func readsFixture(t *testing.T, e *apptest.Env) (reader, auditor *app.Actor, inc *fenghuo.Incident) {
	t.Helper()
	ctx := context.Background()
	school := *e.Orgs["school"]
	school.Liaison = fenghuo.Liaison{Name: "王老师", Title: "信息中心主任", Mobile: "13800138000"}
	if err := e.DB.UpdateOrg(ctx, &school); err != nil {
		t.Fatal(err)
	}
	rep, _ := e.User(t, "rep", "school", fenghuo.RoleUnitReporter)
	inc, err := e.App.Incidents.CreateIncident(ctx, e.Actor(t, rep), incident.IncidentInput{OrgID: school.ID, Title: "网站篡改",
		Category: "IAI", DiscoveredAt: e.Clock.Now(), OccurredAt: e.Clock.Now()})
	if err != nil {
		t.Fatal(err)
	}
	an, _ := e.User(t, "analyst", "county", fenghuo.RoleAnalyst)
	aud, _ := e.User(t, "auditor", "city", fenghuo.RoleAuditAdmin)
	return e.Actor(t, an), e.Actor(t, aud), inc
}

func search(t *testing.T, e *apptest.Env, auditor *app.Actor, kind string) []audit.Entry {
	t.Helper()
	res, err := e.App.AuditLog.AuditEntries(context.Background(), auditor, store.AuditFilter{Kind: kind}, store.Page{Limit: store.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	return res.Items
}

func find(entries []audit.Entry, action, objectID string) *audit.Entry {
	for i := range entries {
		if entries[i].Action == action && entries[i].ObjectID == objectID {
			return &entries[i]
		}
	}
	return nil
}

func TestReadsAreAuditedApartFromChanges(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	reader, auditor, inc := readsFixture(t, e)
	schoolID := app.ObjectID(e.Orgs["school"].ID)
	incID := app.ObjectID(inc.ID)

	// List pages write no read entry under the default setting.
	before := len(search(t, e, auditor, audit.KindRead))
	if _, err := e.App.Incidents.ListIncidents(ctx, reader, store.IncidentFilter{}, store.Page{}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.App.Directory.Orgs(ctx, reader, store.OrgFilter{}, store.Page{}); err != nil {
		t.Fatal(err)
	}
	if got := len(search(t, e, auditor, audit.KindRead)); got != before {
		t.Fatalf("list pages wrote %d read entries under the default setting, want none", got-before)
	}

	// Viewing the school's contacts (its liaison's mobile) is a read.
	o, err := e.App.Directory.ViewOrg(ctx, reader, e.Orgs["school"].ID)
	if err != nil || o.Liaison.Mobile != "13800138000" {
		t.Fatalf("ViewOrg: %+v %v", o, err)
	}
	if _, err := e.App.Incidents.ViewIncident(ctx, reader, inc.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.App.Incidents.ViewReports(ctx, reader, inc.ID); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := e.App.Incidents.IncidentsXLSX(ctx, reader, store.IncidentFilter{}, "zh", &buf); err != nil {
		t.Fatal(err)
	}

	reads := search(t, e, auditor, audit.KindRead)
	contact := find(reads, "org.contact.read", schoolID)
	if contact == nil {
		t.Fatalf("viewing the liaison's phone number is not among the reads: %+v", reads)
	}
	if contact.ActorName != "analyst" || contact.IP != "127.0.0.1" || contact.ObjectType != "org" || !contact.Time.Equal(e.Clock.Now()) {
		t.Errorf("the contact read names %q from %q at %v on %s, want analyst from 127.0.0.1 at %v on org", contact.ActorName, contact.IP, contact.Time, contact.ObjectType, e.Clock.Now())
	}
	for _, want := range []struct{ action, id string }{{"incident.read", incID}, {"report.read", incID}, {"export.incidents", ""}} {
		if find(reads, want.action, want.id) == nil {
			t.Errorf("%s %s is not among the reads", want.action, want.id)
		}
	}
	for _, r := range reads {
		if r.Kind() != audit.KindRead {
			t.Errorf("the read filter kept %s", r.Action)
		}
	}
	changes := search(t, e, auditor, audit.KindChange)
	if find(changes, "incident.create", incID) == nil {
		t.Errorf("the filing of the incident is not among the changes")
	}
	for _, c := range changes {
		if c.Kind() != audit.KindChange {
			t.Errorf("the change filter kept %s", c.Action)
		}
	}
	if all := search(t, e, auditor, ""); len(all) != len(reads)+len(changes) {
		t.Errorf("all: %d entries, reads %d + changes %d", len(all), len(reads), len(changes))
	}
	if _, err := e.App.AuditLog.AuditEntries(ctx, auditor, store.AuditFilter{Kind: "views"}, store.Page{}); fenghuo.ErrorCode(err) != fenghuo.EINVALID {
		t.Errorf("an unknown kind: %v, want EINVALID", err)
	}

	// The reads are links of the same chain.
	res, err := e.App.AuditLog.VerifyAudit(ctx, account.CLIActor())
	if err != nil || !res.OK || res.Checked < int64(len(reads)+len(changes)) {
		t.Errorf("audit chain with reads: %+v %v", res, err)
	}
}

func TestAuditReadsSetting(t *testing.T) {
	for _, tc := range []struct {
		level string
		// want is the read actions the views below write, in order.
		want []string
	}{
		{app.AuditReadsNone, []string{"export.incidents"}},
		{app.AuditReadsAll, []string{"incident.list.read", "org.contact.read", "incident.read", "export.incidents"}},
	} {
		t.Run(tc.level, func(t *testing.T) {
			cfg := app.DefaultConfig()
			cfg.AuditReads = tc.level
			e := apptest.NewWith(t, cfg)
			ctx := context.Background()
			reader, auditor, inc := readsFixture(t, e)
			before := len(search(t, e, auditor, audit.KindRead))
			if _, err := e.App.Incidents.ListIncidents(ctx, reader, store.IncidentFilter{}, store.Page{}); err != nil {
				t.Fatal(err)
			}
			if _, err := e.App.Directory.ViewOrg(ctx, reader, e.Orgs["school"].ID); err != nil {
				t.Fatal(err)
			}
			if _, err := e.App.Incidents.ViewIncident(ctx, reader, inc.ID); err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := e.App.Incidents.IncidentsXLSX(ctx, reader, store.IncidentFilter{}, "zh", &buf); err != nil {
				t.Fatal(err)
			}
			reads := search(t, e, auditor, audit.KindRead)
			var got []string
			for i := len(reads) - before - 1; i >= 0; i-- {
				got = append(got, reads[i].Action)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("reads under %s: %v, want %v", tc.level, got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("reads under %s: %v, want %v", tc.level, got, tc.want)
					break
				}
			}
			res, err := e.App.AuditLog.VerifyAudit(ctx, account.CLIActor())
			if err != nil || !res.OK {
				t.Errorf("audit chain: %+v %v", res, err)
			}
		})
	}
}
