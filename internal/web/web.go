// Package web is Fenghuo's console: server-rendered pages over the app's
// use cases, Chinese by default with an English switch, no JavaScript
// framework and no asset from outside the binary.
package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"fenghuo/internal/app"
	"fenghuo/internal/app/account"
	"fenghuo/internal/app/services"
	"fenghuo/internal/app/signing"
	"fenghuo/internal/docsign"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/live"
	"fenghuo/internal/server/clientip"
)

// Options configure the console.
type Options struct {
	Logger        *slog.Logger
	SecureCookies bool
	// AdminNetworks is kept for the server's options; the app enforces it
	// at log-in for the console and the API alike.
	AdminNetworks []string
	// Stopping, when closed, ends the open event streams (live.go).
	Stopping <-chan struct{}
}

// Handler serves the console.
type Handler struct {
	app    *services.Services
	log    *slog.Logger
	tpl    templates
	assets *assets
	secure bool
	// live fans the change feed out to open pages (GET /events, live.go).
	live     *live.Hub
	stopping <-chan struct{}
}

// New parses the templates and assets; it fails if any is missing or broken.
func New(a *services.Services, opts Options) (*Handler, error) {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	tpl, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	for _, page := range pages {
		if _, ok := tpl[page]; !ok {
			return nil, fmt.Errorf("web: page template %s.html is missing", page)
		}
	}
	as, err := loadAssets()
	if err != nil {
		return nil, err
	}
	h := &Handler{app: a, log: opts.Logger, tpl: tpl, assets: as, secure: opts.SecureCookies}
	h.live, h.stopping = live.New(a.Core.DB(), a.Core.Now, opts.Logger), opts.Stopping
	return h, nil
}

// pages are the templates the handlers render; start-up fails without one.
var pages = []string{"login", "totp", "enroll", "recovery", "error", "home", "orgs", "org", "org_form", "systems", "system",
	"system_form", "users", "user", "user_form", "audit", "plans", "plan", "profile", "incidents", "incident_form",
	"incident", "report_form", "inbox", "reporting", "import", "monitors", "monitor",
	"warnings", "warning", "ack", "periods", "period", "duty", "channels",
	// incident page tabs (incpage)
	"incident_reports", "incident_timeline", "incident_evidence",
	// Response levels (R1).
	"response",
	// Exposure checks (issue 12, P4).
	"exposure", "exposure_system"}

const sessionCookie = "fh_session"

func (h *Handler) setSession(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true,
		Secure: h.secure, SameSite: http.SameSiteLaxMode})
}

func (h *Handler) clearSession(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true,
		Secure: h.secure, SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

func sessionToken(r *http.Request) string {
	if c, err := r.Cookie(sessionCookie); err == nil {
		return c.Value
	}
	return ""
}

type actorKey struct{}

// actor returns the actor the auth middleware found.
func actor(r *http.Request) *app.Actor {
	ac, _ := r.Context().Value(actorKey{}).(*app.Actor)
	return ac
}

// authed wraps a page that needs a full session: without one the browser
// goes to the log-in page (or the pending second-factor step).
func (h *Handler) authed(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		session := h.app.Accounts.Session
		if r.Header.Get(liveHeader) == "1" {
			session = h.app.Accounts.QuietSession // a live re-read is not activity (live.go)
		}
		ac, stage, err := session(r.Context(), sessionToken(r), clientip.Of(r))
		if fenghuo.ErrorCode(err) == fenghuo.EFORBIDDEN {
			// An account bound to addresses, used from another one: say so
			// (the app audited it); the session stays for the bound screen.
			h.render(w, r, http.StatusForbidden, "error", &view{Title: "error.title", Error: fenghuo.ErrorMessage(err)})
			return
		}
		if err != nil {
			h.clearSession(w)
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		switch stage {
		case account.StageTOTP:
			http.Redirect(w, r, "/login/totp", http.StatusSeeOther)
			return
		case account.StageEnroll:
			http.Redirect(w, r, "/login/enroll", http.StatusSeeOther)
			return
		}
		// Every document the console exports carries the SM2 signature of
		// the exporting user's office (issue 15 item 1), signed here in one
		// place whichever page wrote it.
		sw := docsign.NewResponseSigner(w, signing.MaxDocument, func(b []byte) ([]byte, error) {
			return h.app.Signing.SignDocument(r.Context(), ac, b)
		})
		next(sw, r.WithContext(context.WithValue(r.Context(), actorKey{}, ac)))
		if err := sw.Finish(); err != nil {
			h.fail(w, r, ac, err)
		}
	}
}

// safeNext keeps a redirect target taken from input (?next= after log-in,
// back= after switching language or completing a task) on this site: it
// returns next when it is a path on this origin and "/" otherwise.
func safeNext(next string) string {
	if !localPath(next) {
		return "/"
	}
	return next
}

// localPath reports whether s is a path on this origin, and nothing a
// browser could read as another origin. Browsers forgive a great deal in a
// Location header: they drop tabs and newlines anywhere ("/\t/evil" becomes
// "//evil"), read "\" as "/", and strip leading spaces, so it is not enough
// to look at the first two bytes. s must parse with net/url as a path
// without scheme, host or user, start with exactly one "/", and hold no
// control character, whitespace or backslash, neither as given nor once
// percent-decoded (repeatedly: a proxy or a later hop may decode again).
// The query may hold encoded spaces and backslashes, which no browser
// reads as an origin, but no control characters either.
func localPath(s string) bool {
	if len(s) > 4096 || !utf8.ValidString(s) {
		return false
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return false
	}
	if !pathOnly(s) {
		return false
	}
	path, query, _ := strings.Cut(s, "?")
	for range 4 {
		dec, err := url.PathUnescape(path)
		if err != nil || !pathOnly(dec) {
			return false
		}
		if dec == path {
			break
		}
		path = dec
	}
	for range 4 {
		dec, err := url.QueryUnescape(query)
		if err != nil || strings.ContainsFunc(dec, isControl) {
			return false
		}
		if dec == query {
			break
		}
		query = dec
	}
	return true
}

// pathOnly reports whether s starts with one "/" (not "//") and holds no
// control character, whitespace or backslash anywhere.
func pathOnly(s string) bool {
	if !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") || !utf8.ValidString(s) {
		return false
	}
	return !strings.ContainsFunc(s, func(r rune) bool {
		return isControl(r) || r == '\\' || unicode.IsSpace(r) || unicode.Is(unicode.Cf, r)
	})
}

// isControl is true for C0 and C1 control characters and DEL.
func isControl(r rune) bool { return r < 0x20 || (r >= 0x7f && r <= 0x9f) }

// Routes registers every console route. One table: each line is a page or
// an action, each handler in its own file.
func (h *Handler) Routes(mux *http.ServeMux) {
	mux.Handle("GET /static/", h.assets)
	mux.HandleFunc("GET /login", h.loginPage)
	mux.HandleFunc("POST /login", h.login)
	mux.HandleFunc("GET /login/totp", h.totpPage)
	mux.HandleFunc("POST /login/totp", h.totp)
	mux.HandleFunc("GET /login/enroll", h.enrollPage)
	mux.HandleFunc("POST /login/enroll", h.enroll)
	mux.HandleFunc("POST /logout", h.authed(h.logout))
	h.liveRoutes(mux) // pushed updates (issue 13 item 3)
	mux.HandleFunc("POST /lang", h.switchLang)
	mux.HandleFunc("GET /{$}", h.authed(h.home))
	mux.HandleFunc("GET /wall", h.authed(h.wall)) // the wall (issue 13 item 2)
	mux.HandleFunc("GET /orgs", h.authed(h.orgs))
	mux.HandleFunc("GET /orgs/new", h.authed(h.newOrg))
	mux.HandleFunc("POST /orgs", h.authed(h.createOrg))
	mux.HandleFunc("GET /orgs/{id}", h.authed(h.orgPage))
	mux.HandleFunc("GET /orgs/{id}/edit", h.authed(h.editOrg))
	mux.HandleFunc("POST /orgs/{id}", h.authed(h.updateOrg))
	mux.HandleFunc("POST /orgs/{id}/totp-policy", h.authed(h.setOrgTOTPPolicy))
	mux.HandleFunc("GET /contacts/{kind}/{id}", h.authed(h.contactPage)) // a person's contacts in full, audited
	mux.HandleFunc("GET /systems", h.authed(h.systems))
	mux.HandleFunc("GET /systems/new", h.authed(h.newSystem))
	mux.HandleFunc("GET /systems/import", h.authed(h.importPage))
	mux.HandleFunc("POST /systems/import", h.authed(h.importSystems))
	mux.HandleFunc("GET /systems/import/template.xlsx", h.authed(h.importTemplate))
	mux.HandleFunc("GET /systems/export.xlsx", h.authed(h.exportSystems))
	mux.HandleFunc("POST /systems", h.authed(h.createSystem))
	mux.HandleFunc("GET /systems/{id}", h.authed(h.systemPage))
	mux.HandleFunc("GET /systems/{id}/edit", h.authed(h.editSystem))
	mux.HandleFunc("POST /systems/{id}", h.authed(h.updateSystem))
	mux.HandleFunc("POST /systems/{id}/delete", h.authed(h.deleteSystem))
	mux.HandleFunc("GET /incidents", h.authed(h.incidents))
	mux.HandleFunc("GET /incidents/export.xlsx", h.authed(h.exportIncidents))
	mux.HandleFunc("GET /incidents/new", h.authed(h.newIncident))
	mux.HandleFunc("POST /incidents", h.authed(h.createIncident))
	mux.HandleFunc("GET /incidents/{id}", h.authed(h.incidentPage))
	// incident page tabs (incpage); tasks, response and documents are their capabilities' own
	mux.HandleFunc("GET /incidents/{id}/reports", h.authed(h.incidentReportsPage))
	mux.HandleFunc("GET /incidents/{id}/timeline", h.authed(h.incidentTimelinePage))
	mux.HandleFunc("GET /incidents/{id}/evidence", h.authed(h.incidentEvidencePage))
	mux.HandleFunc("POST /incidents/{id}/evidence", h.authed(h.uploadEvidence))
	// Response levels (R1).
	mux.HandleFunc("GET /incidents/{id}/response", h.authed(h.responsePage))
	mux.HandleFunc("POST /incidents/{id}/response", h.authed(h.responseAction))
	mux.HandleFunc("GET /incidents/{id}/response/notice/{format}", h.authed(h.responseNotice))
	mux.HandleFunc("POST /incidents/{id}/{action}", h.authed(h.incidentAction))
	mux.HandleFunc("GET /incidents/{id}/reports/new", h.authed(h.newReport))
	mux.HandleFunc("POST /incidents/{id}/reports", h.authed(h.submitReport))
	mux.HandleFunc("GET /incidents/{id}/reports/{rid}/{format}", h.authed(h.reportDocument))
	// Aftermath: documents, improvement measures, accountability records.
	mux.HandleFunc("GET /incidents/{id}/documents", h.authed(h.documentsPage))
	mux.HandleFunc("POST /incidents/{id}/documents/{action}", h.authed(h.documentsAction))
	mux.HandleFunc("GET /incidents/{id}/documents/{doc}/{format}", h.authed(h.documentExport))
	mux.HandleFunc("GET /evidence/{id}", h.authed(h.downloadEvidence))
	// Task capability: the tasks tab and task actions.
	mux.HandleFunc("GET /incidents/{id}/tasks", h.authed(h.incidentTasks))
	mux.HandleFunc("POST /incidents/{id}/tasks", h.authed(h.addTask))
	mux.HandleFunc("POST /tasks/{id}/{action}", h.authed(h.taskAction))
	mux.HandleFunc("GET /inbox", h.authed(h.inbox))
	mux.HandleFunc("POST /inbox/{id}/{action}", h.authed(h.inboxAction))
	mux.HandleFunc("POST /obligations/{id}/complete", h.authed(h.completeObligation))
	mux.HandleFunc("GET /reporting", h.authed(h.reporting))
	mux.HandleFunc("GET /monitors", h.authed(h.monitors))
	mux.HandleFunc("POST /monitors", h.authed(h.createMonitor))
	mux.HandleFunc("GET /monitors/{id}", h.authed(h.monitorPage))
	mux.HandleFunc("POST /monitors/{id}/accept", h.authed(h.acceptChange))
	// Exposure checks (issue 12, P4).
	mux.HandleFunc("GET /exposure", h.authed(h.exposureOverview))
	mux.HandleFunc("POST /exposure/policy", h.authed(h.setExposurePolicy))
	mux.HandleFunc("GET /exposure/systems/{id}", h.authed(h.exposureSystem))
	mux.HandleFunc("POST /exposure/systems/{id}/check", h.authed(h.runExposureCheck))
	mux.HandleFunc("GET /warnings", h.authed(h.warnings))
	mux.HandleFunc("POST /warnings", h.authed(h.createWarning))
	mux.HandleFunc("GET /warnings/{id}", h.authed(h.warningPage))
	mux.HandleFunc("POST /warnings/{id}/{action}", h.authed(h.warningAction))
	mux.HandleFunc("GET /warnings/{id}/notice/{format}", h.authed(h.warningNotice))
	// Risk notices (issue 12, P3).
	mux.HandleFunc("GET /risk-notices", h.authed(h.riskNotices))
	mux.HandleFunc("POST /risk-notices", h.authed(h.createRiskNotice))
	mux.HandleFunc("GET /risk-notices/{id}", h.authed(h.riskNoticePage))
	mux.HandleFunc("POST /risk-notices/{id}/{action}", h.authed(h.riskNoticeAction))
	mux.HandleFunc("GET /risk-notices/{id}/notice/{format}", h.authed(h.riskNoticeDocument))
	mux.HandleFunc("GET /ack/{token}", h.ackPage)
	mux.HandleFunc("POST /ack/{token}", h.ack)
	mux.HandleFunc("GET /periods", h.authed(h.periods))
	mux.HandleFunc("POST /periods", h.authed(h.createPeriod))
	mux.HandleFunc("GET /periods/{id}", h.authed(h.periodPage))
	mux.HandleFunc("POST /periods/{id}/reports", h.authed(h.fileDailyReport))
	mux.HandleFunc("POST /periods/{id}/chase", h.authed(h.chaseUnit)) // forms: 催报 a missing unit
	mux.HandleFunc("GET /periods/{id}/export.xlsx", h.authed(h.exportDaily))
	mux.HandleFunc("GET /duty", h.authed(h.duty))
	mux.HandleFunc("POST /duty/{action}", h.authed(h.dutyAction))
	mux.HandleFunc("GET /channels", h.authed(h.channels))
	mux.HandleFunc("POST /channels/{action}", h.authed(h.channelAction))
	mux.HandleFunc("GET /users", h.authed(h.users))
	mux.HandleFunc("GET /users/new", h.authed(h.newUser))
	mux.HandleFunc("POST /users", h.authed(h.createUser))
	mux.HandleFunc("GET /users/{id}", h.authed(h.userPage))
	mux.HandleFunc("GET /users/{id}/edit", h.authed(h.editUser))
	mux.HandleFunc("POST /users/{id}", h.authed(h.updateUser))
	mux.HandleFunc("POST /users/{id}/password", h.authed(h.resetPassword))
	mux.HandleFunc("POST /users/{id}/totp/reset", h.authed(h.resetSecondFactor))
	mux.HandleFunc("GET /audit", h.authed(h.auditLog))
	mux.HandleFunc("POST /audit/verify", h.authed(h.verifyAudit))
	mux.HandleFunc("GET /plans", h.authed(h.plans))
	mux.HandleFunc("GET /plans/{id}", h.authed(h.planPage))
	// Plans edited in the product (planadmin).
	mux.HandleFunc("GET /plans/new", h.authed(h.planEditor))
	mux.HandleFunc("GET /plans/{id}/edit", h.authed(h.planEditor))
	mux.HandleFunc("POST /plans/review", h.authed(h.planReview))
	mux.HandleFunc("POST /plans/confirm", h.authed(h.planConfirm))
	mux.HandleFunc("GET /plans/{id}/versions", h.authed(h.planVersions))
	mux.HandleFunc("GET /plans/{id}/versions/{version}", h.authed(h.planVersionPage))
	mux.HandleFunc("GET /plans/{id}/diff", h.authed(h.planDiffPage))
	// Findings (隐患) ledger (issue 12, P1).
	h.registerFindings(mux)
	// Drills, training and publicity, capability score card (issue 12, P5).
	h.registerDrills(mux)
	h.registerDrillRuns(mux)  // drill mode (issue 12 item 6)
	h.registerStatistics(mux) // statistics and 统计通报 (issue 13 items 4, 8)
	h.registerAlerts(mux)     // alerts, event search, intake sources (issue 14 item 8)
	h.registerRules(mux)      // detection rules (issue 14 item 3)
	h.registerIntel(mux)      // IOC library, 威胁情报 (issue 14 item 5)
	h.registerSigning(mux)    // SM2 signing keys and document checks (issue 15 item 1)
	// Inspection campaigns (issue 12, P2).
	mux.HandleFunc("GET /inspections", h.authed(h.inspections))
	mux.HandleFunc("POST /inspections", h.authed(h.createInspection))
	mux.HandleFunc("POST /inspections/checklists", h.authed(h.uploadChecklist))
	mux.HandleFunc("GET /checklists/{id}", h.authed(h.checklistPage))
	mux.HandleFunc("GET /inspections/{id}", h.authed(h.inspectionPage))
	mux.HandleFunc("GET /inspections/{id}/units/{org}", h.authed(h.inspectionUnitPage))
	mux.HandleFunc("POST /inspections/{id}/units/{org}", h.authed(h.answerInspection))
	// Inspection evidence, close and 退回重填 (inspect2).
	mux.HandleFunc("POST /inspections/{id}/close", h.authed(h.closeInspection))
	mux.HandleFunc("GET /inspections/{id}/export.xlsx", h.authed(h.exportInspection))
	mux.HandleFunc("POST /inspections/{id}/units/{org}/return", h.authed(h.returnInspectionUnit))
	mux.HandleFunc("GET /inspection-evidence/{id}", h.authed(h.downloadInspectionEvidence))
	mux.HandleFunc("GET /profile", h.authed(h.profile))
	mux.HandleFunc("POST /profile/password", h.authed(h.changePassword))
	mux.HandleFunc("POST /profile/totp", h.authed(h.beginTOTP))
	mux.HandleFunc("POST /profile/totp/confirm", h.authed(h.confirmTOTP))
	mux.HandleFunc("POST /profile/recovery-codes", h.authed(h.renewRecoveryCodes))
	mux.HandleFunc("POST /profile/tokens", h.authed(h.createToken))
	mux.HandleFunc("POST /profile/tokens/{id}/revoke", h.authed(h.revokeToken))
}

var errForbidden = fenghuo.Errorf(fenghuo.EFORBIDDEN, "You do not have the right to do this. / 您无权执行此操作。")

func clientIP(r *http.Request) string { return clientip.Of(r) }
