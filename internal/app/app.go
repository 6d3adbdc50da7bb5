// Package app is the core Fenghuo's use cases share: the actor, the access
// rules, the audit entry written in the caller's transaction, the clock, the
// notices and the governing plans. The use cases themselves live in one
// package per capability (account, directory, incident, warning, period,
// monitoring, notification, scheduler, auditlog, demo), each with one
// service built from a *Core; internal/app/services wires them together.
// Each public use case is one transaction that checks the actor's rights,
// does the work through the store and appends its audit entry in the same
// transaction, so a change is never stored without its audit record.
package app

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"time"

	"fenghuo/internal/audit"
	"fenghuo/internal/auth"
	"fenghuo/internal/calendar"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/notify"
	"fenghuo/internal/phrase"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

// Config holds the settings the use cases need.
type Config struct {
	// SessionIdle ends a session nobody used for this long.
	SessionIdle time.Duration
	// SessionAbsolute ends every session this long after log-in.
	SessionAbsolute time.Duration
	// TOTPIssuer names the platform in authenticator apps.
	TOTPIssuer string
	// EvidenceDir keeps uploaded evidence, outside any served path.
	EvidenceDir string
	// AdminNetworks, when set, are the only networks administrators may
	// log in from (C12: access whitelisting for the admin side).
	AdminNetworks []*net.IPNet
	// BaseURL makes links in e-mails and bot messages absolute.
	BaseURL string
	// Notify delivers e-mail and webhook notifications; nil keeps them
	// in-app only (deliveries are logged as failed).
	Notify *notify.Sender
	// AuditReads says which reads are audited: AuditReadsNone,
	// AuditReadsSensitive (the default, also when empty) or AuditReadsAll.
	// Exports are audited whatever it says (C12).
	AuditReads string
	// AuditKeeping: how long audit entries stay in the database, where the
	// signed archives of older ones go, where the chain's head is anchored
	// (internal/app/auditlog, docs/security.md).
	AuditKeeping AuditKeeping
	// WorkLease is how long a replica's claim on background work lasts
	// without renewal (replica.go); zero means DefaultWorkLease.
	WorkLease time.Duration
}

// AuditKeeping are the settings of the audit log's retention, archives and
// anchors.
type AuditKeeping struct {
	// Retention is how long entries stay in the database before they are
	// archived; zero means DefaultAuditRetention.
	Retention time.Duration
	// ArchiveDir holds the archive files; empty archives nothing.
	ArchiveDir string
	// Signer signs archives (the platform's audit-signing key). Without it,
	// SigningKeyFile is read when an archive is written or checked, and
	// created for the first archive; with neither, nothing is archived.
	Signer         *audit.Signer
	SigningKeyFile string
	// AnchorFile is the append-only file the head is written to; empty
	// writes none.
	AnchorFile string
	// AnchorSyslog is udp://host:port, tcp://host:port or "local"; empty
	// sends none.
	AnchorSyslog string
	// AnchorInterval is how often the scheduler anchors the head; zero
	// means DefaultAnchorInterval.
	AnchorInterval time.Duration
}

// DefaultAuditRetention keeps a year of audit entries in the database; the
// configuration refuses less than six months (the Cybersecurity Law).
const DefaultAuditRetention = 365 * 24 * time.Hour

// MinAuditRetention is six months (183 days), the least the Cybersecurity
// Law (art. 21) allows network logs to be kept.
const MinAuditRetention = 183 * 24 * time.Hour

// DefaultAnchorInterval is how often the head is anchored by default.
const DefaultAnchorInterval = 5 * time.Minute

// The settings of Config.AuditReads.
const (
	// AuditReadsNone audits no reads (exports still are).
	AuditReadsNone = "none"
	// AuditReadsSensitive audits the view of one incident, of an
	// incident's reports, of an org's contact card and every reveal of a
	// person's phone or e-mail in full (contact.full.read), one entry per
	// view; list pages are not audited.
	AuditReadsSensitive = "sensitive"
	// AuditReadsAll audits the sensitive views and list pages too.
	AuditReadsAll = "all"
)

// AuditReadsLevels are the values Config.AuditReads accepts.
var AuditReadsLevels = []string{AuditReadsNone, AuditReadsSensitive, AuditReadsAll}

// DefaultConfig is what `fenghuo serve` uses unless configured otherwise.
func DefaultConfig() Config {
	return Config{SessionIdle: 30 * time.Minute, SessionAbsolute: 12 * time.Hour, TOTPIssuer: "Fenghuo", AuditReads: AuditReadsSensitive}
}

// Core is what every capability shares: the store, the plans, the calendar,
// the audit chain, the clock and the access rules. Each capability package
// (incident, warning, period, ...) builds its service from one Core.
type Core struct {
	db     *store.DB
	plans  *plan.Registry
	cal    *calendar.Calendar
	chain  *audit.Chain
	sealer *auth.Sealer
	cfg    Config
	log    *slog.Logger
	now    func() time.Time
	// views are the console page views already audited (RecordPageRead).
	views *pageViews
	// replica names this process to the other replicas (Replica).
	replica string
}

// Deps are what New needs.
type Deps struct {
	DB       *store.DB
	Plans    *plan.Registry
	Calendar *calendar.Calendar
	Audit    *audit.Chain
	Sealer   *auth.Sealer
	Logger   *slog.Logger
	Config   Config
}

// New returns a Core over its dependencies.
func New(d Deps) *Core {
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.Config.SessionIdle == 0 {
		d.Config = DefaultConfig()
	}
	// On PostgreSQL the store seals audit entries in batches and needs the
	// key for it (store/auditseal.go).
	if d.DB != nil && d.Audit != nil {
		d.DB.UseAuditChain(d.Audit)
	}
	return &Core{db: d.DB, plans: d.Plans, cal: d.Calendar, chain: d.Audit, sealer: d.Sealer,
		cfg: d.Config, log: d.Logger, now: time.Now, views: &pageViews{}, replica: replicaName()}
}

// SetClock replaces the clock; tests move time instead of sleeping.
func (a *Core) SetClock(now func() time.Time) {
	a.now = now
	a.db.SetClock(now)
}

// Now is the application's clock.
func (a *Core) Now() time.Time { return a.now() }

// Clock returns the clock function itself, so that a caller that moves it
// for a while (the demo replaying its story at past times) can put it back.
func (a *Core) Clock() func() time.Time { return a.now }

// Plans is the registry of known plans.
func (a *Core) Plans() *plan.Registry { return a.plans }

// Calendar is the working-day calendar.
func (a *Core) Calendar() *calendar.Calendar { return a.cal }

// DB is the store.
func (a *Core) DB() *store.DB { return a.db }

// Chain is the audit chain entries are appended to.
func (a *Core) Chain() *audit.Chain { return a.chain }

// Sealer seals secrets at rest (TOTP keys, acknowledgement tokens).
func (a *Core) Sealer() *auth.Sealer { return a.sealer }

// Config is the configuration the use cases run with.
func (a *Core) Config() Config { return a.cfg }

// Logger is the application's logger.
func (a *Core) Logger() *slog.Logger { return a.log }

// Actor is who is acting: a user through the console, the API or the
// command line, or the system itself.
type Actor struct {
	User fenghuo.User
	Org  fenghuo.Org
	IP   string
	// Via is "console", "api", "cli" or "system".
	Via string
	// Scope limits an API token; empty for a console session.
	Scope auth.Scope
	// SessionHash identifies the console session, if any.
	SessionHash string
}

// Can reports whether the actor holds p somewhere. An API token with the
// read scope holds only the read rights of its user.
func (ac *Actor) Can(p fenghuo.Permission) bool {
	if ac == nil {
		return false
	}
	if ac.Scope != "" && !ac.Scope.Allows(requiredScope(p)) {
		return false
	}
	return ac.User.Can(p)
}

// CanAt reports whether the actor holds p over an object of the org with
// the given path.
func (ac *Actor) CanAt(p fenghuo.Permission, orgPath string) bool {
	return ac.Can(p) && fenghuo.InSubtree(ac.Org.Path, orgPath)
}

func requiredScope(p fenghuo.Permission) auth.Scope {
	switch p {
	case fenghuo.PermOrgRead, fenghuo.PermSystemRead, fenghuo.PermUserRead, fenghuo.PermAuditRead, fenghuo.PermPlanRead,
		fenghuo.PermIncidentRead, fenghuo.PermContactReveal:
		return auth.ScopeRead
	case fenghuo.PermUserWrite, fenghuo.PermPlanWrite:
		return auth.ScopeAdmin
	}
	return auth.ScopeWrite
}

// SystemActor acts for the platform itself (schedulers, demo seeding).
func SystemActor() *Actor {
	return &Actor{User: fenghuo.User{Username: "system", DisplayName: "系统"}, Via: "system"}
}

// ErrForbidden is the refusal every capability returns for a missing right.
var ErrForbidden = fenghuo.Errorf(fenghuo.EFORBIDDEN, "You do not have the right to do this. / 您无权执行此操作。")

// Require fails with EFORBIDDEN unless the actor holds p somewhere.
func Require(ac *Actor, p fenghuo.Permission) error {
	if !ac.Can(p) {
		return ErrForbidden
	}
	return nil
}

// RequireAt fails unless the actor holds p over the org with path orgPath.
// Objects outside the actor's subtree are reported as not found, so that a
// unit cannot learn that a sibling's object exists.
func RequireAt(ac *Actor, p fenghuo.Permission, orgPath, what string, id any) error {
	if !fenghuo.InSubtree(ac.Org.Path, orgPath) {
		return fenghuo.Errorf(fenghuo.ENOTFOUND, "%s %v not found. / 未找到（编号%[2]v）。", what, id)
	}
	if !ac.Can(p) {
		return ErrForbidden
	}
	return nil
}

// Record appends an audit entry in tx, chained to the previous one.
func (a *Core) Record(ctx context.Context, tx *store.Tx, ac *Actor, action, objectType, objectID, outcome string, detail any) error {
	e := audit.Entry{
		Time: a.now(), ActorID: ac.User.ID, ActorName: ac.User.Username, OrgID: ac.Org.ID,
		Action: action, ObjectType: objectType, ObjectID: objectID, Outcome: outcome, IP: ac.IP,
	}
	if detail != nil {
		b, err := json.Marshal(detail)
		if err != nil {
			return err
		}
		e.Detail = string(b)
	}
	if err := tx.AppendAudit(ctx, a.chain, &e); err != nil {
		return err
	}
	return a.announceRecord(ctx, tx, ac, action, objectType, objectID)
}

// RecordAlone appends an audit entry in a transaction of its own: for
// events that change nothing else (a failed log-in, an export, a denial).
func (a *Core) RecordAlone(ctx context.Context, ac *Actor, action, objectType, objectID, outcome string, detail any) error {
	return a.db.WithTx(ctx, func(tx *store.Tx) error {
		return a.Record(ctx, tx, ac, action, objectType, objectID, outcome, detail)
	})
}

// RecordExport writes the audit entry of an export (every export is
// audited, C12).
func (a *Core) RecordExport(ctx context.Context, ac *Actor, what string, count int) error {
	return a.RecordAlone(ctx, ac, "export."+what, what, "", "success", map[string]int{"rows": count})
}

// ReadSuffix ends the action of every audited read ("incident.read").
// audit.IsRead tells reads (and exports) from changes by the action alone,
// so the chain's format is the same for both.
const ReadSuffix = "." + audit.KindRead

// RecordRead audits that the actor viewed an object: the action is
// what+".read" ("incident.read", "org.contact.read"), with the actor's
// address like every entry. list says
// the view was a list page, audited only under AuditReadsAll; an object
// view is audited unless the setting is AuditReadsNone. Each entry takes
// the chain's lock, so it is written only for the views named in
// Config.AuditReads. A failure to write it fails the read: a read that
// must be audited is not served unaudited.
func (a *Core) RecordRead(ctx context.Context, ac *Actor, what, objectType, objectID string, list bool, detail any) error {
	switch a.cfg.AuditReads {
	case AuditReadsNone:
		return nil
	case AuditReadsAll:
	default:
		if list {
			return nil
		}
	}
	return a.RecordAlone(ctx, ac, what+ReadSuffix, objectType, objectID, "success", detail)
}

// VisibleOrg returns an org in the actor's subtree: the read check every
// capability applies before it acts on an org's objects.
func (a *Core) VisibleOrg(ctx context.Context, ac *Actor, id int64) (*fenghuo.Org, error) {
	o, err := a.db.Org(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := RequireAt(ac, fenghuo.PermOrgRead, o.Path, "Org", id); err != nil {
		return nil, err
	}
	return o, nil
}

// VisibleSystem returns a system whose owner is in the actor's subtree.
func (a *Core) VisibleSystem(ctx context.Context, ac *Actor, id int64) (*fenghuo.System, error) {
	var s *fenghuo.System
	err := a.db.View(ctx, func(tx *store.Tx) error {
		var err error
		if s, err = tx.System(ctx, id); err != nil {
			return err
		}
		o, err := tx.Org(ctx, s.OrgID)
		if err != nil {
			return err
		}
		return RequireAt(ac, fenghuo.PermSystemRead, o.Path, "System", id)
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// AllSubtree lists every org under rootID (itself included) in one read
// (store.Tx.AllSubtreeOrgs).
func AllSubtree(ctx context.Context, tx *store.Tx, rootID int64) ([]fenghuo.Org, error) {
	return tx.AllSubtreeOrgs(ctx, rootID)
}

// ObjectID is a row's id as the object id of an audit entry (Record).
func ObjectID(id int64) string { return strconv.FormatInt(id, 10) }

// TimelineEntry builds a timeline entry by ac (not yet chained or stored).
// body is the text a person typed (a string), or a platform sentence
// (phrase.Phrase): see TimelineBody.
func TimelineEntry(ac *Actor, incidentID int64, kind string, body any, data any) (*store.TimelineEntry, error) {
	text, d, err := TimelineBody(body, data)
	if err != nil {
		return nil, err
	}
	name := ac.User.DisplayName
	if name == "" {
		name = ac.User.Username
	}
	return &store.TimelineEntry{IncidentID: incidentID, ActorID: ac.User.ID, ActorName: name, Kind: kind, Body: text, Data: d}, nil
}

// TimelineBody is the stored body and data JSON of a timeline entry. A
// platform sentence (phrase.Phrase) is stored as its Chinese, the body
// older entries and Chinese readers see, with the phrase in the data
// ("phrase"), so that pages render it in the reader's language; a string
// is text a person typed, stored as it is.
func TimelineBody(body any, data any) (text, dataJSON string, err error) {
	switch b := body.(type) {
	case string:
		text = b
	case phrase.Phrase:
		if !b.Known() {
			return "", "", fmt.Errorf("timeline: unknown phrase %q", b.Key)
		}
		text = b.Render(phrase.ZH)
		m := map[string]any{}
		if data != nil {
			raw, err := json.Marshal(data)
			if err != nil {
				return "", "", err
			}
			if err := json.Unmarshal(raw, &m); err != nil {
				return "", "", fmt.Errorf("timeline: data is not an object: %w", err)
			}
		}
		m["phrase"] = b
		data = m
	default:
		return "", "", fmt.Errorf("timeline: body %T", body)
	}
	dataJSON = "{}"
	if data != nil {
		raw, err := json.Marshal(data)
		if err != nil {
			return "", "", err
		}
		dataJSON = string(raw)
	}
	return text, dataJSON, nil
}

// GoverningPlans returns the plans that govern a unit (its own or the
// nearest ancestor's), skipping unknown ids with a log line.
func (a *Core) GoverningPlans(ctx context.Context, tx *store.Tx, orgID int64) ([]*plan.Plan, error) {
	ids, _, err := tx.EffectivePlans(ctx, orgID)
	if err != nil {
		return nil, err
	}
	var out []*plan.Plan
	for _, id := range ids {
		p, err := a.plans.Get(id)
		if err != nil {
			a.log.Warn("org governed by an unknown plan", "org", orgID, "plan", id)
			continue
		}
		out = append(out, p)
	}
	if len(out) == 0 {
		// Every operator is bound by the national reporting measures.
		if p, err := a.plans.Get("cac-2025"); err == nil {
			out = append(out, p)
		}
	}
	return out, nil
}

// ObligationLink is where the console shows an obligation.
func ObligationLink(o *fenghuo.Obligation) string {
	switch {
	case o.Kind == "task" && o.IncidentID != 0: // task capability: the incident's tasks tab
		return fmt.Sprintf("/incidents/%d/tasks", o.IncidentID)
	case o.IncidentID != 0:
		return fmt.Sprintf("/incidents/%d", o.IncidentID)
	case o.Kind == "warning_ack" || o.Kind == "warning_done":
		return fmt.Sprintf("/warnings/%d", o.SubjectID)
	case o.Kind == "finding": // findings ledger (issue 12, P1)
		return fmt.Sprintf("/findings/%d", o.SubjectID)
	case o.Kind == "risk_notice": // risk notices (issue 12, P3)
		return fmt.Sprintf("/risk-notices/%d", o.SubjectID)
	case o.Kind == "daily_report":
		return fmt.Sprintf("/periods/%d", o.SubjectID)
	case o.Kind == fenghuo.ObligationKindInspection: // inspection campaigns (issue 12, P2)
		return fmt.Sprintf("/inspections/%d", o.SubjectID)
	case o.Kind == "drill_year": // the yearly drill duty (issue 12, P5): the drills page
		return "/drills"
	}
	return "/obligations"
}

func shanghai() *time.Location { return calendar.Shanghai }
