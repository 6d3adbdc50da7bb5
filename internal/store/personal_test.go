package store

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/fenghuo"
	"fenghuo/internal/pii"
)

// personalFixture writes one row with a value in every personal column,
// through the store, and returns the plain values by "table.column".
func personalFixture(t *testing.T, db *DB) (tree, map[string]string) {
	t.Helper()
	tr := mustTree(t, db)
	o := tr.hospital
	o.Liaison = fenghuo.Liaison{Name: "王芳", Mobile: "13912345678"}
	o.DutyPhone, o.Fax, o.ReportEmail = "0415-5123456", "0415-5123457", "cert@hospital.example.cn"
	must(t, db.UpdateOrg(bg, o))
	u := &fenghuo.User{OrgID: o.ID, Username: "wangfang", DisplayName: "王芳", Email: "Wang.Fang@example.cn",
		Mobile: "13812345678", Roles: []fenghuo.Role{fenghuo.RoleUnitReporter}}
	must(t, db.CreateUser(bg, u))
	s := &fenghuo.System{OrgID: o.ID, Name: "HIS", ProtectionLevel: 3, ResponsiblePerson: "张伟", ResponsiblePhone: "13712345678"}
	must(t, db.CreateSystem(bg, s))
	now := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	inc := mustIncidentAt(t, db, o.ID, "勒索病毒", now)
	must(t, db.WithTx(bg, func(tx *Tx) error {
		if err := tx.CreateReport(bg, &fenghuo.Report{IncidentID: inc.ID, Kind: "initial", Number: 1, ReporterName: "王芳",
			ReporterPhone: "13612345678", SubmittedAt: now}); err != nil {
			return err
		}
		if err := tx.CreateDutyShift(bg, &fenghuo.DutyShift{OrgID: o.ID, StartAt: now, EndAt: now.Add(8 * time.Hour),
			Officer: "李明", Phone: "13512345678"}); err != nil {
			return err
		}
		a := &fenghuo.ResponseActivation{IncidentID: inc.ID, Level: "III", State: fenghuo.ResponseActive}
		if err := tx.CreateActivation(bg, a); err != nil {
			return err
		}
		return tx.AddCommandMember(bg, &fenghuo.CommandMember{ActivationID: a.ID, Role: fenghuo.CommandCommander, Name: "李明", Phone: "13412345678"})
	}))
	return tr, map[string]string{
		"orgs.liaison_mobile": "13912345678", "orgs.duty_phone": "0415-5123456", "orgs.fax": "0415-5123457",
		"orgs.report_email": "cert@hospital.example.cn", "users.email": "Wang.Fang@example.cn", "users.mobile": "13812345678",
		"systems.responsible_phone": "13712345678", "reports.reporter_phone": "13612345678",
		"duty_shifts.phone": "13512345678", "command_members.phone": "13412345678",
	}
}

// rawPersonal reads every non-empty stored personal value, as a copy of
// the database would show it.
func rawPersonal(t *testing.T, db *DB) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	must(t, db.View(bg, func(tx *Tx) error {
		for _, c := range personalColumns {
			rows, err := tx.c.query(bg, "SELECT "+c.column+" FROM "+c.table+" WHERE "+c.column+" <> ''")
			if err != nil {
				return err
			}
			for rows.Next() {
				var v string
				if err := rows.Scan(&v); err != nil {
					rows.Close()
					return err
				}
				out[c.table+"."+c.column] = append(out[c.table+"."+c.column], v)
			}
			rows.Close()
		}
		return nil
	}))
	return out
}

func TestPersonalDataSealedAtRest(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr, want := personalFixture(t, db)
		raw := rawPersonal(t, db)
		for col, plain := range want {
			if len(raw[col]) != 1 {
				t.Fatalf("%s: %d stored values, want 1", col, len(raw[col]))
			}
			if !strings.HasPrefix(raw[col][0], pii.SealedPrefix) || strings.Contains(raw[col][0], plain) {
				t.Errorf("%s is stored as %q, not sealed", col, raw[col][0])
			}
		}

		// The store opens them: callers see plain strings.
		o, err := db.Org(bg, tr.hospital.ID)
		must(t, err)
		if o.Liaison.Mobile != want["orgs.liaison_mobile"] || o.DutyPhone != want["orgs.duty_phone"] ||
			o.Fax != want["orgs.fax"] || o.ReportEmail != want["orgs.report_email"] {
			t.Errorf("org contacts read back as %+v %q %q %q", o.Liaison, o.DutyPhone, o.Fax, o.ReportEmail)
		}
		users, err := db.SubtreeUsers(bg, tr.hospital.ID, UserFilter{}, Page{})
		must(t, err)
		if len(users.Items) != 1 || users.Items[0].Email != want["users.email"] || users.Items[0].Mobile != want["users.mobile"] {
			t.Errorf("users read back as %+v", users.Items)
		}
		systems, err := db.SubtreeSystems(bg, tr.hospital.ID, SystemFilter{}, Page{})
		must(t, err)
		if len(systems.Items) != 1 || systems.Items[0].ResponsiblePhone != want["systems.responsible_phone"] {
			t.Errorf("systems read back as %+v", systems.Items)
		}
		shifts, err := db.DutyShifts(bg, tr.hospital.ID, time.Time{}, time.Now().AddDate(10, 0, 0))
		must(t, err)
		if len(shifts) != 1 || shifts[0].Phone != want["duty_shifts.phone"] {
			t.Errorf("shifts read back as %+v", shifts)
		}

		// An empty value stays empty and has no digest.
		o.Fax = ""
		must(t, db.UpdateOrg(bg, o))
		if o2, _ := db.Org(bg, o.ID); o2.Fax != "" {
			t.Errorf("cleared fax reads as %q", o2.Fax)
		}
	})
}

// A sealed value copied into another row does not open there: the store
// refuses to read it rather than show another person's number.
func TestPersonalDataBoundToRow(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr, _ := personalFixture(t, db)
		must(t, db.WithTx(bg, func(tx *Tx) error {
			_, err := tx.c.exec(bg, "UPDATE orgs SET liaison_mobile = (SELECT liaison_mobile FROM orgs WHERE id = ?) WHERE id = ?",
				tr.hospital.ID, tr.school.ID)
			return err
		}))
		if o, err := db.Org(bg, tr.school.ID); err == nil {
			t.Fatalf("moved value read as %q", o.Liaison.Mobile)
		}
		// Nor in another column of the same row.
		must(t, db.WithTx(bg, func(tx *Tx) error {
			_, err := tx.c.exec(bg, "UPDATE orgs SET duty_phone = liaison_mobile WHERE id = ?", tr.hospital.ID)
			return err
		}))
		if o, err := db.Org(bg, tr.hospital.ID); err == nil {
			t.Fatalf("value moved to duty_phone read as %q", o.DutyPhone)
		}
	})
}

func TestPersonalDataDigestSearch(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr, _ := personalFixture(t, db)
		for _, q := range []string{"wang.fang@example.cn", "WANG.FANG@EXAMPLE.CN", "138 1234 5678", "+86 138-1234-5678", "wangf"} {
			res, err := db.SubtreeUsers(bg, 0, UserFilter{Query: q}, Page{})
			must(t, err)
			if len(res.Items) != 1 || res.Items[0].Username != "wangfang" {
				t.Errorf("users %q: %d found", q, len(res.Items))
			}
		}
		for _, q := range []string{"wang.fang@example.org", "13812345679", "example.cn"} {
			res, err := db.SubtreeUsers(bg, 0, UserFilter{Query: q}, Page{})
			must(t, err)
			if len(res.Items) != 0 {
				t.Errorf("users %q: %d found, want none", q, len(res.Items))
			}
		}
		for _, q := range []string{"13912345678", "CERT@hospital.example.cn", "人民医院"} {
			res, err := db.SubtreeOrgs(bg, 0, OrgFilter{Query: q}, Page{})
			must(t, err)
			if len(res.Items) != 1 || res.Items[0].ID != tr.hospital.ID {
				t.Errorf("orgs %q: %+v", q, res.Items)
			}
		}
		// The digest is indexed for these searches.
		var digest string
		must(t, db.View(bg, func(tx *Tx) error {
			return tx.c.queryRow(bg, "SELECT mobile_digest FROM users WHERE username = 'wangfang'").Scan(&digest)
		}))
		if digest != testCodec(t).Digest(pii.Phone, "13812345678") {
			t.Errorf("mobile_digest = %q", digest)
		}
	})
}

// A database from before 0037 holds plain values: the upgrade pass seals
// them all, in batches, and running it again changes nothing.
func TestSealPersonalDataUpgradesPlainRows(t *testing.T) {
	eachEngine(t, func(t *testing.T, db *DB) {
		tr, want := personalFixture(t, db)
		// Put every value back in plain text, as an old version wrote it,
		// and add more users than one batch holds.
		must(t, db.WithTx(bg, func(tx *Tx) error {
			for _, c := range personalColumns {
				var set []string
				set = append(set, c.column+" = ?")
				if c.digest != "" {
					set = append(set, c.digest+" = ''")
				}
				if _, err := tx.c.exec(bg, "UPDATE "+c.table+" SET "+strings.Join(set, ", ")+" WHERE "+c.column+" <> ''",
					want[c.table+"."+c.column]); err != nil {
					return err
				}
			}
			for i := range sealBatch + 20 {
				if _, err := tx.c.exec(bg, `INSERT INTO users (org_id, username, username_key, mobile, email, roles, created_at, updated_at)
					VALUES (?, ?, ?, ?, ?, '[]', 0, 0)`, tr.school.ID, "old"+strconv.Itoa(i), "old"+strconv.Itoa(i), fmt.Sprintf("1390000%04d", i), "old"+strconv.Itoa(i)+"@example.cn"); err != nil {
					return err
				}
			}
			return nil
		}))
		n, err := db.SealPersonalData(bg)
		must(t, err)
		// One row each of orgs, users, systems, reports, duty_shifts,
		// command_members, and the old users.
		if want := 6 + sealBatch + 20; n != want {
			t.Errorf("sealed %d rows, want %d", n, want)
		}
		for col, vals := range rawPersonal(t, db) {
			for _, v := range vals {
				if !pii.IsSealed(v) {
					t.Fatalf("%s still holds %q in plain text", col, v)
				}
			}
		}
		again, err := db.SealPersonalData(bg)
		must(t, err)
		if again != 0 {
			t.Errorf("second pass sealed %d rows", again)
		}
		o, err := db.Org(bg, tr.hospital.ID)
		must(t, err)
		if o.Liaison.Mobile != want["orgs.liaison_mobile"] || o.ReportEmail != want["orgs.report_email"] {
			t.Errorf("upgraded org reads %+v %q", o.Liaison, o.ReportEmail)
		}
		res, err := db.SubtreeUsers(bg, 0, UserFilter{Query: "13900000517"}, Page{})
		must(t, err)
		if len(res.Items) != 1 || res.Items[0].Username != "old517" || res.Items[0].Email != "old517@example.cn" {
			t.Errorf("upgraded user by mobile: %+v", res.Items)
		}
		use, err := db.KeyUse(bg)
		must(t, err)
		if use.New() || use.SealedSecrets < int64(sealBatch) {
			t.Errorf("KeyUse = %+v: the sealed personal data needs the sealer key", use)
		}
	})
}

// Without the codec the store refuses personal data instead of writing it
// in plain text.
func TestPersonalDataNeedsCodec(t *testing.T) {
	db := MustOpenDB(t, SQLite)
	tr := mustTree(t, db)
	db.UsePersonalData(nil)
	u := &fenghuo.User{OrgID: tr.school.ID, Username: "nokey", DisplayName: "nokey", Mobile: "13812345678", Roles: []fenghuo.Role{fenghuo.RoleViewer}}
	if err := db.CreateUser(bg, u); err == nil {
		t.Fatal("a mobile was written without the sealing key")
	}
	if _, err := db.SealPersonalData(bg); err == nil {
		t.Fatal("SealPersonalData ran without a codec")
	}
	// Rows without personal data still work.
	must(t, db.CreateUser(bg, &fenghuo.User{OrgID: tr.school.ID, Username: "plain", DisplayName: "plain", Roles: []fenghuo.Role{fenghuo.RoleViewer}}))
}
