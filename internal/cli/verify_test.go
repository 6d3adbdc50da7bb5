package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/app/incident"
	"fenghuo/internal/apptest"
	"fenghuo/internal/auth"
	"fenghuo/internal/config"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
)

// Issue 15's acceptance on the command line: a report exported as DOCX by
// the county office through the running server's API verifies as signed by
// the county office; one changed byte in the middle makes `fenghuo verify`
// exit 1 naming the change. On SQLite, and on PostgreSQL when
// FENGHUO_TEST_POSTGRES is set.
func TestVerifyExportedDOCX(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { verifyExportedDOCX(t, "") })
	t.Run("postgres", func(t *testing.T) { verifyExportedDOCX(t, apptest.PostgresDSN(t)) })
}

func verifyExportedDOCX(t *testing.T, dsn string) {
	ctx := context.Background()
	dir := t.TempDir()
	data := []string{"--data-dir", dir}
	if dsn != "" {
		data = append(data, "--db", dsn)
	}
	incID, repID := seedCountyReport(t, ctx, dir, dsn)

	stop, out := startServeOut(t, data...)
	m := regexp.MustCompile(`running at (http://\S+)/ `).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no URL in %s", out.String())
	}
	docx := download(t, m[1], "county-duty", fmt.Sprintf("/api/v1/incidents/%d/reports/%d/docx", incID, repID))
	if code, logs := stop(); code != 0 {
		t.Fatalf("serve: %d %s", code, logs)
	}
	file := filepath.Join(t.TempDir(), "report.docx")
	if err := os.WriteFile(file, docx, 0o600); err != nil {
		t.Fatal(err)
	}

	code, stdout, stderr := runCLI(t, "", "verify", file)
	if code != 0 || !strings.Contains(stdout, "Signed by 测试县委网信办") || !strings.Contains(stdout, "unchanged") ||
		!strings.Contains(stdout, "not checked against a trust list") {
		t.Fatalf("verify: %d %q %q", code, stdout, stderr)
	}
	code, stdout, stderr = runCLI(t, "", append([]string{"verify", file}, data...)...)
	if code != 0 || !strings.Contains(stdout, "unchanged") || strings.Contains(stdout, "not checked") {
		t.Fatalf("verify against the database: %d %q %q", code, stdout, stderr)
	}

	bad := bytes.Clone(docx)
	bad[len(bad)/2] ^= 0x01
	badFile := filepath.Join(t.TempDir(), "changed.docx")
	if err := os.WriteFile(badFile, bad, 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = runCLI(t, "", "verify", badFile)
	if code != 1 || !strings.Contains(stderr, "Content changed after signing") || !strings.Contains(stderr, "测试县委网信办") {
		t.Fatalf("changed byte: %d %q %q", code, stdout, stderr)
	}
	// In a Chinese locale the failure is named in Chinese.
	var o, e bytes.Buffer
	env := &Env{Stdin: strings.NewReader(""), Stdout: &o, Stderr: &e, Getenv: func(k string) string {
		if k == "LANG" {
			return "zh_CN.UTF-8"
		}
		return ""
	}}
	if code := run(ctx, env, []string{"verify", badFile}); code != 1 || !strings.Contains(e.String(), "内容在签名后被改动") {
		t.Errorf("zh: %d %q", code, e.String())
	}
	if code, _, stderr := runCLI(t, "", "verify"); code != 2 || !strings.Contains(stderr, "name one file") {
		t.Errorf("no file: %d %q", code, stderr)
	}
	if code, _, _ := runCLI(t, "", "verify", filepath.Join(dir, "missing.docx")); code != 2 {
		t.Errorf("missing file: %d", code)
	}
}

// seedCountyReport builds, with the CLI's own wiring over the data
// directory, a county office with a duty officer who files an initial
// report for a school; it returns the incident and report ids.
func seedCountyReport(t *testing.T, ctx context.Context, dir, dsn string) (int64, int64) {
	t.Helper()
	cfg := config.Defaults()
	cfg.DataDir, cfg.DB = dir, dsn
	a, closeApp, err := openApp(ctx, cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer closeApp()
	db := a.Core.DB()
	city := &fenghuo.Org{Name: "测试市委网信办", Level: fenghuo.LevelCity, Type: fenghuo.OrgRegulator, PlanIDs: []string{"cac-2025"}, PlanRoles: []string{"cyberspace_office"}}
	must(t, db.CreateOrg(ctx, city))
	county := &fenghuo.Org{ParentID: city.ID, Name: "测试县委网信办", Level: fenghuo.LevelCounty, Type: fenghuo.OrgRegulator,
		PlanIDs: []string{"wushen-county", "cac-2025"}, PlanRoles: []string{"cyberspace_office"}}
	must(t, db.CreateOrg(ctx, county))
	school := &fenghuo.Org{ParentID: county.ID, Name: "测试县第一中学", Level: fenghuo.LevelUnit, Type: fenghuo.OrgOperator, Sector: "education", PlanRoles: []string{"operator"}}
	must(t, db.CreateOrg(ctx, school))
	hash, err := auth.HashPassword(apptest.Password)
	must(t, err)
	u := &fenghuo.User{OrgID: county.ID, Username: "county-duty", DisplayName: "县值班员", Roles: []fenghuo.Role{fenghuo.RoleDutyOfficer}, PasswordHash: hash}
	must(t, db.CreateUser(ctx, u))
	ac := &app.Actor{User: *u, Org: *county, Via: "cli"}
	inc, err := a.Incidents.CreateIncident(ctx, ac, incident.IncidentInput{OrgID: school.ID, Title: "门户网站被篡改",
		DiscoveredAt: time.Now(), Facts: plan.Facts{"social_impact": "relatively_serious"}})
	must(t, err)
	content := map[string]string{}
	fields, err := a.Incidents.ReportForm(ctx, ac, inc.ID)
	must(t, err)
	for _, f := range fields {
		content[f.ID] = "内容：" + f.Label.ZH
	}
	rep, err := a.Incidents.SubmitReport(ctx, ac, inc.ID, incident.ReportInput{Kind: fenghuo.ReportInitial, Content: content,
		Signer: "张主任", ReporterName: "李值班", ReporterPhone: "0477-7581234"})
	must(t, err)
	return inc.ID, rep.ID
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// download logs in as user over the API and GETs path.
func download(t *testing.T, base, user, path string) []byte {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	body, _ := json.Marshal(map[string]string{"username": user, "password": apptest.Password})
	req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/session", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", base)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("log-in as %s: %s", user, resp.Status)
	}
	resp, err = c.Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s %v %s", path, resp.Status, err, b)
	}
	return b
}
