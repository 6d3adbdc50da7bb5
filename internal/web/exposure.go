package web

// Exposure checks (issue 12, P4): per unit, the systems with registered
// addresses and their latest check; per system, the results by address and
// port, the history of a port, and "check now".

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"fenghuo/internal/app/exposure"
	"fenghuo/internal/fenghuo"
)

type exposureOverviewData struct {
	Org      *fenghuo.Org
	Rows     []exposure.SystemStatus
	Capped   bool
	Policy   fenghuo.ExposurePolicy
	SetBy    string // name of the org whose policy applies; "" the default
	CanSet   bool
	PortsStr string
	// VantagesStr is the policy's vantage points as typed in the form.
	VantagesStr string
	Form        map[string]string
	Names       map[int64]string // unit names by org ID
}

func (h *Handler) exposureOverview(w http.ResponseWriter, r *http.Request) {
	h.renderExposureOverview(w, r, http.StatusOK, "", nil)
}

func (h *Handler) renderExposureOverview(w http.ResponseWriter, r *http.Request, status int, flash string, actionErr error) {
	ac := actor(r)
	ctx := r.Context()
	orgID := formInt(r, "org")
	if orgID == 0 {
		orgID = ac.Org.ID
	}
	org, err := h.app.Core.VisibleOrg(ctx, ac, orgID)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	rows, capped, err := h.app.Exposure.Overview(ctx, ac, org.ID)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	pol, setBy, err := h.app.Exposure.Policy(ctx, ac, org.ID)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	d := exposureOverviewData{Org: org, Rows: rows, Capped: capped, Policy: pol, CanSet: ac.CanAt(fenghuo.PermOrgWrite, org.Path),
		PortsStr: portsString(pol.Ports), Form: map[string]string{}, Names: map[int64]string{}}
	for _, st := range rows {
		if _, ok := d.Names[st.System.OrgID]; !ok {
			if o, err := h.app.Core.DB().Org(ctx, st.System.OrgID); err == nil {
				d.Names[o.ID] = o.Name
			}
		}
	}
	if setBy != 0 {
		if o, err := h.app.Core.DB().Org(ctx, setBy); err == nil {
			d.SetBy = o.Name
		}
	}
	d.VantagesStr = vantagesString(pol.Vantages)
	if actionErr != nil {
		d.PortsStr = r.FormValue("ports")
		d.VantagesStr = r.FormValue("vantages")
	}
	v := &view{Actor: ac, Title: "expcheck.title", Nav: "exposure", Data: d, Flash: flash}
	if actionErr != nil {
		v.Errors, v.Error = fieldErrors(actionErr)
	}
	h.render(w, r, status, "exposure", v)
}

func portsString(ps []int) string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = strconv.Itoa(p)
	}
	return strings.Join(out, ", ")
}

// parsePorts reads "21, 22 3389" into ports; a word that is not a number
// is an error naming it.
func parsePorts(s string) ([]int, error) {
	var out []int
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == '、' || r == ' ' || r == '\n' }) {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			return nil, fenghuo.FieldErrorf("ports", "%q is not a port number. / “%s”不是端口号。", f, f)
		}
		out = append(out, n)
	}
	return out, nil
}

func (h *Handler) setExposurePolicy(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	r.ParseForm()
	ports, err := parsePorts(r.FormValue("ports"))
	if err == nil {
		hours, _ := strconv.Atoi(strings.TrimSpace(r.FormValue("interval_hours")))
		err = h.app.Exposure.SetPolicy(r.Context(), ac, formInt(r, "org"),
			fenghuo.ExposurePolicy{Ports: ports, Scheduled: r.FormValue("scheduled") == "1", IntervalHours: hours,
				Vantages: parseVantages(r.FormValue("vantages"))})
	}
	if err != nil {
		if c := fenghuo.ErrorCode(err); c == fenghuo.ENOTFOUND || c == fenghuo.EFORBIDDEN {
			h.fail(w, r, ac, err)
			return
		}
		h.renderExposureOverview(w, r, http.StatusBadRequest, "", err)
		return
	}
	h.renderExposureOverview(w, r, http.StatusOK, translate(requestLang(r, ac.User.Locale), "common.saved"), nil)
}

type exposureSystemData struct {
	V       *exposure.SystemView
	Open    int // high-risk ports open in the latest check
	Target  string
	Port    int
	History []fenghuo.ExposureResult
}

func (h *Handler) exposureSystem(w http.ResponseWriter, r *http.Request) {
	h.renderExposureSystem(w, r, http.StatusOK, "", nil)
}

func (h *Handler) renderExposureSystem(w http.ResponseWriter, r *http.Request, status int, flash string, actionErr error) {
	ac := actor(r)
	ctx := r.Context()
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	v, err := h.app.Exposure.System(ctx, ac, id)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	d := exposureSystemData{V: v}
	for _, res := range v.Latest {
		if res.HighRisk && res.State == fenghuo.PortOpen {
			d.Open++
		}
	}
	if t := r.URL.Query().Get("target"); t != "" {
		port, _ := strconv.Atoi(r.URL.Query().Get("port"))
		if d.History, err = h.app.Exposure.History(ctx, ac, id, t, port, 50); err != nil {
			h.fail(w, r, ac, err)
			return
		}
		d.Target, d.Port = t, port
	}
	pv := &view{Actor: ac, Title: "expcheck.title", Nav: "exposure", Data: d, Flash: flash}
	if actionErr != nil {
		pv.Errors, pv.Error = fieldErrors(actionErr)
	}
	h.render(w, r, status, "exposure_system", pv)
}

// runExposureCheck queues a check ("立即检测") and shows the system's page,
// which says 检测中 and refreshes itself until the check is stored: a check
// of several addresses can take well over the ~2 s a page may hold a
// request (every connect that gets no answer waits out the 3 s timeout;
// connects to one address are spaced 200 ms apart; see docs/prevention.md).
func (h *Handler) runExposureCheck(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err := h.app.Exposure.Request(r.Context(), ac, id); err != nil {
		if c := fenghuo.ErrorCode(err); c == fenghuo.ENOTFOUND || c == fenghuo.EFORBIDDEN {
			h.fail(w, r, ac, err)
			return
		}
		h.renderExposureSystem(w, r, http.StatusBadRequest, "", err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/exposure/systems/%d", id), http.StatusSeeOther)
}

// vantagesString is a policy's vantage points for its form ("" for the
// server only, the default).
func vantagesString(vs []string) string { return strings.Join(vs, ", ") }

// parseVantages splits the form's vantage points (commas, Chinese commas
// or 、); none means the server.
func parseVantages(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == '、' || r == '\n' }) {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// PortService names the usual service on a port.
func (v *view) PortService(port int) string {
	if v.Lang == langEN {
		if en, ok := portServicesEN[port]; ok {
			return en
		}
	}
	return exposure.PortService(port)
}
