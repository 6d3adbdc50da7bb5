package web

// Intake sources (接入源, issue 14 item 8): the sensors of the viewer's
// subtree, registering one (its token shown once, with a curl and an
// rsyslog example), revoking one.

import (
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"fenghuo/internal/app/intake"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

type sourceRow struct {
	store.IntakeSource
	OrgName string
}

type createdSource struct {
	Name, Token, Curl, Rsyslog string
}

type sourcesData struct {
	Sources   []sourceRow
	Units     []fenghuo.Org
	Kinds     []string
	Form      map[string]string
	CanManage bool
	Created   *createdSource
	Pager     pager
	// MappingExample is a field mapping to copy.
	MappingExample string
}

func (h *Handler) intakeSources(w http.ResponseWriter, r *http.Request) {
	h.renderSources(w, r, http.StatusOK, nil, nil)
}

func (h *Handler) renderSources(w http.ResponseWriter, r *http.Request, status int, created *createdSource, formErr error) {
	ac := actor(r)
	p, n := readPage(r)
	res, err := h.app.Intake.Sources(r.Context(), ac, 0, true, p)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	d := sourcesData{Kinds: intake.SourceKinds, Form: map[string]string{}, CanManage: ac.Can(fenghuo.PermSystemWrite), Created: created,
		MappingExample: mappingExample}
	d.Units, _ = h.subtreeOrgs(r)
	names := map[int64]string{}
	for _, o := range d.Units {
		names[o.ID] = o.Name
	}
	for _, s := range res.Items {
		d.Sources = append(d.Sources, sourceRow{IntakeSource: s, OrgName: names[s.OrgID]})
	}
	d.Pager = newPager(r, n, res.Total).capped(res.Capped, len(res.Items) == p.Limit)
	if formErr != nil {
		for _, k := range []string{"name", "org_id", "kind", "addresses", "mapping"} {
			d.Form[k] = r.FormValue(k)
		}
	}
	if d.Form["org_id"] == "" {
		d.Form["org_id"] = strconv.FormatInt(ac.Org.ID, 10)
	}
	if d.Form["kind"] == "" {
		d.Form["kind"] = "syslog"
	}
	v := &view{Actor: ac, Title: "sources.title", Nav: "alerts", Data: d}
	if formErr != nil {
		v.Errors, v.Error = fieldErrors(formErr)
	}
	h.render(w, r, status, "intake_sources", v)
}

func (h *Handler) createIntakeSource(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	r.ParseForm()
	in := intake.SourceInput{OrgID: formInt(r, "org_id"), Name: r.FormValue("name"), Kind: r.FormValue("kind"),
		Mapping: strings.TrimSpace(r.FormValue("mapping"))}
	if in.OrgID == 0 {
		in.OrgID = ac.Org.ID
	}
	for _, line := range strings.FieldsFunc(r.FormValue("addresses"), func(c rune) bool { return c == '\n' || c == ',' || c == ' ' || c == '\r' }) {
		if line = strings.TrimSpace(line); line != "" {
			in.Addresses = append(in.Addresses, line)
		}
	}
	// A mapping that is not JSON is said plainly, with where it breaks,
	// before the service's own checks.
	var mappingErr error
	if in.Mapping != "" {
		mappingErr = checkMappingText(in.Mapping)
	}
	src, token, err := h.app.Intake.CreateSource(r.Context(), ac, in)
	if mappingErr != nil {
		var bad fenghuo.Invalid
		bad.Add(mappingErr)
		for _, fe := range fenghuo.FieldErrors(err) {
			if fe.Field != "mapping" {
				bad.Add(fe)
			}
		}
		err = bad.Err()
		if src != nil { // cannot happen: the service refuses a broken mapping too
			err = nil
		}
	}
	if err != nil {
		if accessError(err) {
			h.fail(w, r, ac, err)
			return
		}
		h.renderSources(w, r, http.StatusBadRequest, nil, err)
		return
	}
	h.renderSources(w, r, http.StatusOK, &createdSource{Name: src.Name, Token: token,
		Curl: curlExample(r, token, src.Kind), Rsyslog: rsyslogExample(r, src.Addresses)}, nil)
}

// mappingKeys are the keys of a field mapping (ingest.Mapping's JSON).
var mappingKeys = []string{"time", "layouts", "zone", "fields", "constants", "multi", "drop_unmapped"}

// checkMappingText says plainly what is wrong with a mapping's JSON: where
// it breaks, a key that is not a mapping's, or "fields" that is not an
// object of names (the service checks the rest).
func checkMappingText(text string) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(text), &m); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return fenghuo.FieldErrorf("mapping", "The field mapping is not valid JSON near character %d. Write it as in the example below the box. / 字段映射不是有效的JSON（第%d个字符附近），请按输入框下方示例的格式填写。",
				se.Offset, se.Offset)
		}
		return fenghuo.FieldErrorf("mapping", "The field mapping must be a JSON object, as in the example below the box. / 字段映射须为JSON对象，格式见输入框下方的示例。")
	}
	for k := range m {
		if !slices.Contains(mappingKeys, k) {
			return fenghuo.FieldErrorf("mapping", "The field mapping has an unknown key “%s”: use %s. / 字段映射中的“%s”不是可用的键，请对照输入框下方的示例。",
				k, strings.Join(mappingKeys, ", "), k)
		}
	}
	if raw, ok := m["fields"]; ok {
		var f map[string]string
		if json.Unmarshal(raw, &f) != nil {
			return fenghuo.FieldErrorf("mapping", "“fields” must map standard field names to the device's field names, as in the example below the box. / “fields”须把标准字段名对应到设备的字段名，格式见输入框下方的示例。")
		}
	}
	return nil
}

// mappingExample is a mapping as the hint and the messages show it.
const mappingExample = `{"fields": {"source.ip": "src", "user.name": "usr"}}`

// origin is the console's address as the browser reached it.
func origin(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// curlExample posts a file of NDJSON records with the token.
func curlExample(r *http.Request, token, kind string) string {
	u := origin(r) + "/api/v1/alerts"
	if kind != "" && kind != "syslog" && kind != "mail" {
		u += "?format=" + kind
	}
	return "curl -sS -X POST '" + u + "' \\\n  -H 'Authorization: Bearer " + token + "' \\\n" +
		"  -H 'Content-Type: application/x-ndjson' \\\n  --data-binary @alerts.ndjson"
}

// rsyslogExample forwards every message over TCP with octet counting to
// the console's host (the syslog receiver's port is the server's setting).
func rsyslogExample(r *http.Request, addrs []string) string {
	host := r.Host
	if h, _, err := net.SplitHostPort(r.Host); err == nil {
		host = h
	}
	return "# /etc/rsyslog.d/fenghuo.conf\n" +
		"*.* action(type=\"omfwd\" target=\"" + host + "\" port=\"514\" protocol=\"tcp\"\n" +
		"           TCP_Framing=\"octet-counted\" template=\"RSYSLOG_SyslogProtocol23Format\"\n" +
		"           queue.type=\"LinkedList\" queue.filename=\"fenghuo\" action.resumeRetryCount=\"-1\")\n"
}

func (h *Handler) revokeIntakeSource(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err := h.app.Intake.RevokeSource(r.Context(), ac, id); err != nil {
		h.fail(w, r, ac, err)
		return
	}
	http.Redirect(w, r, "/intake-sources", http.StatusSeeOther)
}
