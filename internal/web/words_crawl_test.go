package web_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/pquerna/otp/totp"

	"golang.org/x/net/html"

	"fenghuo/internal/apptest"
	"fenghuo/internal/checklist"
	"fenghuo/internal/phrase"
	"fenghuo/internal/plan"
)

// TestEveryPageInWords logs in as a unit reporter, a county duty officer,
// a city commander and the system administrator of the demo region, in
// Chinese and in English, follows every console link from home (GET only,
// downloads skipped, a few pages of each shape) and reads each page's
// visible text (design/console.md rule 1, issue 13 item 5):
//
//   - a Chinese page shows no raw key (the list is built from the code: the
//     string constants of package fenghuo, the plans' ids, roles, events,
//     switches, fact keys and values, taxonomies and category codes) and no
//     other Latin word, except a short list of acronyms and the words of the
//     region's own data (names, titles and text people typed);
//   - a Chinese page has no ASCII , ; : ? ( ) beside a Chinese character,
//     outside text people typed;
//   - no page shows one message in both languages ("English / 中文");
//   - an English page shows no Chinese except the region's data (names,
//     people's text, the plans' own words) and text quoted in “…”.
func TestEveryPageInWords(t *testing.T) {
	if testing.Short() {
		t.Skip("walks every page of four accounts in two languages")
	}
	dsn := apptest.DSN(t)
	s := apptest.OpenDemo(t, dsn, 40, nil)
	data := regionData(t, dsn)
	t.Logf("region data: %d values, %d Chinese runs, %d Latin words", len(data.values), len(data.han), len(data.latin))
	keys := codeKeys(t)
	for _, c := range data.codes { // category codes as the incidents store them
		keys[c] = true
	}
	w := &wordsCheck{keys: keys, data: data, seen: map[string]bool{}}
	for _, user := range []string{"reporter", "qx-duty", "commander", "sysadmin"} {
		secret := "" // the administrator's second factor, enrolled at the first log-in
		for _, lang := range []string{"zh", "en"} {
			c := s.Console(t, user)
			secret = secondFactor(t, s.URL, c, secret)
			u, _ := url.Parse(s.URL)
			c.Jar.SetCookies(u, []*http.Cookie{{Name: "fh_lang", Value: lang, Path: "/"}})
			n := w.crawl(t, s.URL, c, lang, user)
			t.Logf("%s (%s): %d pages read", user, lang, n)
			if n < 5 {
				t.Errorf("%s (%s): only %d pages reachable from home", user, lang, n)
			}
		}
	}
	cls := make([]string, 0, len(w.counts))
	for c, n := range w.counts {
		cls = append(cls, fmt.Sprintf("%s: %d", c, n))
	}
	sort.Strings(cls)
	if len(cls) > 0 {
		t.Logf("findings by class: %s", strings.Join(cls, "; "))
	}
}

// secondFactor completes an administrator's log-in: it enrols a TOTP
// secret on the first (read from the enrolment page) and gives the code
// on later ones. Other accounts pass through.
func secondFactor(t *testing.T, base string, c *http.Client, secret string) string {
	t.Helper()
	resp, err := c.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	post := func(path string, form url.Values, want int) {
		req, _ := http.NewRequest("POST", base+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", base)
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Fatalf("POST %s: %s", path, resp.Status)
		}
	}
	switch {
	case strings.HasPrefix(loc, "/login/enroll"):
		resp, err := c.Get(base + "/login/enroll")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		m := regexp.MustCompile(`name="secret" value="([A-Z2-7=]+)"`).FindStringSubmatch(string(b))
		if m == nil {
			t.Fatal("no secret on the enrolment page")
		}
		secret = m[1]
		code, err := totp.GenerateCode(secret, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		// The answer is the page of recovery codes, shown this once.
		post("/login/enroll", url.Values{"secret": {secret}, "code": {code}, "next": {"/"}}, http.StatusOK)
	case strings.HasPrefix(loc, "/login/totp"):
		// The enrolment used this step's code, and a code counts once:
		// the next step's (within the allowed skew).
		code, err := totp.GenerateCode(secret, time.Now().Add(30*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		post("/login/totp", url.Values{"code": {code}, "next": {"/"}}, http.StatusSeeOther)
	}
	return secret
}

type wordsCheck struct {
	keys   map[string]bool
	data   *dataWords
	seen   map[string]bool // class|word reported once
	counts map[string]int
}

// skipLink: a link the walk does not follow: downloads, log-out, the API,
// static files, other origins.
var skipLink = regexp.MustCompile(`(?i)(\.(docx|pdf|xlsx|csv|zip|png|svg|json|yaml|txt)($|\?)|/logout|^/api/|^/static/|/download|/export|[?&]format=|/events($|\?)|/stream)`)

// shapeOf is a path with its numbers and query values replaced, so that
// the walk reads a few pages of each shape, not every incident.
var digits = regexp.MustCompile(`[0-9]+`)

func shapeOf(p string) string {
	u, err := url.Parse(p)
	if err != nil {
		return p
	}
	q := u.Query()
	names := make([]string, 0, len(q))
	for k := range q {
		names = append(names, k)
	}
	sort.Strings(names)
	return digits.ReplaceAllString(u.Path, "N") + "?" + strings.Join(names, "&")
}

func (w *wordsCheck) crawl(t *testing.T, base string, c *http.Client, lang, user string) int {
	const maxPages, perShape = 160, 2
	queue := []string{"/"}
	queued := map[string]bool{"/": true}
	shapes := map[string]int{}
	read := 0
	for len(queue) > 0 && read < maxPages {
		p := queue[0]
		queue = queue[1:]
		req, _ := http.NewRequest("GET", base+p, nil)
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusSeeOther || resp.StatusCode == http.StatusFound {
			if loc := resp.Header.Get("Location"); strings.HasPrefix(loc, "/") && !queued[loc] && !skipLink.MatchString(loc) {
				queued[loc] = true
				queue = append(queue, loc)
			}
			continue
		}
		if resp.StatusCode >= 500 {
			t.Errorf("%s (%s) %s: %s", user, lang, p, resp.Status)
			continue
		}
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || resp.StatusCode != http.StatusOK {
			continue
		}
		doc, err := html.Parse(strings.NewReader(string(body)))
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		read++
		texts, links := visible(doc)
		w.check(t, lang, user, p, texts)
		for _, l := range links {
			u, err := url.Parse(l)
			if err != nil || u.Host != "" || u.Scheme != "" || !strings.HasPrefix(u.Path, "/") {
				continue
			}
			u.Fragment = ""
			l = u.String()
			if queued[l] || skipLink.MatchString(l) {
				continue
			}
			queued[l] = true
			if sh := shapeOf(l); shapes[sh] < perShape {
				shapes[sh]++
				queue = append(queue, l)
			}
		}
	}
	return read
}

// visible returns the text a reader sees (text nodes, placeholders,
// titles, labels for assistive technology, button values) and the links
// (href of a, GET form actions are not followed). Text people type into
// a form field (input values, textarea) and machine text (code, pre,
// kbd, samp) are left out.
func visible(doc *html.Node) (texts, links []string) {
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "style", "template", "noscript", "code", "pre", "kbd", "samp", "textarea", "head":
				return
			}
			attrs := map[string]string{}
			for _, a := range n.Attr {
				attrs[a.Key] = a.Val
			}
			if _, hidden := attrs["hidden"]; hidden {
				return
			}
			for _, a := range []string{"placeholder", "title", "aria-label", "alt"} {
				if v := strings.TrimSpace(attrs[a]); v != "" {
					texts = append(texts, v)
				}
			}
			if n.Data == "input" && (attrs["type"] == "submit" || attrs["type"] == "button") && attrs["value"] != "" {
				texts = append(texts, attrs["value"])
			}
			if n.Data == "a" && attrs["href"] != "" && !hasAttr(n, "download") {
				links = append(links, attrs["href"])
			}
		}
		if n.Type == html.TextNode {
			if s := strings.TrimSpace(n.Data); s != "" {
				texts = append(texts, s)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return texts, links
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

// acronyms may stand in Chinese text as they are.
var acronyms = map[string]bool{
	"IP": true, "IPv4": true, "IPv6": true, "URL": true, "DOCX": true, "PDF": true, "XLSX": true, "CSV": true, "API": true,
	"TOTP": true, "SM2": true, "SM3": true, "SM4": true, "HTTP": true, "HTTPS": true, "DNS": true, "ICP": true,
	"CVE": true, "CNVD": true, "TCP": true, "UDP": true, "TLS": true, "ID": true, "SMTP": true, "YAML": true, "JSON": true,
	"English": true, // the language switch names the other language in its own words
	// Protocols, formats and products the catalogues name (ports, channels,
	// attachments).
	"FTP": true, "SSH": true, "SMB": true, "RDP": true, "RPC": true, "NetBIOS": true, "Telnet": true, "Windows": true,
	"Webhook": true, "HMAC": true, "ZIP": true, "Excel": true, "Word": true,
	// Alert intake (issue 14): the tools and formats the alert pages name.
	"syslog": true, "rsyslog": true, "Wazuh": true, "Suricata": true, "Sigma": true, "ATT": true, "CK": true,
	// Detection tools and formats the rules page names (issue 14).
	// (Sigma, Suricata, Wazuh above)
}

var (
	// machineText: addresses, file names and paths, numbers and ids
	// (CVE-2020-14882, MS17-010), commands (fenghuo probe register) and
	// values a person types quoted in “…”.
	machineText = regexp.MustCompile(`fenghuo( [a-z-]+)+|“[A-Za-z0-9_.:-]+”|\b[A-Z]+[0-9]*-[0-9][0-9-]*\b|[\w.-]+/[\w/.-]+|[a-zA-Z][a-zA-Z0-9+.-]*://\S+|[\w.+-]+@[\w-]+(\.[\w-]+)+|\b[\w-]+(\.[\w-]+)+\b|/[\w/.{}-]+|\b\d[\w.:-]*`)
	latinWord   = regexp.MustCompile(`[A-Za-z][A-Za-z0-9_'-]*`)
	hanRun      = regexp.MustCompile(`\p{Han}+`)
	clauseID    = regexp.MustCompile(`[0-9A-Za-z.§]*\([0-9一二三四五六七八九十]+\)[①-⑳]?|[一二三四五六七八九十]+\([一二三四五六七八九十]+\)`)
	quotedEN    = regexp.MustCompile(`“[^”]*”|《[^》]*》`)
	latinWords2 = regexp.MustCompile(`[A-Za-z]{2,}[^/]*\s[A-Za-z]{2,}`)
)

func (w *wordsCheck) report(t *testing.T, class, word, where string) {
	if w.counts == nil {
		w.counts = map[string]int{}
	}
	w.counts[class]++
	k := class + "|" + word
	if w.seen[k] {
		return
	}
	w.seen[k] = true
	t.Errorf("%s %q on %s", class, word, where)
}

func (w *wordsCheck) check(t *testing.T, lang, user, page string, texts []string) {
	where := fmt.Sprintf("%s (%s, %s)", page, user, lang)
	for _, s := range texts {
		if bilingual(s) {
			w.report(t, "bilingual message", s, where)
		}
		typed := w.data.values[s]
		if lang == "zh" {
			if !typed {
				// A clause is cited by its id in the plan ("4.1(3)",
				// "二(一)"): an id, kept as the contract writes it.
				if bad := phrase.ASCIIPunctNearCJK(w.data.withoutQuotes(clauseID.ReplaceAllString(s, "§"))); len(bad) > 0 {
					w.report(t, "ASCII punctuation in Chinese", s, where)
				}
			}
			plain := machineText.ReplaceAllString(s, " ")
			for _, word := range latinWord.FindAllString(plain, -1) {
				word = strings.Trim(word, "-'")
				if allAcronyms(word) {
					continue
				}
				switch {
				case w.keys[word] && !w.data.latin[word] && !acronyms[word]:
					w.report(t, "raw key on a Chinese page", word, where+": "+clip(s))
				case acronyms[word] || w.data.latin[word]:
				case w.keys[word] || w.keys[strings.ToLower(word)] || isGrade(word):
					w.report(t, "raw key on a Chinese page", word, where+": "+clip(s))
				case len(word) > 1:
					w.report(t, "Latin word on a Chinese page", word, where+": "+clip(s))
				}
			}
			continue
		}
		// Chinese the region's data or quotes hold is allowed; the
		// documents' sentences are taken out only when the text is not all
		// data (a name may contain a word the plans use).
		if w.data.foreign(quotedEN.ReplaceAllString(s, "")) && w.data.foreign(quotedEN.ReplaceAllString(w.data.withoutDocs(s), "")) {
			w.report(t, "Chinese on an English page", s, where)
		}
	}
}

// allAcronyms: a compound of allowed acronyms ("HMAC-SM3").
func allAcronyms(w string) bool {
	for _, p := range strings.Split(w, "-") {
		if !acronyms[p] {
			return false
		}
	}
	return true
}

func isGrade(s string) bool { return s == "I" || s == "II" || s == "III" || s == "IV" }

func clip(s string) string {
	if r := []rune(s); len(r) > 80 {
		return string(r[:80]) + "…"
	}
	return s
}

// bilingual reports a message written in both languages: a Chinese part
// and an English sentence joined by " / ".
func bilingual(s string) bool {
	parts := strings.Split(s, " / ")
	if len(parts) < 2 {
		return false
	}
	zh, en := false, false
	for _, p := range parts {
		switch {
		case phrase.HasHan(p) && hanCount(p) >= 2:
			zh = true
		case !phrase.HasHan(p) && latinWords2.MatchString(p):
			en = true
		}
	}
	return zh && en
}

func hanCount(s string) int {
	n := 0
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			n++
		}
	}
	return n
}

// codeKeys is every stored key the platform has: the values of the string
// constants of package fenghuo (statuses, states, roles, channels, org
// types and levels, colours, kinds …) and of the plans (ids, roles,
// events, switches, fact keys and values, taxonomies).
func codeKeys(t *testing.T) map[string]bool {
	keys := map[string]bool{}
	identifier := regexp.MustCompile(`^[a-z][a-z0-9]*([_.-][a-z0-9]+)*$`)
	add := func(s string) {
		if identifier.MatchString(s) {
			keys[s] = true
		}
	}
	files, err := filepath.Glob("../fenghuo/*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no sources of package fenghuo: %v", err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(token.NewFileSet(), f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range af.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, sp := range g.Specs {
				for _, v := range sp.(*ast.ValueSpec).Values {
					if lit, ok := v.(*ast.BasicLit); ok && lit.Kind == token.STRING {
						if s, err := strconv.Unquote(lit.Value); err == nil {
							add(s)
						}
					}
				}
			}
		}
	}
	reg := plan.Builtin()
	for _, id := range reg.IDs() {
		keys[id] = true
		p, err := reg.Get(id)
		if err != nil {
			t.Fatal(err)
		}
		// Every identifier-like string value of the plan (roles, events,
		// switches, fact keys and values, rule ids, taxonomy ids).
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatal(err)
		}
		walkJSON(v, func(k, s string) {
			add(k)
			add(s)
		})
	}
	for _, f := range plan.FactDefs() {
		add(f.Key)
		for _, o := range f.Values {
			add(o)
		}
	}
	// English words that are keys and also plain words are still keys on
	// a Chinese page; short ones are too common to tell apart in a
	// message, so only the multi-letter ones are listed.
	for k := range keys {
		if len(k) < 2 {
			delete(keys, k)
		}
	}
	return keys
}

func walkStrings(v any, f func(string)) {
	switch x := v.(type) {
	case string:
		f(x)
	case map[string]any:
		for _, e := range x {
			walkStrings(e, f)
		}
	case []any:
		for _, e := range x {
			walkStrings(e, f)
		}
	}
}

func walkJSON(v any, f func(key, value string)) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if s, ok := e.(string); ok {
				if k == "zh" || k == "en" || k == "text" || k == "title" || k == "name" {
					continue // words, not keys
				}
				f(k, s)
				continue
			}
			walkJSON(e, f)
		}
	case []any:
		for _, e := range x {
			if s, ok := e.(string); ok {
				f("", s)
				continue
			}
			walkJSON(e, f)
		}
	}
}

// dataWords is what the region's own data says (names, titles, text people
// typed, the plans' own words): a page may show it in either language.
type dataWords struct {
	values map[string]bool // whole values, trimmed
	latin  map[string]bool // Latin words in them
	han    map[string]bool // runs of Chinese characters in them
	codes  []string        // category codes as stored ("IAI"), shown only as words
	quotes []string        // the documents' own sentences, longest first
}

// foreign reports Chinese in s that is not the region's data.
func (d *dataWords) foreign(s string) bool {
	for _, run := range hanRun.FindAllString(s, -1) {
		if !d.han[run] && run != "中文" {
			return true
		}
	}
	return false
}

// withoutDocs removes the documents' sentences that s quotes.
func (d *dataWords) withoutDocs(s string) string {
	if !phrase.HasHan(s) {
		return s
	}
	for _, q := range d.quotes {
		if strings.Contains(s, q) {
			s = strings.ReplaceAll(s, q, "")
		}
	}
	return s
}

// withoutQuotes replaces the documents' sentences that s quotes (a task
// title after "任务：", a clause after its grade) by a Chinese placeholder,
// so that only the platform's own wording around them is checked.
func (d *dataWords) withoutQuotes(s string) string {
	if len(phrase.ASCIIPunctNearCJK(s)) == 0 {
		return s
	}
	for _, q := range d.quotes {
		if strings.Contains(s, q) {
			s = strings.ReplaceAll(s, q, "词")
		}
	}
	return s
}

// dataTables hold names and text people typed; the platform's own
// sentences (timeline, notifications, tasks, obligations, audit) are not
// data. Columns holding keys are left out by their names.
var dataTables = []string{"duty_shifts", "response_approvals", "risk_notice_targets", "aftermath_approvals", "drill_tasks", "timeline", "orgs", "systems", "system_components", "system_exposures", "users", "incidents", "reports",
	"evidence", "monitors", "probes", "warnings", "periods", "duty_log", "channels", "findings", "finding_evidence",
	"inspection_campaigns", "inspection_answers", "risk_notices", "drills", "activities", "drill_runs",
	"improvements", "aftermath_documents", "task_comments", "drill_task_comments", "command_members",
	"end_notice_recipients", "accountability_records", "daily_reports", "response_activations", "incident_concealment",
	"inspection_evidence", "exposure_results", "tasks",
	"alert_groups", "intake_sources", // alert titles come from the tools, sources are named by people (issue 14)
	"indicators"} // names, descriptions and sources of indicators come from the bundles imported or people (issue 14)

// platformColumns are columns of the tables above that the platform writes
// (a task's title and body come from the plan or the platform; its
// done_note is what a person typed).
var platformColumns = map[string]bool{"tasks.title": true, "tasks.body": true, "tasks.anchor": true}

// onlyColumns: of these tables only the named column is data (the
// timeline's sentences are the platform's; who acted is a name).
var onlyColumns = map[string]string{"timeline": "actor_name"}

var keyColumn = regexp.MustCompile(`(^|_)(status|state|kind|type|level|grade|category|taxonomy|channel|role|roles|plan_id|plan_ids|sector|color|key|hash|sm3|token|secret|password|facts|data|json|path|locale|severity|source|rule_id|clause|method|mode|outcome|result|scope|urgency|vantages|ports|plan_roles)$`)

func regionData(t *testing.T, dsn string) *dataWords {
	d := &dataWords{values: map[string]bool{}, latin: map[string]bool{}, han: map[string]bool{}}
	driver, src := "sqlite", strings.TrimPrefix(dsn, "sqlite:")
	if !strings.HasPrefix(dsn, "sqlite:") {
		driver, src = "pgx", dsn
	}
	db, err := sql.Open(driver, src)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var addText func(s string)
	addText = func(s string) {
		s = strings.TrimSpace(s)
		if s == "" {
			return
		}
		if strings.HasPrefix(s, "{") || strings.HasPrefix(s, "[") {
			// A JSON column: the Chinese text in it (measures, answers),
			// not its keys.
			var v any
			if json.Unmarshal([]byte(s), &v) == nil {
				walkStrings(v, func(x string) {
					if phrase.HasHan(x) {
						addText(x)
					}
				})
			}
			return
		}
		d.values[s] = true
		for _, line := range strings.Split(s, "\n") {
			d.values[strings.TrimSpace(line)] = true
		}
		for _, w := range latinWord.FindAllString(s, -1) {
			d.latin[w] = true
		}
		for _, r := range hanRun.FindAllString(s, -1) {
			d.han[r] = true
		}
	}
	ctx := context.Background()
	for _, table := range dataTables {
		rows, err := db.QueryContext(ctx, "SELECT * FROM "+table) // table names are the constants above
		if err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for i, v := range vals {
				if table == "timeline" && cols[i] == "data" {
					// What a person typed into a platform sentence (a
					// task's note, a reason).
					if b, ok := v.([]byte); ok {
						v = string(b)
					}
					if s, ok := v.(string); ok {
						if p, ok := phrase.FromData(s); ok {
							for _, k := range []string{"note", "reason", "text", "comment"} {
								addText(p.Args[k].ZH)
							}
						}
					}
					continue
				}
				var s string
				switch x := v.(type) {
				case string:
					s = x
				case []byte:
					s = string(x)
				default:
					continue
				}
				if table == "incidents" && cols[i] == "category" && s != "" {
					d.codes = append(d.codes, s)
				}
				if only := onlyColumns[table]; only != "" && cols[i] != only {
					continue
				}
				if platformColumns[table+"."+cols[i]] || keyColumn.MatchString(cols[i]) && !phrase.HasHan(s) {
					continue
				}
				addText(s)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		rows.Close()
	}
	// The plans', taxonomies' and checklists' own words (clauses quoted
	// from the source documents, task titles, party names): quotations,
	// shown as the documents write them.
	var docs []any
	reg := plan.Builtin()
	for _, id := range reg.IDs() {
		p, _ := reg.Get(id)
		docs = append(docs, p)
	}
	for _, id := range plan.TaxonomyIDs() {
		tx, _ := plan.BuiltinTaxonomy(id)
		docs = append(docs, tx)
	}
	for _, c := range checklist.Builtin() {
		docs = append(docs, c)
	}
	for _, doc := range docs {
		b, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		json.Unmarshal(b, &v)
		walkStrings(v, func(s string) {
			if phrase.HasHan(s) {
				addText(s)
				if q := strings.TrimSpace(s); len([]rune(q)) >= 4 {
					d.quotes = append(d.quotes, q)
				}
			}
		})
	}
	sort.Slice(d.quotes, func(i, j int) bool { return len(d.quotes[i]) > len(d.quotes[j]) })
	codes := map[string]bool{}
	for _, c := range d.codes {
		codes[c] = true
	}
	d.codes = d.codes[:0]
	for c := range codes {
		if len(c) >= 2 && !phrase.HasHan(c) {
			d.codes = append(d.codes, c)
		}
	}
	sort.Strings(d.codes)
	return d
}
