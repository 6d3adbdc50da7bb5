package incident

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/phrase"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

// DemoHistory counts what SeedDemoIncidents wrote.
type DemoHistory struct {
	Incidents, Reports, Deliveries, Obligations, Timeline int
	Took                                                  time.Duration
}

// demoChunk is how many incidents one write transaction carries.
const demoChunk = 2000

// demoFacts are the fact sets the demo's incidents are graded on, most of
// them minor, as real years are; the grade of each comes from the plans
// that govern its unit, never from this table.
var demoFacts = []struct {
	weight     int
	facts      plan.Facts
	withSystem bool
	titles     []string
	categories []string
}{
	{40, plan.Facts{"social_impact": "general"}, false, []string{"钓鱼邮件攻击", "员工终端感染木马", "弱口令被暴力破解"}, []string{"MP01", "NA02", "MP02"}},
	{20, plan.Facts{"social_impact": "general", "site_unreachable_minutes": 45.0}, true, []string{"门户网站无法访问", "业务系统短时中断"}, []string{"NA05", "AB01"}},
	{15, plan.Facts{"social_impact": "relatively_serious", "defacement_homepage_minutes": 20.0}, true, []string{"网站首页被篡改", "网页被植入暗链"}, []string{"IC01", "IC02"}},
	{10, plan.Facts{"data_threat": "relatively_serious", "personal_info_people": 12000.0}, true, []string{"个人信息疑似泄露", "数据库被非法访问"}, []string{"DS01", "DS02"}},
	{8, plan.Facts{"important_system": true, "outage_minutes": 90.0, "people_affected": 150000.0}, true, []string{"重要信息系统中断", "勒索病毒致系统停摆"}, []string{"MP03", "NA05"}},
	{5, plan.Facts{"social_impact": "serious", "defacement_homepage_minutes": 40.0}, true, []string{"首页出现违法有害信息"}, []string{"IC01"}},
	{2, plan.Facts{"system_loss": "especially_serious", "social_impact": "especially_serious", "cii": true}, true, []string{"关键信息基础设施遭受攻击"}, []string{"NA01", "MP03"}},
}

// demoProto is one kind of incident at one unit, graded and with its duties
// worked out once at a base time; each seeded incident shifts it to its own
// times, so the plans run once per kind, not once per incident.
type demoProto struct {
	unit     *fenghuo.Org
	inc      fenghuo.Incident
	titles   []string
	report   []*fenghuo.Obligation
	response []deadlineDuty
	handling []deadlineDuty
	fields   []string
}

type demoActor struct {
	id   int64
	name string
}

// demoSeeder generates the history; rng is seeded so that a size gives the
// same data every time.
type demoSeeder struct {
	a       *Service
	now     time.Time
	base    time.Time
	rng     *rand.Rand
	protos  []*demoProto
	weights []int
	orgs    map[int64]*fenghuo.Org
	actors  map[int64]demoActor
	forward map[string][]*fenghuo.Obligation
	ids     store.SeedIDs
	// ctx and tx are the read transaction generating the current chunk;
	// err is the first error met below incident.
	ctx   context.Context
	tx    *store.Tx
	err   error
	b     *store.SeedBatch
	stats DemoHistory
}

// SeedDemoIncidents adds n historical incidents over the demo units and the
// past twelve months, as the platform would have recorded them: graded by
// the governing plans, their reporting duties due as the plans say, reports
// filed on time, late or not at all, delivered, acknowledged and forwarded
// up the chain, responses started and ended, incidents closed with final
// reports and post-incident deadlines counted in the working-day calendar,
// each step on the hash-chained timeline. It writes in large batches through
// the store, not through one use case per incident, and records one audit
// entry for the whole seeding (demo.history) instead of one per step.
// Notifications of the past are not generated: they would be read history.
func (a *Service) SeedDemoIncidents(ctx context.Context, n int) (*DemoHistory, error) {
	return a.SeedDemoIncidentsProgress(ctx, n, nil)
}

// SeedDemoIncidentsProgress is SeedDemoIncidents calling progress (when
// not nil) after each committed transaction with the incidents written so
// far: a province's million take tens of minutes.
func (a *Service) SeedDemoIncidentsProgress(ctx context.Context, n int, progress func(done int)) (*DemoHistory, error) {
	if n <= 0 {
		return &DemoHistory{}, nil
	}
	start := time.Now()
	s := &demoSeeder{a: a, now: a.core.Now().UTC().Truncate(time.Millisecond), rng: rand.New(rand.NewPCG(uint64(n), 7)),
		orgs: map[int64]*fenghuo.Org{}, actors: map[int64]demoActor{}, forward: map[string][]*fenghuo.Obligation{}}
	s.base = s.now.Add(-400 * 24 * time.Hour)
	// The seeder's reads resolve the same offices for every unit and kind:
	// its read transactions keep the orgs they have read.
	err := a.core.DB().View(ctx, func(tx *store.Tx) error { tx.MemoOrgs(); return s.prepare(ctx, tx) })
	if err != nil {
		return nil, fmt.Errorf("demo history: %w", err)
	}
	if len(s.protos) == 0 {
		return nil, fenghuo.Errorf(fenghuo.EINVALID, "There are no units to seed incidents for: seed the demo region first (--demo). / 没有可用于生成历史事件的单位。")
	}
	err = a.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		var err error
		s.ids, err = tx.NextIDs(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	for done := 0; done < n; {
		size := min(demoChunk, n-done)
		s.b = &store.SeedBatch{}
		err := a.core.DB().View(ctx, func(tx *store.Tx) error {
			tx.MemoOrgs()
			s.ctx, s.tx = ctx, tx
			for i := 0; i < size && s.err == nil; i++ {
				s.incident()
			}
			return s.err
		})
		if err != nil {
			return nil, fmt.Errorf("demo history: %w", err)
		}
		done += size
		last := done == n
		err = a.core.DB().WithTx(ctx, func(tx *store.Tx) error {
			if err := tx.WriteSeed(ctx, s.b); err != nil {
				return err
			}
			if !last {
				return nil
			}
			if err := tx.FinishSeed(ctx); err != nil {
				return err
			}
			return a.core.Record(ctx, tx, app.SystemActor(), "demo.history", "", "", "success", map[string]int{
				"incidents": s.stats.Incidents, "reports": s.stats.Reports, "deliveries": s.stats.Deliveries,
				"obligations": s.stats.Obligations, "timeline": s.stats.Timeline})
		})
		if err != nil {
			return nil, fmt.Errorf("demo history: %w", err)
		}
		if progress != nil {
			progress(done)
		}
	}
	s.stats.Took = time.Since(start)
	return &s.stats, nil
}

// prepare loads the units and grades every kind of incident at each.
func (s *demoSeeder) prepare(ctx context.Context, tx *store.Tx) error {
	orgs, err := tx.SeedOrgs(ctx)
	if err != nil {
		return err
	}
	for i := range orgs {
		s.orgs[orgs[i].ID] = &orgs[i]
	}
	users, err := tx.SubtreeUsers(ctx, 0, store.UserFilter{}, store.Page{Limit: store.MaxLimit})
	if err != nil {
		return err
	}
	for _, u := range users.Items {
		if _, ok := s.actors[u.OrgID]; !ok && !u.IsAdmin() {
			s.actors[u.OrgID] = demoActor{u.ID, u.DisplayName}
		}
	}
	for _, unit := range orgs {
		if unit.Level != fenghuo.LevelUnit {
			continue
		}
		unit := s.orgs[unit.ID]
		systems, err := tx.SubtreeSystems(ctx, unit.ID, store.SystemFilter{OrgID: unit.ID}, store.Page{Limit: 5})
		if err != nil {
			return err
		}
		plans, err := s.a.core.GoverningPlans(ctx, tx, unit.ID)
		if err != nil {
			return err
		}
		var fields []string
		for _, f := range formFields(plans) {
			fields = append(fields, f.ID)
		}
		for _, k := range demoFacts {
			for _, cat := range k.categories {
				inc := fenghuo.Incident{OrgID: unit.ID, Title: k.titles[0], Category: cat, Facts: k.facts,
					Channel: fenghuo.ChannelUnit, Status: fenghuo.StatusDraft, DiscoveredAt: s.base, OccurredAt: s.base.Add(-30 * time.Minute)}
				if k.withSystem && len(systems.Items) > 0 {
					inc.SystemIDs = []int64{systems.Items[0].ID}
				}
				if err := s.a.checkIncidentRefs(ctx, tx, &inc, unit); err != nil {
					inc.Category = ""
					if err := s.a.checkIncidentRefs(ctx, tx, &inc, unit); err != nil {
						return err
					}
				}
				if _, err := s.a.grade(ctx, tx, &inc, unit); err != nil {
					return err
				}
				p := &demoProto{unit: unit, inc: inc, titles: k.titles, fields: fields}
				if _, p.report, err = s.a.reportDuties(ctx, tx, &inc, unit); err != nil {
					return err
				}
				if p.response, err = s.a.deadlineDutyList(ctx, tx, &inc, unit, plan.EventResponseEnd); err != nil {
					return err
				}
				if p.handling, err = s.a.deadlineDutyList(ctx, tx, &inc, unit, plan.EventHandlingEnd); err != nil {
					return err
				}
				s.protos = append(s.protos, p)
				s.weights = append(s.weights, k.weight)
			}
		}
	}
	return nil
}

func (s *demoSeeder) pick() *demoProto {
	total := 0
	for _, w := range s.weights {
		total += w
	}
	r := s.rng.IntN(total)
	for i, w := range s.weights {
		if r < w {
			return s.protos[i]
		}
		r -= w
	}
	return s.protos[len(s.protos)-1]
}

// between is a random time in [from, from+span).
// answerAt picks when a duty open since from and due at due is met: on time
// in onTime per cent of cases, late (from 10 minutes after due, within
// lateSpan) in the next late per cent, and never (zero) in the rest.
func (s *demoSeeder) answerAt(from, due time.Time, onTime, late int, lateSpan time.Duration) time.Time {
	switch r := s.rng.IntN(100); {
	case r < onTime:
		return from.Add(time.Duration(float64(due.Sub(from)) * (0.1 + 0.8*s.rng.Float64()))).Truncate(time.Millisecond)
	case r < onTime+late:
		return s.between(due.Add(10*time.Minute), lateSpan)
	}
	return time.Time{}
}

func (s *demoSeeder) between(from time.Time, span time.Duration) time.Time {
	if span <= 0 {
		return from
	}
	return from.Add(time.Duration(s.rng.Int64N(int64(span)))).Truncate(time.Millisecond)
}

func (s *demoSeeder) actor(orgID int64) demoActor {
	if a, ok := s.actors[orgID]; ok {
		return a
	}
	return demoActor{0, s.orgs[orgID].Name + "值班员"}
}

func shift(t time.Time, d time.Duration) time.Time {
	if t.IsZero() {
		return t
	}
	return t.Add(d)
}

// demoIncident is one incident being generated: its row and what hangs off it.
type demoIncident struct {
	s          *demoSeeder
	p          *demoProto
	inc        *fenghuo.Incident
	timeline   []store.TimelineEntry
	obs        []*fenghuo.Obligation
	deliveries []*store.Delivery
	closedAt   time.Time
}

func (d *demoIncident) event(at time.Time, org int64, kind string, body phrase.Phrase, data any) {
	a := d.s.actor(org)
	text, dataJSON, err := app.TimelineBody(body, data)
	if err != nil {
		panic(err) // the demo's own sentences
	}
	d.timeline = append(d.timeline, store.TimelineEntry{IncidentID: d.inc.ID, At: at, ActorID: a.id, ActorName: a.name, Kind: kind, Body: text, Data: dataJSON})
	if at.After(d.inc.UpdatedAt) {
		d.inc.UpdatedAt = at
	}
}

func (d *demoIncident) addObligation(o *fenghuo.Obligation, created time.Time) {
	o.ID = d.s.ids.Obligation
	d.s.ids.Obligation++
	o.IncidentID, o.CreatedAt = d.inc.ID, created
	if o.State == "" {
		o.State = fenghuo.ObligationOpen
	}
	d.obs = append(d.obs, o)
}

// incident generates the next incident.
func (s *demoSeeder) incident() {
	p := s.pick()
	disc := s.between(s.now.Add(-365*24*time.Hour), 365*24*time.Hour-10*time.Minute)
	delta := disc.Sub(s.base)
	inc := p.inc
	inc.ID = s.ids.Incident
	s.ids.Incident++
	inc.Facts = p.inc.Facts
	inc.SystemIDs = p.inc.SystemIDs
	inc.Title = fmt.Sprintf("%s%s", s.orgs[inc.OrgID].Name, p.titles[s.rng.IntN(len(p.titles))])
	inc.DiscoveredAt, inc.OccurredAt = disc, disc.Add(-30*time.Minute)
	inc.Description = "演示历史数据：" + inc.Title + "。"
	switch r := s.rng.IntN(20); {
	case r < 2:
		inc.Channel, inc.Caller = fenghuo.ChannelPhone, "单位值班员 0477-8000000"
	case r < 3:
		inc.Channel = fenghuo.ChannelMonitoring
	}
	created := s.between(disc.Add(time.Minute), 20*time.Minute)
	if created.After(s.now) {
		created = s.now
	}
	a := s.actor(inc.OrgID)
	inc.EnteredBy, inc.CreatedAt, inc.UpdatedAt, inc.Version = a.id, created, created, 1
	d := &demoIncident{s: s, p: p, inc: &inc}
	detail := map[string]any{"title": inc.Title, "channel": inc.Channel, "grade": inc.Grade}
	if inc.Caller != "" {
		detail["caller"] = inc.Caller
	}
	d.event(created, inc.OrgID, "created", phrase.New("incident.created", "channel", phrase.Channel(inc.Channel), "grade", string(inc.Grade)), detail)
	facts, _ := json.Marshal(inc.Facts)
	s.b.Grades = append(s.b.Grades, store.GradeRecord{ID: s.ids.Grade, IncidentID: inc.ID, At: created, Grade: inc.Grade,
		ComputedGrade: inc.ComputedGrade, Reason: "created", Facts: string(facts), Grading: inc.Grading, ActorID: a.id, ActorName: a.name})
	s.ids.Grade++
	var first time.Time // the earliest due time of the first-leg duties
	for _, proto := range p.report {
		o := *proto
		o.DueAt, o.RemindAt = shift(o.DueAt, delta), shift(o.RemindAt, delta)
		d.addObligation(&o, created)
		if !o.DueAt.IsZero() && (first.IsZero() || o.DueAt.Before(first)) {
			first = o.DueAt
		}
	}
	if first.IsZero() {
		first = disc.Add(2 * time.Hour)
	}
	// The initial report: on time, late or never.
	reported := s.answerAt(disc, first, 80, 12, 8*time.Hour)
	if reported.Before(created) && !reported.IsZero() {
		reported = created.Add(time.Minute)
	}
	if reported.After(s.now) {
		reported = time.Time{}
	}
	age := s.now.Sub(disc)
	if reported.IsZero() {
		// Never reported: a draft, dismissed after a while once it is old.
		if age > 14*24*time.Hour && s.rng.IntN(10) < 9 {
			d.close(s.between(disc.Add(3*24*time.Hour), 10*24*time.Hour), "核查后补录，未按时报告")
		}
		d.flush()
		return
	}
	last := d.submit(fenghuo.ReportInitial, 1, reported)
	d.outsideDuties(reported)
	if s.rng.IntN(100) < 40 {
		at := s.between(last.Add(10*time.Minute), 3*time.Hour)
		if !at.After(s.now) {
			d.status(at, fenghuo.StatusResponding)
			inc.ResponseStartedAt, inc.ResponseLevel = at, inc.Grade
			last = at
			if s.rng.IntN(2) == 0 {
				at = s.between(last.Add(2*time.Hour), 2*24*time.Hour)
				if !at.After(s.now) {
					last = d.submit(fenghuo.ReportFollowUp, 1, at)
				}
			}
			at = s.between(last.Add(2*time.Hour), 3*24*time.Hour)
			if !at.After(s.now) {
				d.status(at, fenghuo.StatusRecovering)
				inc.ResponseEndedAt = at
				d.deadlines(p.response, at)
				last = at
			}
		}
	}
	// Most incidents older than a few days are closed, after a final report.
	closeBy := s.between(last.Add(time.Hour), 10*24*time.Hour)
	if closeBy.Before(s.now) && inc.Status != fenghuo.StatusResponding && s.rng.IntN(100) < 96 {
		final := s.between(closeBy.Add(-2*time.Hour), 110*time.Minute)
		if final.Before(last) {
			final = last.Add(time.Minute)
			closeBy = final.Add(time.Minute)
		}
		d.submit(fenghuo.ReportFinal, 1, final)
		d.close(closeBy, "")
	}
	d.flush()
}

// status records a transition.
func (d *demoIncident) status(at time.Time, to fenghuo.IncidentStatus) {
	from := d.inc.Status
	d.inc.Status = to
	d.inc.Version++
	d.event(at, d.inc.OrgID, "status", phrase.New("status.changed", "from", phrase.Status(from), "to", phrase.Status(to)), map[string]string{"from": string(from), "to": string(to)})
}

// close does what Transition to closed does.
func (d *demoIncident) close(at time.Time, reason string) {
	inc := d.inc
	from := inc.Status
	inc.CloseReason = reason
	inc.HandlingEndedAt = at
	if inc.ResponseEndedAt.IsZero() && !inc.ResponseStartedAt.IsZero() {
		inc.ResponseEndedAt = at
		d.deadlines(d.p.response, at)
	}
	if from != fenghuo.StatusDraft {
		d.deadlines(d.p.handling, at)
	}
	for _, o := range d.obs {
		if (o.Kind == KindReport || o.Kind == KindForward) && o.State == fenghuo.ObligationOpen {
			o.State, o.DoneNote = fenghuo.ObligationMissed, "incident closed before it was done"
		}
	}
	d.closedAt = at
	inc.Status = fenghuo.StatusClosed
	inc.Version++
	body := phrase.New("status.changed", "from", phrase.Status(from), "to", phrase.Status(fenghuo.StatusClosed))
	if reason != "" {
		body = phrase.New("status.reason", "from", phrase.Status(from), "to", phrase.Status(fenghuo.StatusClosed), "reason", reason)
	}
	d.event(at, inc.OrgID, "status", body, map[string]string{"from": string(from), "to": string(fenghuo.StatusClosed)})
}

// deadlines creates post-incident deadlines counted from at and settles the
// ones already due: most done in time, some late, a few still open.
func (d *demoIncident) deadlines(list []deadlineDuty, at time.Time) {
	s := d.s
	for _, dd := range list {
		o := dd.At(s.a.core.Calendar(), at)
		d.addObligation(o, at)
		var done time.Time
		switch r := s.rng.IntN(100); {
		case r < 85:
			done = at.Add(time.Duration(float64(o.DueAt.Sub(at)) * (0.3 + 0.6*s.rng.Float64()))).Truncate(time.Millisecond)
		case r < 95:
			done = s.between(o.DueAt.Add(time.Hour), 5*24*time.Hour)
		}
		if done.IsZero() || done.After(s.now) {
			continue
		}
		o.Complete(done, "已提交")
		d.event(done, o.OwnerOrgID, "obligation", phrase.New("obligation.done", "title", o.Title, "note", phrase.Words("已提交", "filed")), map[string]any{"obligation": o.ID, "state": o.State})
	}
}

// outsideDuties completes the first-leg duties to bodies outside the
// platform (no recipient org): reported by phone, as CompleteObligation
// records it.
func (d *demoIncident) outsideDuties(at time.Time) {
	at = at.Add(5 * time.Minute)
	if at.After(d.s.now) {
		return
	}
	for _, o := range d.obs {
		if o.Kind == KindReport && o.RecipientOrgID == 0 && o.State == fenghuo.ObligationOpen {
			o.Complete(at, "已电话报告")
			d.event(at, d.inc.OrgID, "obligation", phrase.New("obligation.done", "title", o.Title, "note", phrase.Words("已电话报告", "reported by phone")), map[string]any{"obligation": o.ID, "state": o.State})
		}
	}
}

// submit files a report as SubmitReport does: delivered to every office
// the unit's report duties name, completing them if it is the initial one;
// each delivery is then acknowledged and forwarded on as the offices would.
// It returns the last time it recorded.
func (d *demoIncident) submit(kind string, number int, at time.Time) time.Time {
	s, inc := d.s, d.inc
	a := s.actor(inc.OrgID)
	content := map[string]string{}
	for _, f := range d.p.fields {
		content[f] = "见附件（演示）"
	}
	rep := fenghuo.Report{ID: s.ids.Report, IncidentID: inc.ID, Kind: kind, Number: number, Revision: 1, Content: content,
		Signer: "单位负责人", ReporterName: a.name, ReporterPhone: "0477-8000000", SubmittedAt: at, SubmittedBy: a.id, CreatedAt: at}
	s.ids.Report++
	s.b.Reports = append(s.b.Reports, rep)
	s.stats.Reports++
	if inc.ReportedAt.IsZero() {
		inc.ReportedAt = at
	}
	if inc.Status == fenghuo.StatusDraft {
		inc.Status = fenghuo.StatusReported
	}
	inc.Version++
	sent := map[int64]bool{}
	var names []string
	var deliveries []*store.Delivery
	for _, o := range d.obs {
		if o.Kind != KindReport || o.State == fenghuo.ObligationCancelled || o.OwnerOrgID != inc.OrgID {
			continue
		}
		if o.RecipientOrgID != 0 && !sent[o.RecipientOrgID] {
			sent[o.RecipientOrgID] = true
			dl := d.deliver(rep.ID, inc.OrgID, o.RecipientOrgID, o.PlanID, routeOf(o.RuleID), 0, at)
			deliveries = append(deliveries, dl)
			names = append(names, o.RecipientName)
		}
		if o.State == fenghuo.ObligationOpen && kind == fenghuo.ReportInitial && o.RecipientOrgID != 0 {
			o.Complete(at, reportName(&rep))
		}
	}
	if len(names) == 0 {
		names = append(names, "（平台内无接收机构）")
	}
	d.event(at, inc.OrgID, "report", phrase.New("report.filed", "report", phrase.Report(rep.Kind, rep.Number, rep.Revision), "to", strings.Join(names, "、")),
		map[string]any{"report": rep.ID, "kind": rep.Kind, "number": rep.Number, "revision": rep.Revision})
	last := at
	for _, dl := range deliveries {
		last = maxTime(last, d.receive(dl, 0))
	}
	return last
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func (d *demoIncident) deliver(reportID, from, to int64, planID, routeID string, forwardedFrom int64, at time.Time) *store.Delivery {
	s := d.s
	dl := store.Delivery{ID: s.ids.Delivery, ReportID: reportID, IncidentID: d.inc.ID, FromOrgID: from, ToOrgID: to,
		PlanID: planID, RouteID: routeID, ForwardedFrom: forwardedFrom, SentAt: at, SentBy: s.actor(from).id}
	s.ids.Delivery++
	d.deliveries = append(d.deliveries, &dl)
	return &dl
}

// receive acknowledges a delivery as ReceiveReport does (creating the
// office's onward duties) and forwards it as ForwardReport does.
func (d *demoIncident) receive(dl *store.Delivery, depth int) time.Time {
	s := d.s
	at := s.between(dl.SentAt.Add(3*time.Minute), 3*time.Hour)
	if at.After(s.now) || (s.now.Sub(dl.SentAt) < 3*24*time.Hour && s.rng.IntN(10) == 0) {
		return dl.SentAt
	}
	office := s.orgs[dl.ToOrgID]
	dl.ReceivedAt, dl.ReceivedBy = at, s.actor(office.ID).id
	id, reportID, planID, routeID, from := dl.ID, dl.ReportID, dl.PlanID, dl.RouteID, dl.FromOrgID
	d.event(at, office.ID, "receipt", phrase.New("report.receipt", "org", office.Name, "from", s.orgs[from].Name), map[string]any{"delivery": id})
	if depth > 3 || (dl.ForwardedFrom != 0 && routeID == "") {
		return at
	}
	legs := d.forwardLegs(office, planID, routeID, at)
	if len(legs) == 0 {
		return at
	}
	due := time.Time{}
	for _, o := range legs {
		d.addObligation(o, at)
		if !o.DueAt.IsZero() && (due.IsZero() || o.DueAt.Before(due)) {
			due = o.DueAt
		}
	}
	if due.IsZero() {
		due = at.Add(2 * time.Hour)
	}
	fwd := s.answerAt(at, due, 85, 8, 6*time.Hour)
	if fwd.IsZero() || fwd.After(s.now) || !d.closedAt.IsZero() && fwd.After(d.closedAt) {
		return at
	}
	targets := map[int64]*fenghuo.Obligation{}
	var order []int64
	for _, o := range legs {
		if o.RecipientOrgID != 0 {
			if _, ok := targets[o.RecipientOrgID]; !ok {
				order = append(order, o.RecipientOrgID)
			}
			targets[o.RecipientOrgID] = o
			o.Complete(fwd, "forwarded")
		} else {
			o.Complete(fwd, "已电话报告")
		}
	}
	if len(order) == 0 {
		return at
	}
	var names []string
	var sent []*store.Delivery
	for _, to := range order {
		o := targets[to]
		sent = append(sent, d.deliver(reportID, office.ID, to, o.PlanID, routeOf(o.RuleID), id, fwd))
		names = append(names, o.RecipientName)
	}
	d.event(fwd, office.ID, "forward", phrase.New("report.forwarded", "org", office.Name, "to", strings.Join(names, "、")), map[string]any{"delivery": id, "note": ""})
	last := fwd
	for _, nd := range sent {
		last = maxTime(last, d.receive(nd, depth+1))
	}
	return last
}

// forwardLegs are the onward duties of office for a report received by
// route routeID at at, worked out once per kind of incident and shifted.
func (d *demoIncident) forwardLegs(office *fenghuo.Org, planID, routeID string, at time.Time) []*fenghuo.Obligation {
	s := d.s
	key := fmt.Sprintf("%p|%d|%s|%s", d.p, office.ID, planID, routeID)
	protos, ok := s.forward[key]
	if !ok {
		var err error
		protos, err = s.a.forwardDutyList(s.ctx, s.tx, &d.p.inc, d.p.unit, office, planID, routeID, s.base)
		if err != nil {
			s.err = err
		}
		s.forward[key] = protos
	}
	out := make([]*fenghuo.Obligation, 0, len(protos))
	for _, p := range protos {
		o := *p
		o.DueAt, o.RemindAt = shift(o.DueAt, at.Sub(s.base)), shift(o.RemindAt, at.Sub(s.base))
		out = append(out, &o)
	}
	return out
}

// flush settles the scheduler's stamps (a reminder or escalation the
// scheduler would have sent before the duty was done) and moves the
// incident into the batch, its timeline in time order.
func (d *demoIncident) flush() {
	s := d.s
	for _, o := range d.obs {
		end := s.now
		switch {
		case !o.DoneAt.IsZero():
			end = o.DoneAt
		case o.State == fenghuo.ObligationMissed && !d.closedAt.IsZero():
			end = d.closedAt
		}
		if !o.RemindAt.IsZero() && o.RemindAt.Before(end) {
			o.RemindedAt = o.RemindAt
		}
		if !o.DueAt.IsZero() && o.DueAt.Before(end) {
			o.EscalatedAt = o.DueAt
		}
		s.b.Obligations = append(s.b.Obligations, *o)
	}
	s.stats.Obligations += len(d.obs)
	for _, dl := range d.deliveries {
		s.b.Deliveries = append(s.b.Deliveries, *dl)
	}
	s.stats.Deliveries += len(d.deliveries)
	sort.SliceStable(d.timeline, func(i, j int) bool { return d.timeline[i].At.Before(d.timeline[j].At) })
	s.b.Timeline = append(s.b.Timeline, d.timeline...)
	s.stats.Timeline += len(d.timeline)
	s.b.Incidents = append(s.b.Incidents, *d.inc)
	s.stats.Incidents++
}
