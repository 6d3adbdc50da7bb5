package warning_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fenghuo/internal/app/notification"
	"fenghuo/internal/app/period"
	"fenghuo/internal/app/warning"
	"fenghuo/internal/apptest"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/notify"
	"fenghuo/internal/notify/notifytest"
	"fenghuo/internal/store"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// receiver is a loopback webhook server that keeps only the messages whose
// signature verifies.
type receiver struct {
	mu       sync.Mutex
	got      []string
	rejected int
}

func (r *receiver) add(ok bool, text string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if ok {
		r.got = append(r.got, text)
	} else {
		r.rejected++
	}
}

func (r *receiver) messages() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.got...)
}

// genericReceiver verifies Fenghuo's HMAC-SM3 webhook signature.
func genericReceiver(t *testing.T, secret string) (*receiver, string) {
	r := &receiver{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		ok := notify.VerifyWebhook(secret, req.Header.Get(notify.HeaderTimestamp), body, req.Header.Get(notify.HeaderSignature))
		r.add(ok, string(body))
		if !ok {
			http.Error(w, "bad signature", http.StatusUnauthorized)
		}
	}))
	t.Cleanup(srv.Close)
	return r, srv.URL + "/hook"
}

// dingtalkReceiver verifies DingTalk's 加签 as DingTalk does.
func dingtalkReceiver(t *testing.T, secret string) (*receiver, string) {
	r := &receiver{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		ts := req.URL.Query().Get("timestamp")
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write([]byte(ts + "\n" + secret))
		ok := req.URL.Query().Get("sign") == base64.StdEncoding.EncodeToString(mac.Sum(nil))
		r.add(ok, string(body))
		w.Header().Set("Content-Type", "application/json")
		if ok {
			w.Write([]byte(`{"errcode":0,"errmsg":"ok"}`))
		} else {
			w.Write([]byte(`{"errcode":310000,"errmsg":"sign not match"}`))
		}
	}))
	t.Cleanup(srv.Close)
	return r, srv.URL + "/robot/send?access_token=t0ken"
}

// runJobs runs the job queue until it is empty.
func runJobs(t *testing.T, e *apptest.Env) {
	t.Helper()
	for i := 0; i < 20; i++ {
		n, err := e.App.Notifications.RunJobs(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
}

// The issue-5 warning acceptance: a county office issues an orange warning
// to its units whose systems run WebLogic; exactly those units get it and
// one acknowledges (from the link in its DingTalk message); the one that
// does not is escalated to its liaison after the deadline, by e-mail to a
// loopback SMTP server, and the issuer's signed webhook hears of it. Red
// from the county is refused naming the plan rule and can be proposed to
// the city instead.
func TestOrangeWarningToWebLogicUnits(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	smtp := notifytest.StartSMTP(t, &notifytest.SMTPServer{StartTLS: true})
	cfg := notifytest.SMTPConfig(smtp, "starttls")
	e.App.Core.SetNotifier(&notify.Sender{SMTP: cfg, AllowLoopback: true}, "https://fenghuo.example.gov.cn")

	water := e.Unit(t, "water", "甲县自来水公司", "water-duty@example.gov.cn", "Oracle WebLogic Server")
	tax := e.Unit(t, "tax", "甲县政务服务中心", "tax@example.gov.cn", "WebLogic")
	library := e.Unit(t, "library", "甲县图书馆", "lib@example.gov.cn", "Apache Tomcat")
	commander, _ := e.User(t, "county-commander", "county", fenghuo.RoleCommander)
	county := e.Actor(t, commander)

	issuerHook, issuerURL := genericReceiver(t, "issuer-s3cret")
	if _, err := e.App.Notifications.CreateChannel(ctx, county, notification.ChannelInput{OrgID: e.Orgs["county"].ID, Kind: notify.KindWebhook,
		Name: "值班系统", Target: issuerURL, Secret: "issuer-s3cret"}); err != nil {
		t.Fatal(err)
	}
	waterBot, waterURL := dingtalkReceiver(t, "SECwater")
	if _, err := e.App.Notifications.CreateChannel(ctx, county, notification.ChannelInput{OrgID: water.ID, Kind: notify.KindDingTalk,
		Name: "水司钉钉群", Target: waterURL, Secret: "SECwater", Events: []string{"warning"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.App.Notifications.CreateChannel(ctx, county, notification.ChannelInput{OrgID: water.ID, Kind: "pager", Name: "x", Target: "x"}); err == nil {
		t.Error("an unknown channel kind was accepted")
	}

	in := warning.WarningInput{Color: fenghuo.ColorRed, Title: "WebLogic 远程代码执行漏洞", Items: "CVE-2026-0001 正被利用",
		Measures:  []fenghuo.Measure{{Text: "升级到已修复版本或关闭T3协议", Hours: 24}},
		Targeting: fenghuo.Targeting{Component: "weblogic"}, AckMinutes: 60}
	_, err := e.App.Warnings.IssueWarning(ctx, county, in)
	if err == nil || fenghuo.ErrorCode(err) != fenghuo.EFORBIDDEN || !strings.Contains(err.Error(), "《乌审旗网络安全事件应急预案》第3.3条") ||
		strings.Contains(err.Error(), "wushen-county") || !strings.Contains(err.Error(), e.Orgs["city"].Name) {
		t.Fatalf("red from the county: %v", err)
	}
	proposal, err := e.App.Warnings.ProposeWarning(ctx, county, in)
	if err != nil || proposal.Status != fenghuo.WarningProposed || proposal.ProposedTo != e.Orgs["city"].ID {
		t.Fatalf("proposal: %+v %v", proposal, err)
	}

	in.Color = fenghuo.ColorOrange
	w, err := e.App.Warnings.IssueWarning(ctx, county, in)
	if err != nil {
		t.Fatal(err)
	}
	detail, err := e.App.Warnings.Warning(ctx, county, w.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	for _, tg := range detail.Targets {
		got = append(got, tg.OrgID)
	}
	slices.Sort(got)
	if len(got) != 2 || got[0] != water.ID || got[1] != tax.ID {
		t.Fatalf("targets %v, want water %d and tax %d (not library %d)", got, water.ID, tax.ID, library.ID)
	}
	if len(w.Switches) == 0 {
		t.Error("orange switched nothing on")
	}

	// Exactly the targets see it; a sibling county does not.
	seeIt := func(org string) bool {
		u, _ := e.User(t, "reader-"+org, org, fenghuo.RoleUnitReporter)
		_, err := e.App.Warnings.Warning(ctx, e.Actor(t, u), w.ID)
		return err == nil
	}
	if !seeIt("water") || !seeIt("tax") || seeIt("library") || seeIt("school2") {
		t.Error("visibility: targets must see the warning, others not")
	}

	// The water company's DingTalk group gets the warning with an
	// acknowledge link; a tap on it acknowledges.
	runJobs(t, e)
	msgs := waterBot.messages()
	if len(msgs) != 1 || !strings.Contains(msgs[0], "橙色预警") || !strings.Contains(msgs[0], "https://fenghuo.example.gov.cn/ack/") {
		t.Fatalf("DingTalk messages: %q (rejected %d)", msgs, waterBot.rejected)
	}
	var dm struct {
		Markdown struct{ Text string } `json:"markdown"`
	}
	json.Unmarshal([]byte(msgs[0]), &dm)
	i := strings.Index(dm.Markdown.Text, "/ack/")
	token := dm.Markdown.Text[i+len("/ack/"):]
	token = token[:strings.IndexAny(token+")", ") \n")]
	link, err := e.App.Warnings.OpenAckLink(ctx, token)
	if err != nil || link.Target.OrgID != water.ID {
		t.Fatalf("ack link: %+v %v", link, err)
	}
	if _, err := e.App.Warnings.AckByLink(ctx, token, "赵值班"); err != nil {
		t.Fatal(err)
	}
	forged := []byte(token)
	mid := len(forged) / 2
	forged[mid] = map[bool]byte{true: 'A', false: 'B'}[forged[mid] != 'A'] // a changed ciphertext byte, not padding bits
	if _, err := e.App.Warnings.AckByLink(ctx, string(forged), "赵值班"); err == nil {
		t.Error("a forged link acknowledged")
	}

	// The tax centre does not acknowledge: after the hour it is escalated.
	e.Clock.Advance(61 * time.Minute)
	if _, err := e.App.Scheduler.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	runJobs(t, e)
	detail, _ = e.App.Warnings.Warning(ctx, county, w.ID)
	if detail.Acked != 1 || detail.Overdue != 1 {
		t.Errorf("acked %d overdue %d, want 1 and 1", detail.Acked, detail.Overdue)
	}
	var mailed bool
	for _, m := range smtp.Mails() {
		subject, body, _ := notifytest.ParseMail(t, m.Data)
		if m.To[0] == "tax@example.gov.cn" && strings.Contains(subject, "逾期") && strings.Contains(body, "王联络") && m.TLS {
			mailed = true
		}
		if m.To[0] == "water-duty@example.gov.cn" {
			t.Errorf("the unit that acknowledged was escalated: %s", subject)
		}
	}
	if !mailed {
		t.Errorf("no escalation e-mail to the tax centre's liaison: %d mails", len(smtp.Mails()))
	}
	var heard bool
	for _, m := range issuerHook.messages() {
		heard = heard || strings.Contains(m, "逾期")
	}
	if !heard || issuerHook.rejected > 0 {
		t.Errorf("issuer webhook: %q rejected %d", issuerHook.messages(), issuerHook.rejected)
	}
	log, err := e.App.Notifications.DeliveryLog(ctx, county, 50)
	if err != nil || len(log) == 0 {
		t.Fatalf("delivery log: %v %v", log, err)
	}
	for _, d := range log {
		if d.Status != "sent" {
			t.Errorf("delivery %+v", d)
		}
		if strings.Contains(d.Target, "t0ken") {
			t.Errorf("the delivery log shows a webhook key: %s", d.Target)
		}
	}

	// The notice names the targets and who acknowledged.
	var doc bytes.Buffer
	if _, err := e.App.Warnings.WarningNotice(ctx, county, w.ID, "docx", &doc); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(doc.Bytes()), int64(doc.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			rc, _ := f.Open()
			body, _ := io.ReadAll(rc)
			rc.Close()
			if !strings.Contains(string(body), "甲县自来水公司") || !strings.Contains(string(body), "赵值班") || !strings.Contains(string(body), "网络安全预警通报") {
				t.Errorf("notice lacks the targets or the acknowledgement")
			}
		}
	}
	if _, err := e.App.Warnings.WarningNotice(ctx, county, w.ID, "odt", &doc); err == nil {
		t.Error("an unknown format was accepted")
	}

	// Lowering needs a reason; lifting cancels what is still open.
	if _, err := e.App.Warnings.ChangeWarningColor(ctx, county, w.ID, fenghuo.ColorYellow, ""); err == nil {
		t.Error("a change without a reason was accepted")
	}
	if _, err := e.App.Warnings.ChangeWarningColor(ctx, county, w.ID, fenghuo.ColorYellow, "补丁已普遍安装"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.App.Warnings.LiftWarning(ctx, county, w.ID, "风险消除"); err != nil {
		t.Fatal(err)
	}
	changes, _ := e.DB.WarningChanges(ctx, w.ID)
	var actions []string
	for _, c := range changes {
		actions = append(actions, c.Action)
	}
	if strings.Join(actions, ",") != "issue,lower,lift" {
		t.Errorf("history %v", actions)
	}
	open, _ := e.DB.Obligations(ctx, store.ObligationFilter{Kind: "warning_done", State: fenghuo.ObligationOpen}, store.Page{})
	if open.Total != 0 {
		t.Errorf("%d measure duties still open after the lift", open.Total)
	}
}

// A failing webhook is retried with backoff and logged, and the job
// survives in the table (a restart loses nothing).
func TestDeliveryRetries(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	var calls int
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		calls++
		n := calls
		mu.Unlock()
		if n == 1 {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	e.App.Core.SetNotifier(&notify.Sender{AllowLoopback: true}, "")
	commander, _ := e.User(t, "commander-c", "county", fenghuo.RoleCommander)
	ac := e.Actor(t, commander)
	if _, err := e.App.Notifications.CreateChannel(ctx, ac, notification.ChannelInput{OrgID: e.Orgs["school"].ID, Kind: notify.KindWebhook, Name: "hook",
		Target: srv.URL, Secret: "k"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.App.Periods.AddShift(ctx, e.Actor(t, mustUserAt(t, e, "school-duty", "school", fenghuo.RoleDutyOfficer)),
		period.ShiftInput{StartAt: e.Clock.Now(), EndAt: e.Clock.Now().Add(8 * time.Hour), Officer: "钱值班"}); err != nil {
		t.Fatal(err)
	}
	runJobs(t, e)
	if calls != 1 {
		t.Fatalf("calls %d", calls)
	}
	e.Clock.Advance(time.Minute)
	runJobs(t, e)
	if calls != 2 {
		t.Fatalf("no retry after the backoff: calls %d", calls)
	}
	log, _ := e.App.Notifications.DeliveryLog(ctx, ac, 10)
	if len(log) != 2 || log[0].Status != "sent" || log[1].Status != "retry" {
		t.Errorf("log %+v", log)
	}
}

func mustUserAt(t *testing.T, e *apptest.Env, name, org string, role fenghuo.Role) *fenghuo.User {
	u, _ := e.User(t, name, org, role)
	return u
}

// Targets by subtree and by sector: the city's yellow warning to the
// county's subtree reaches every org below the county (not the county2
// side); the sector filter keeps only the schools.
func TestWarningTargetsBySubtreeAndSector(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	boss, _ := e.User(t, "city-boss", "city", fenghuo.RoleCommander)
	city := e.Actor(t, boss)
	targets := func(tg fenghuo.Targeting) []string {
		w, err := e.App.Warnings.IssueWarning(ctx, city, warning.WarningInput{Color: fenghuo.ColorYellow, Title: "弱口令专项排查", Targeting: tg})
		if err != nil {
			t.Fatal(err)
		}
		d, err := e.App.Warnings.Warning(ctx, city, w.ID)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, x := range d.Targets {
			names = append(names, x.OrgName)
		}
		slices.Sort(names)
		return names
	}
	if got := strings.Join(targets(fenghuo.Targeting{Subtrees: []int64{e.Orgs["county"].ID}}), ","); got != "甲县人民医院,甲县委网信办,甲县第一中学" {
		t.Errorf("subtree: %s", got)
	}
	if got := strings.Join(targets(fenghuo.Targeting{Sector: "education"}), ","); got != "乙县第一中学,甲县第一中学" {
		t.Errorf("sector: %s", got)
	}
	if _, err := e.App.Warnings.IssueWarning(ctx, city, warning.WarningInput{Color: fenghuo.ColorYellow, Title: "x",
		Targeting: fenghuo.Targeting{OrgIDs: []int64{e.Orgs["city"].ID + 999}}}); err == nil {
		t.Error("a target outside the subtree was accepted")
	}
}

// A personal channel delivers the events its owner chose, and nothing once
// the account is disabled.
func TestPersonalChannel(t *testing.T) {
	e := apptest.New(t)
	ctx := context.Background()
	hook, url := genericReceiver(t, "mine")
	e.App.Core.SetNotifier(&notify.Sender{AllowLoopback: true}, "")
	duty, _ := e.User(t, "county-duty", "county", fenghuo.RoleDutyOfficer)
	ac := e.Actor(t, duty)
	if _, err := e.App.Notifications.CreateChannel(ctx, ac, notification.ChannelInput{Personal: true, Kind: notify.KindWebhook, Name: "我的", Target: url,
		Secret: "mine", Events: []string{"duty"}}); err != nil {
		t.Fatal(err)
	}
	// Shifts one after another: they may not overlap.
	next := e.Clock.Now()
	shift := func(who string) {
		start := next
		next = next.Add(time.Hour)
		if _, err := e.App.Periods.AddShift(ctx, ac, period.ShiftInput{StartAt: start, EndAt: next, Officer: who}); err != nil {
			t.Fatal(err)
		}
		runJobs(t, e)
	}
	shift("甲")
	if got := len(hook.messages()); got != 1 {
		t.Fatalf("personal channel got %d messages, want 1", got)
	}
	if err := e.DB.SetUserDisabled(ctx, duty.ID, true); err != nil {
		t.Fatal(err)
	}
	shift("乙") // the record is written by the still-open actor; the channel's owner is disabled
	if got := len(hook.messages()); got != 1 {
		t.Errorf("a disabled account's channel still delivers: %d messages", got)
	}
}
