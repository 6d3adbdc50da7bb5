package web

// Detection rules (issue 14 item 3, item 8's rules page): /rules shows the
// Sigma rule sets that run on an org's events — the built-in mail, egress
// and IDS sets and the rules uploaded by the org or the offices above —
// each rule in words (title, how severe, what it detects, over which
// window), a switch per set, and one primary action: upload a rule, with
// its problems shown by line next to the field.

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"fenghuo/internal/app/detection"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/ingest/sigma"
	"fenghuo/internal/phrase"
	"fenghuo/internal/store"
)

// registerRules adds the detection-rules routes (called from Routes).
func (h *Handler) registerRules(mux *http.ServeMux) {
	mux.HandleFunc("GET /rules", h.authed(h.rulesPage))
	mux.HandleFunc("POST /rules/sets/{name}", h.authed(h.setRuleSet))
	mux.HandleFunc("POST /rules/custom", h.authed(h.uploadRule))
	mux.HandleFunc("POST /rules/custom/{id}/delete", h.authed(h.deleteRule))
}

// ruleRow is one rule in words.
type ruleRow struct {
	Title, Description string
	Level              string
	Threshold          bool
	Window             string
	Tactics            []string // catalogue keys of ATT&CK tactics ("rules.tactic.credential_access")
	Codes              []string // other tags as written (attack.t1110)
}

type ruleSetRow struct {
	Name    string
	Anchor  string // the set's HTML id suffix
	Label   string // the set in words
	About   string
	Builtin bool
	Enabled bool
	Count   int
	Rules   []ruleRow
	Uploads []store.CustomRule
	Own     bool // uploaded by the org shown (deletable here)
}

type rulesData struct {
	Org      fenghuo.Org
	Orgs     []fenghuo.Org
	Sets     []ruleSetRow
	CanWrite bool
	Body     string // the upload form's text after an error
	Problems []string
}

func (h *Handler) rulesOrg(r *http.Request) int64 {
	if id, err := strconv.ParseInt(r.FormValue("org"), 10, 64); err == nil && id > 0 {
		return id
	}
	return actor(r).Org.ID
}

func (h *Handler) rulesPage(w http.ResponseWriter, r *http.Request) {
	h.renderRules(w, r, http.StatusOK, nil)
}

var problemLine = regexp.MustCompile(`^line (\d+): (.*)$`)

func (h *Handler) renderRules(w http.ResponseWriter, r *http.Request, status int, uploadErr error) {
	ac := actor(r)
	ctx := r.Context()
	orgID := h.rulesOrg(r)
	org, err := h.app.Core.VisibleOrg(ctx, ac, orgID)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	sets, err := h.app.Detection.RuleSets(ctx, ac, orgID)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	lang := requestLang(r, actorLocale(ac))
	d := rulesData{Org: *org, CanWrite: ac.CanAt(fenghuo.PermSystemWrite, org.Path)}
	if orgs, err := h.subtreeOrgs(r); err == nil && len(orgs) > 1 {
		d.Orgs = orgs
	}
	for _, s := range sets {
		row := ruleSetRow{Name: s.Name, Anchor: anchorID(s.Name), Builtin: s.Builtin, Enabled: s.Enabled, Count: s.RuleCount, Uploads: s.Uploads}
		if s.Builtin {
			row.Label, row.About = translate(lang, "rules.set."+s.Name), translate(lang, "rules.set."+s.Name+".about")
		} else if s.Owner != nil {
			row.Label = strings.Replace(translate(lang, "rules.set.custom"), "%s", s.Owner.Name, 1)
			row.Own = s.Owner.ID == org.ID
			row.About = translate(lang, "rules.set.custom.about")
		}
		for _, ri := range s.Rules {
			row.Rules = append(row.Rules, ruleInWords(ri, lang))
		}
		d.Sets = append(d.Sets, row)
	}
	v := &view{Actor: ac, Title: "rules.title", Nav: "rules", Data: &d}
	if uploadErr != nil {
		v.Errors, v.Error = fieldErrors(uploadErr)
		d.Body = r.FormValue("body")
		if msg, ok := v.Errors["body"]; ok {
			for _, line := range strings.Split(msg, "\n") {
				if m := problemLine.FindStringSubmatch(line); m != nil {
					d.Problems = append(d.Problems, strings.Replace(translate(lang, "rules.upload.line"), "%s", m[1], 1)+m[2])
				} else if line != "" {
					d.Problems = append(d.Problems, phrase.InLang(line, lang))
				}
			}
			v.Errors["body"] = translate(lang, "rules.upload.invalid")
			v.Error = translate(lang, "rules.upload.invalid")
		}
	}
	h.render(w, r, status, "rules", v)
}

// ruleInWords writes a rule for the page: its title and description in
// the page's language when the rule has both, its tactics in words.
func ruleInWords(ri sigma.RuleInfo, lang string) ruleRow {
	row := ruleRow{Title: ri.Title, Description: ri.Description, Level: ri.Level, Threshold: ri.Threshold, Window: ri.Window}
	if lang == langEN && ri.TitleEN != "" {
		row.Title, row.Description = ri.TitleEN, ri.DescriptionEN
	}
	for _, t := range ri.Tags {
		key := "rules.tactic." + strings.TrimPrefix(t, "attack.")
		if strings.HasPrefix(t, "attack.") && translate(lang, key) != key {
			row.Tactics = append(row.Tactics, key)
		} else {
			row.Codes = append(row.Codes, t)
		}
	}
	return row
}

func (h *Handler) rulesBack(r *http.Request, orgID int64, anchor string) string {
	return "/rules?" + url.Values{"org": {strconv.FormatInt(orgID, 10)}}.Encode() + anchor
}

func (h *Handler) setRuleSet(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	r.ParseForm()
	orgID := h.rulesOrg(r)
	name := r.PathValue("name")
	err := h.app.Detection.SetEnabled(r.Context(), ac, orgID, name, r.FormValue("enabled") == "1")
	h.finishAction(w, r, err, h.rulesBack(r, orgID, "#set-"+anchorID(name)), func(err error) { h.renderRules(w, r, http.StatusBadRequest, err) })
}

// anchorID makes a rule set name an HTML id ("custom:12" → "custom-12").
func anchorID(name string) string { return strings.ReplaceAll(name, ":", "-") }

func (h *Handler) uploadRule(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	r.Body = http.MaxBytesReader(w, r.Body, sigma.MaxRuleBytes+64<<10)
	if err := r.ParseMultipartForm(sigma.MaxRuleBytes + 32<<10); err != nil && err != http.ErrNotMultipart {
		h.renderRules(w, r, http.StatusBadRequest, fenghuo.FieldErrorf("body", "The file is too large (at most %d KB). / 文件过大（不超过 %d KB）。", sigma.MaxRuleBytes>>10, sigma.MaxRuleBytes>>10))
		return
	}
	body := r.FormValue("body")
	if f, hdr, err := r.FormFile("file"); err == nil {
		defer f.Close()
		if hdr.Size > 0 {
			b, err := io.ReadAll(io.LimitReader(f, sigma.MaxRuleBytes+1))
			if err == nil {
				body = string(b)
				r.Form.Set("body", body)
			}
		}
	}
	orgID := h.rulesOrg(r)
	_, err := h.app.Detection.UploadRule(r.Context(), ac, detection.UploadInput{OrgID: orgID, Body: body})
	h.finishAction(w, r, err, h.rulesBack(r, orgID, "#set-"+anchorID(detection.CustomSetName(orgID))), func(err error) {
		h.renderRules(w, r, http.StatusBadRequest, err)
	})
}

func (h *Handler) deleteRule(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	r.ParseForm()
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	orgID := h.rulesOrg(r)
	err := h.app.Detection.DeleteRule(r.Context(), ac, id)
	h.finishAction(w, r, err, h.rulesBack(r, orgID, ""), func(err error) { h.renderRules(w, r, http.StatusBadRequest, err) })
}
