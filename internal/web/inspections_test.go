package web_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fenghuo/internal/apptest"
	"fenghuo/internal/browsertest"
	"fenghuo/internal/checklist"
	"fenghuo/internal/fenghuo"
)

// inspectionKeys are stored values of inspections that must never reach a
// page as they are.
var inspectionKeys = []string{"compliant", "non_compliant", "not_applicable", "self", "office", "critical", "high", "medium", "low",
	"seed000-self-inspection", "account", "vulnerability", "inspection"}

// answerForm fills every item of the seed 000 list: compliant, except
// non-compliant ones; skip leaves an item out.
func answerForm(non []string, skip string, submit bool) url.Values {
	c, _ := checklist.BuiltinChecklist("seed000-self-inspection")
	f := url.Values{}
	for _, it := range c.Items {
		if it.ID == skip {
			continue
		}
		f.Set("answer."+it.ID, "compliant")
		f.Set("evidence."+it.ID, "见运维台账第3页")
		for _, n := range non {
			if n == it.ID {
				f.Set("answer."+it.ID, "non_compliant")
				f.Set("evidence."+it.ID, "后台仍有默认口令")
			}
		}
	}
	if submit {
		f.Set("submit", "1")
	}
	return f
}

// postAnswers posts an answer form as multipart with a text file for each
// item of the seed 000 list that asks for its evidence as a file.
func postAnswers(t *testing.T, c *http.Client, srv *httptest.Server, path string, form url.Values) (*http.Response, string) {
	srvURL := srv.URL
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range form {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	cl, _ := checklist.BuiltinChecklist("seed000-self-inspection")
	for _, it := range cl.Items {
		if it.EvidenceFile && form.Get("answer."+it.ID) == "compliant" {
			fw, _ := mw.CreateFormFile("file."+it.ID, it.ID+".txt")
			fw.Write([]byte("核查记录：" + it.Text.ZH + "\n"))
		}
	}
	mw.Close()
	req, _ := http.NewRequest("POST", srvURL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", srvURL)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b)
}

// The county issues a self-inspection with the form; the school is sent to
// its answer form, an incomplete submission keeps what was typed and says
// what is missing, a complete one raises the finding; the county's board
// shows the school submitted with one finding and the hospital still
// answering with a countdown; a sibling county's school gets 404; English
// pages show English words; no page shows a stored key.
func TestInspectionPages(t *testing.T) {
	e, srv := consoleWithEvidence(t)
	e.User(t, "county-cmd", "county", fenghuo.RoleCommander)
	e.User(t, "school-rep", "school", fenghuo.RoleUnitReporter)
	e.User(t, "school2-rep", "school2", fenghuo.RoleUnitReporter)
	office := browser(t)
	login(t, office, srv, "county-cmd", apptest.Password)
	r, body := get(t, office, srv, "/inspections")
	if r.StatusCode != 200 || !strings.Contains(body, `id="inspection-form"`) || !strings.Contains(body, "网络安全自查表") || !strings.Contains(body, "检查与自查") {
		t.Fatalf("/inspections: %d %.500s", r.StatusCode, body)
	}
	due := e.Clock.Now().Add(7 * 24 * time.Hour).Format("2006-01-02T15:04")
	// A missing title is refused next to its field, the rest kept.
	r, body = post(t, office, srv, "/inspections", url.Values{"kind": {"self"}, "checklist": {"seed000-self-inspection"}, "due_at": {due}, "title": {""}})
	if r.StatusCode != 400 || !strings.Contains(body, "field-error") || !strings.Contains(body, `value="`+due+`"`) {
		t.Fatalf("empty title: %d", r.StatusCode)
	}
	r, _ = post(t, office, srv, "/inspections", url.Values{"kind": {"self"}, "checklist": {"seed000-self-inspection"}, "due_at": {due}, "title": {"国庆前网络安全自查"}})
	loc := r.Header.Get("Location")
	if r.StatusCode != 303 || !regexp.MustCompile(`^/inspections/\d+$`).MatchString(loc) {
		t.Fatalf("issue: %d %q", r.StatusCode, loc)
	}
	id := strings.TrimPrefix(loc, "/inspections/")

	unit := browser(t)
	login(t, unit, srv, "school-rep", apptest.Password)
	r, _ = get(t, unit, srv, loc)
	form := "/inspections/" + id + "/units/" + strconv.FormatInt(e.Orgs["school"].ID, 10)
	if r.StatusCode != 303 || r.Header.Get("Location") != form {
		t.Fatalf("the school is not sent to its form: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	r, body = get(t, unit, srv, form)
	for _, want := range []string{"无弱口令", "怎样核查", "杜绝弱口令", "符合", "不符合", "不适用", "提交检查结果", `data-due="`, "0 / 15", "账号与口令", "高"} {
		if !strings.Contains(body, want) {
			t.Errorf("form lacks %q", want)
		}
	}
	// A compliant answer to an item asking for a file, without the file, is refused naming the item.
	r, body = post(t, unit, srv, form, answerForm([]string{"default-passwords"}, "wlan", true))
	if r.StatusCode != 400 || !strings.Contains(body, "检查项“无非必要端口及服务长期开启”要求上传证明材料") || strings.Contains(body, "asks for its evidence") {
		t.Fatalf("compliant without the file: %d %s", r.StatusCode, regexp.MustCompile(`field-error">[^<]*`).FindAllString(body, -1))
	}
	r, body = postAnswers(t, unit, srv, form, answerForm([]string{"default-passwords"}, "wlan", true))
	if r.StatusCode != 400 || !strings.Contains(body, "还有1项未填报") || !strings.Contains(body, "严控无线局域网络建设") ||
		!strings.Contains(body, `value="后台仍有默认口令"`) {
		t.Fatalf("incomplete submission: %d", r.StatusCode)
	}
	r, _ = postAnswers(t, unit, srv, form, answerForm([]string{"default-passwords"}, "", false))
	if r.StatusCode != 303 || !strings.HasSuffix(r.Header.Get("Location"), "?saved=1") {
		t.Fatalf("save: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	r, body = post(t, unit, srv, form, url.Values{"submit": {"1"}})
	if r.StatusCode != 303 {
		t.Fatalf("submit: %d %.300s", r.StatusCode, body)
	}
	r, body = get(t, unit, srv, form)
	if !strings.Contains(body, "已提交") || !strings.Contains(body, "查看隐患") || strings.Contains(body, `name="answer.`) {
		t.Errorf("submitted form is not read-only with its finding")
	}
	// The files are listed with their answers, SM3 shown, and download
	// for the county; not for a sibling county's school.
	link := regexp.MustCompile(`href="(/inspection-evidence/\d+)">weak-passwords\.txt</a>`).FindStringSubmatch(body)
	if link == nil || !strings.Contains(body, "SM3 ") {
		t.Fatalf("the school's file is not listed: %.2000s", body)
	}
	if r, got := get(t, office, srv, link[1]); r.StatusCode != 200 || got != "核查记录：无弱口令\n" || r.Header.Get("Content-Type") != "application/octet-stream" {
		t.Errorf("county downloads: %d %q", r.StatusCode, got)
	}
	// The county sends the answers back (退回重填); the school sees why and submits again.
	_, body = get(t, office, srv, form)
	if !strings.Contains(body, `id="insp-return"`) {
		t.Fatalf("the county has no 退回重填 form")
	}
	if r, body := post(t, office, srv, form+"/return", url.Values{"note": {""}}); r.StatusCode != 400 || !strings.Contains(body, "退回说明") {
		t.Errorf("return without a note: %d", r.StatusCode)
	}
	if r, _ := post(t, office, srv, form+"/return", url.Values{"note": {"默认口令项请写明涉及系统"}}); r.StatusCode != 303 {
		t.Fatalf("return: %d", r.StatusCode)
	}
	_, body = get(t, unit, srv, form)
	if !strings.Contains(body, "已退回重填") || !strings.Contains(body, "默认口令项请写明涉及系统") || !strings.Contains(body, `name="answer.`) {
		t.Errorf("the returned form: %.1500s", body)
	}
	if r, _ := post(t, unit, srv, form, url.Values{"submit": {"1"}}); r.StatusCode != 303 {
		t.Fatalf("resubmit: %d", r.StatusCode)
	}

	r, body = get(t, office, srv, loc)
	if r.StatusCode != 200 {
		t.Fatalf("board: %d", r.StatusCode)
	}
	for _, want := range []string{"甲县第一中学", "甲县人民医院", "15 / 15", "0 / 15", "已提交", "填报中", `data-due="`, `<strong>1</strong> 隐患`} {
		if !strings.Contains(body, want) {
			t.Errorf("board lacks %q", want)
		}
	}
	other := browser(t)
	login(t, other, srv, "school2-rep", apptest.Password)
	if r, _ := get(t, other, srv, link[1]); r.StatusCode != 404 {
		t.Errorf("a sibling county's school downloads the file: %d", r.StatusCode)
	}
	if r, _ := get(t, other, srv, loc); r.StatusCode != 404 {
		t.Errorf("a sibling county's school sees the campaign: %d", r.StatusCode)
	}
	if r, _ := get(t, other, srv, form); r.StatusCode != 404 {
		t.Errorf("a sibling county's school sees the form: %d", r.StatusCode)
	}
	for _, p := range []string{"/inspections", loc, form} {
		_, body := get(t, office, srv, p)
		text := regexp.MustCompile(`(?s)<script.*?</script>|<[^>]*>`).ReplaceAllString(body, " ")
		if found := keysIn(text, inspectionKeys, false); len(found) > 0 {
			t.Errorf("%s shows raw keys %q", p, found)
		}
	}
	// The county closes early: a reason is required; after it the hospital is 未完成, the summary exports.
	if r, body := post(t, office, srv, loc+"/close", url.Values{"reason": {""}}); r.StatusCode != 400 || !strings.Contains(body, "提前结束的理由") {
		t.Errorf("early close without a reason: %d", r.StatusCode)
	}
	if r, _ := post(t, office, srv, loc+"/close", url.Values{"reason": {"上级通知提前汇总"}}); r.StatusCode != 303 {
		t.Fatalf("close: %d", r.StatusCode)
	}
	_, body = get(t, office, srv, loc)
	for _, want := range []string{"已结束", "上级通知提前汇总", "未完成", "检查总结", "按时提交", "导出Excel"} {
		if !strings.Contains(body, want) {
			t.Errorf("closed board lacks %q", want)
		}
	}
	if strings.Contains(body, `id="insp-close"`) {
		t.Errorf("a closed campaign still offers the close form")
	}
	if r, got := get(t, office, srv, loc+"/export.xlsx"); r.StatusCode != 200 || !strings.HasPrefix(got, "PK") {
		t.Errorf("export: %d", r.StatusCode)
	}
	if r, _ := post(t, unit, srv, form, answerForm(nil, "", false)); r.StatusCode == 303 {
		t.Errorf("answer after close accepted")
	}
	post(t, office, srv, "/lang", url.Values{"lang": {"en"}, "back": {"/"}})
	_, body = get(t, office, srv, form)
	for _, want := range []string{"How to verify", "Non-compliant", "Accounts and passwords", "No weak passwords"} {
		if !strings.Contains(body, want) {
			t.Errorf("English form lacks %q", want)
		}
	}
}

// In a real Chromium the school answers the whole checklist with the
// radio buttons and submits with the page's primary action; the countdown
// to the window's end ticks.
func TestChromiumInspectionForm(t *testing.T) {
	chromium := apptest.Chromium(t)
	e, srv := consoleWithEvidence(t)
	e.User(t, "county-cmd", "county", fenghuo.RoleCommander)
	e.User(t, "school-rep", "school", fenghuo.RoleUnitReporter)
	office := browser(t)
	login(t, office, srv, "county-cmd", apptest.Password)
	due := e.Clock.Now().Add(3 * 24 * time.Hour).Format("2006-01-02T15:04")
	r, _ := post(t, office, srv, "/inspections", url.Values{"kind": {"self"}, "checklist": {"seed004-ransomware-hardening"}, "due_at": {due}, "title": {"勒索病毒防范排查"}})
	loc := r.Header.Get("Location")
	if r.StatusCode != 303 {
		t.Fatalf("issue: %d", r.StatusCode)
	}
	b := browsertest.NewSession(t, chromium, srv.URL, 1280, 1000, 150*time.Second)
	b.LogIn("school-rep", apptest.Password)
	b.Do(chromedp.Navigate(srv.URL+loc), chromedp.WaitVisible(`#insp-answers`))
	if left := b.WaitText(`dd .countdown`, "", 5*time.Second); left == "" {
		t.Errorf("no countdown")
	}
	c, _ := checklist.BuiltinChecklist("seed004-ransomware-hardening")
	shot := filepath.Join(t.TempDir(), "av-console.txt")
	if err := os.WriteFile(shot, []byte("病毒库版本 2026-12-01\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, it := range c.Items {
		answer := "compliant"
		if it.ID == "offline-backups" {
			answer = "non_compliant"
		}
		b.Do(chromedp.Click(`input[name="answer.`+it.ID+`"][value="`+answer+`"]`), chromedp.SetValue(`#evidence-`+it.ID, "已核查，记录见运维台账"))
		if it.EvidenceFile {
			b.Do(chromedp.SetUploadFiles(`#file-`+it.ID, []string{shot}))
		}
	}
	b.Do(chromedp.SetValue(`#evidence-offline-backups`, "仅有双活备份，无离线备份"),
		browsertest.ClickAndLoad(`#insp-answers button.primary-action`), chromedp.WaitVisible(`#insp-readonly`))
	progress := b.Text(`#insp-progress`)
	if !strings.Contains(progress, "17 / 17") || !strings.Contains(progress, "已提交") {
		t.Errorf("after submission: %q", progress)
	}
	if item := b.Text(`#item-offline-backups`); !strings.Contains(item, "不符合") || !strings.Contains(item, "查看隐患") {
		t.Errorf("the non-compliant item: %q", item)
	}
	if files := b.Text(`#files-antivirus`); !strings.Contains(files, "av-console.txt") || !strings.Contains(files, "SM3") {
		t.Errorf("the uploaded file: %q", files)
	}

	// The county closes the campaign early with a reason in the browser:
	// the board says it is closed, the hospital that never answered is
	// 未完成, the summary counts the school's finding as critical.
	b2 := browsertest.NewSession(t, chromium, srv.URL, 1280, 1000, 150*time.Second)
	b2.LogIn("county-cmd", apptest.Password)
	b2.Do(chromedp.Navigate(srv.URL+loc), chromedp.WaitVisible(`#insp-close`))
	b2.Do(chromedp.SendKeys(`#close-reason`, "全部单位已提交，提前结束"), browsertest.ClickAndLoad(`#insp-close button`), chromedp.WaitVisible(`#insp-closed`))
	if reason := b2.Text(`#insp-close-reason`); reason != "全部单位已提交，提前结束" {
		t.Errorf("close reason %q", reason)
	}
	if sum := b2.Text(`#insp-final`); !strings.Contains(sum, "1 按时提交") || !strings.Contains(sum, "1 未完成") || !strings.Contains(sum, "严重 1") {
		t.Errorf("summary %q", sum)
	}
	if row := b2.Text(`#insp-units tr[data-org="` + strconv.FormatInt(e.Orgs["hospital"].ID, 10) + `"]`); !strings.Contains(row, "未完成") {
		t.Errorf("the hospital's row %q", row)
	}
}

// An office uploads its own checklist from the inspections page: a broken
// one is refused with its problems by line and the text kept; a good one
// is listed and can be chosen for a campaign. A unit has no upload form.
func TestChecklistUploadPage(t *testing.T) {
	e, srv := console(t)
	e.User(t, "county-cmd", "county", fenghuo.RoleCommander)
	e.User(t, "school-rep", "school", fenghuo.RoleUnitReporter)
	office := browser(t)
	login(t, office, srv, "county-cmd", apptest.Password)
	doc := "id: county-holiday\nversion: \"2026.1\"\ntitle: {zh: 节前自查表}\nitems:\n  - id: backups\n    text: {zh: 有离线备份}\n    category: data\n    severity: urgent\n    verify: {zh: 看备份记录}\n    evidence: {zh: 备份记录}\n"
	r, body := post(t, office, srv, "/inspections/checklists", url.Values{"yaml": {doc}, "note": {"首版"}})
	if r.StatusCode != 422 || !strings.Contains(body, "第8行") || !strings.Contains(body, "items[0].severity") || !strings.Contains(body, "severity: urgent") {
		t.Fatalf("broken checklist: %d", r.StatusCode)
	}
	r, _ = post(t, office, srv, "/inspections/checklists", url.Values{"yaml": {strings.Replace(doc, "urgent", "critical", 1)}, "note": {"首版"}})
	if r.StatusCode != 303 {
		t.Fatalf("upload: %d", r.StatusCode)
	}
	_, body = get(t, office, srv, r.Header.Get("Location"))
	if !strings.Contains(body, "已上传：county-holiday v1") || !strings.Contains(body, `<option value="county-holiday"`) || !strings.Contains(body, "节前自查表") {
		t.Errorf("the uploaded checklist is not offered")
	}
	// The checklist pages: the uploaded one with its versions, a built-in one with its clauses.
	if r, body := get(t, office, srv, "/checklists/county-holiday"); r.StatusCode != 200 || !strings.Contains(body, "有离线备份") ||
		!strings.Contains(body, "数据与备份") || !strings.Contains(body, "严重") || !strings.Contains(body, `href="/checklists/county-holiday?version=1"`) {
		t.Errorf("uploaded checklist page: %d", r.StatusCode)
	}
	unit := browser(t)
	login(t, unit, srv, "school-rep", apptest.Password)
	if r, body := get(t, unit, srv, "/checklists/seed004-ransomware-hardening"); r.StatusCode != 200 || !strings.Contains(body, "Struts2") || !strings.Contains(body, "二(三)") {
		t.Errorf("built-in checklist page: %d", r.StatusCode)
	}
	if r, _ := get(t, unit, srv, "/checklists/nope"); r.StatusCode != 404 {
		t.Errorf("unknown checklist: %d", r.StatusCode)
	}
	if _, body := get(t, unit, srv, "/inspections"); strings.Contains(body, "checklist-upload") || strings.Contains(body, "inspection-form") {
		t.Errorf("a unit is offered the office's forms")
	}
	if r, _ := post(t, unit, srv, "/inspections/checklists", url.Values{"yaml": {doc}}); r.StatusCode != 403 {
		t.Errorf("a unit uploads: %d", r.StatusCode)
	}
}
