// Package planadmin holds the use cases of plans edited in the product:
// review an uploaded or edited plan document (problems by line, or the
// changes against the version in force), store it as a new version
// (plan_versions) under the plan.write right with an audit entry, list and
// compare versions, and keep the plan registry serving the active stored
// version of each plan, on this replica at once and on the others within
// SyncEvery.
package planadmin

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"fenghuo/internal/app"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

// SyncEvery bounds how stale a replica's plans may be: before a read of the
// registry, at most once per this interval, a replica compares the
// plan_versions stamp (the table's highest id, one read at the end of the
// primary key) with the one it loaded and reloads the active versions when
// another replica wrote one.
const SyncEvery = 3 * time.Second

// Service is the plan-administration capability.
type Service struct {
	core *app.Core

	mu    sync.Mutex // serialises loads
	stamp string     // plan_versions stamp of the versions loaded
}

// New returns the capability over core and hooks it to the core's plan
// registry: the first read loads the stored versions, later reads check for
// changes at most every SyncEvery.
func New(core *app.Core) *Service {
	s := &Service{core: core}
	s.SetSyncEvery(SyncEvery)
	return s
}

// SetSyncEvery changes how often reads of the registry check for versions
// written by other replicas (0: before every read).
func (s *Service) SetSyncEvery(every time.Duration) {
	s.core.Plans().SetSync(every, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.Sync(ctx); err != nil {
			s.core.Logger().Warn("plan versions not reloaded", "err", err)
		}
	})
}

// Sync loads the active stored version of every plan into the registry
// when the plan_versions table changed since the last load. A stored
// version that no longer validates (a newer release is stricter) is left
// out with a log line: its plan falls back to the built-in or file text.
func (s *Service) Sync(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	stamp, err := s.core.DB().PlanVersionsStamp(ctx)
	if err != nil {
		return err
	}
	if stamp == s.stamp {
		return nil
	}
	versions, err := s.core.DB().CurrentPlanVersions(ctx)
	if err != nil {
		return err
	}
	plans := make(map[string]*plan.Plan, len(versions))
	for _, v := range versions {
		p, err := parseVersion(&v)
		if err != nil {
			s.core.Logger().Error("stored plan version does not validate; serving the fallback text",
				"plan", v.PlanID, "version", v.Version, "err", err)
			continue
		}
		plans[p.ID] = p
	}
	s.core.Plans().SetStored(plans)
	s.stamp = stamp
	return nil
}

// fileName names a stored version in problems and plan.File.
func fileName(planID string, version int) string {
	return "plan_versions:" + planID + "#" + strconv.Itoa(version)
}

func parseVersion(v *fenghuo.PlanVersion) (*plan.Plan, error) {
	p, err := plan.Parse(fileName(v.PlanID, v.Version), []byte(v.YAML))
	if err != nil {
		return nil, err
	}
	if p.ID != v.PlanID {
		return nil, fmt.Errorf("declares id %q", p.ID)
	}
	p.Revision = v.Version
	return p, nil
}

// Review is the outcome of checking a plan document before it takes
// effect.
type Review struct {
	plan.Review
	// PlanID is the plan the document is for.
	PlanID string `json:"plan_id"`
	// Base is the version the changes are counted against: the stored
	// version in force, 0 for the built-in or file text, -1 for a new plan.
	Base int `json:"base_revision"`
	// Current is the plan in force (nil for a new plan).
	Current *plan.Plan `json:"-"`
	// Same is true when the document is the text in force, byte for byte.
	Same bool `json:"unchanged"`
}

// ReviewDocument checks a plan document for planID (empty: the id the
// document declares, a new plan or an existing one) and compares it with
// the version in force. Nothing is stored. Problems come with their line.
func (s *Service) ReviewDocument(ctx context.Context, ac *app.Actor, planID string, data []byte) (*Review, error) {
	if err := app.Require(ac, fenghuo.PermPlanWrite); err != nil {
		return nil, err
	}
	return s.review(planID, data), nil
}

const uploadName = "upload.yaml"

func (s *Service) review(planID string, data []byte) *Review {
	p, problems := plan.Check(uploadName, data)
	if planID == "" && p != nil {
		planID = p.ID
	}
	rv := &Review{PlanID: planID, Base: -1}
	var current *plan.Plan
	if planID != "" {
		if cur, err := s.core.Plans().Get(planID); err == nil {
			current, rv.Base = cur, cur.Revision
		}
	}
	rv.Current = current
	if p != nil && p.ID != planID {
		problems = append(problems, plan.Problem{File: uploadName, Line: idLine(data), Key: "id",
			Message: fmt.Sprintf("the document declares id %q but is uploaded as plan %q: keep id: %s, or upload it as a new plan", p.ID, planID, planID)})
		p = nil
	}
	if p == nil {
		rv.Problems = problems
		return rv
	}
	rv.Review = plan.ReviewDocument(uploadName, data, current)
	rv.Same = current != nil && string(current.Raw()) == string(data)
	return rv
}

// idLine is the line of the top-level "id:" key, 1 when there is none.
func idLine(data []byte) int {
	line := 1
	for i := 0; i < len(data); i++ {
		if (i == 0 || data[i-1] == '\n') && len(data)-i >= 3 && string(data[i:i+3]) == "id:" {
			return line
		}
		if data[i] == '\n' {
			line++
		}
	}
	return 1
}

// ErrStale is returned by Write when the version in force changed since
// the review the caller confirms.
var ErrStale = fenghuo.Errorf(fenghuo.ECONFLICT,
	"The plan was changed by someone else since your review: review the changes again. / 预案在您核对之后已被他人修改，请重新核对变更。")

// ProblemsError carries a document's problems (each with its line) as an
// EINVALID error.
type ProblemsError struct{ Problems []plan.Problem }

func (e *ProblemsError) Error() string {
	return (&plan.ValidationError{Problems: e.Problems}).Error()
}

// Unwrap makes it an EINVALID *fenghuo.Error for callers that map codes.
func (e *ProblemsError) Unwrap() error {
	return &fenghuo.Error{Code: fenghuo.EINVALID, Message: e.Error()}
}

// Write stores a plan document as the next version of planID and makes it
// the one in force, after the review the caller confirmed: base is the
// version that review counted changes against (Review.Base); when another
// version took effect since, Write refuses with ErrStale. An invalid
// document is refused with a *ProblemsError and nothing is stored. The
// first stored version of a built-in or file plan is preceded by its
// fallback text, stored as version 1, so that the history lists the text
// incidents were graded under before. One audit entry, plan.write, with
// the version and its SM3 digest.
func (s *Service) Write(ctx context.Context, ac *app.Actor, planID string, data []byte, note string, base int) (*fenghuo.PlanVersion, error) {
	if err := app.Require(ac, fenghuo.PermPlanWrite); err != nil {
		return nil, err
	}
	rv := s.review(planID, data)
	if !rv.OK() {
		return nil, &ProblemsError{Problems: rv.Problems}
	}
	if rv.Same {
		return nil, fenghuo.Errorf(fenghuo.EINVALID, "The document is the version in force, unchanged: nothing to store. / 与现行版本相同，无需保存。")
	}
	if len(note) > 500 {
		return nil, fenghuo.FieldErrorf("note", "Keep the note under 500 characters. / 说明请少于500字。")
	}
	if base != rv.Base {
		return nil, ErrStale
	}
	fallback, hasFallback := s.core.Plans().Fallback(rv.PlanID)
	v := &fenghuo.PlanVersion{PlanID: rv.PlanID, YAML: string(data), UploadedBy: ac.User.ID, Note: note}
	recorded := 0
	err := s.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		cur, err := tx.CurrentPlanVersion(ctx, rv.PlanID)
		switch {
		case err == nil && cur.Version != base:
			return ErrStale
		case err != nil && fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND:
			return err
		case err != nil && base > 0:
			return ErrStale
		}
		if err != nil && hasFallback {
			n, err := tx.PlanVersionCount(ctx, rv.PlanID)
			if err != nil {
				return err
			}
			if n == 0 {
				first := &fenghuo.PlanVersion{PlanID: rv.PlanID, YAML: string(fallback.Raw()),
					Note: "内置版本（首次在系统中修改前的文本） / the built-in text before the first edit"}
				if !s.core.Plans().IsBuiltin(rv.PlanID) {
					first.Note = "预案目录中的文本（首次在系统中修改前） / the plans-directory text before the first edit"
				}
				if err := tx.CreatePlanVersion(ctx, first); err != nil {
					return err
				}
				recorded = first.Version
			}
		}
		if err := tx.CreatePlanVersion(ctx, v); err != nil {
			if fenghuo.ErrorCode(err) == fenghuo.ECONFLICT {
				return ErrStale
			}
			return err
		}
		detail := map[string]any{"version": v.Version, "sm3": v.SM3, "declared_version": rv.Plan.Version,
			"changes": len(rv.Changes), "note": note}
		if recorded > 0 {
			detail["fallback_recorded_as"] = recorded
		}
		return s.core.Record(ctx, tx, ac, "plan.write", "plan", rv.PlanID, "success", detail)
	})
	if err != nil {
		return nil, err
	}
	p := rv.Plan
	p.Revision = v.Version
	p.File = fileName(v.PlanID, v.Version)
	// Under the load lock: a reload that read the table before this commit
	// cannot swap the older versions back in after it.
	s.mu.Lock()
	s.core.Plans().PutStored(p)
	s.mu.Unlock()
	return v, nil
}

// Versions lists a plan's stored versions, newest first (without text).
// A plan never edited in the product has none: its built-in or file text
// is in force.
func (s *Service) Versions(ctx context.Context, ac *app.Actor, planID string) ([]fenghuo.PlanVersion, error) {
	if err := app.Require(ac, fenghuo.PermPlanRead); err != nil {
		return nil, err
	}
	if _, err := s.core.Plans().Get(planID); err != nil {
		return nil, err
	}
	return s.core.DB().PlanVersions(ctx, planID)
}

// Version returns one stored version of a plan with its text and the plan
// parsed from it (nil when it no longer validates).
func (s *Service) Version(ctx context.Context, ac *app.Actor, planID string, n int) (*fenghuo.PlanVersion, *plan.Plan, error) {
	if err := app.Require(ac, fenghuo.PermPlanRead); err != nil {
		return nil, nil, err
	}
	v, err := s.core.DB().PlanVersion(ctx, planID, n)
	if err != nil {
		return nil, nil, err
	}
	p, err := parseVersion(v)
	if err != nil {
		return v, nil, nil
	}
	return v, p, nil
}

// Compare returns what changed from version a to version b of a plan; 0
// names the built-in or file text.
func (s *Service) Compare(ctx context.Context, ac *app.Actor, planID string, a, b int) ([]plan.Change, error) {
	pa, err := s.versionPlan(ctx, ac, planID, a)
	if err != nil {
		return nil, err
	}
	pb, err := s.versionPlan(ctx, ac, planID, b)
	if err != nil {
		return nil, err
	}
	return plan.Diff(pa, pb), nil
}

func (s *Service) versionPlan(ctx context.Context, ac *app.Actor, planID string, n int) (*plan.Plan, error) {
	if n == 0 {
		if err := app.Require(ac, fenghuo.PermPlanRead); err != nil {
			return nil, err
		}
		if p, ok := s.core.Plans().Fallback(planID); ok {
			return p, nil
		}
		return nil, fenghuo.Errorf(fenghuo.ENOTFOUND, "Plan %s has no built-in text. / 该预案没有内置版本。", planID)
	}
	_, p, err := s.Version(ctx, ac, planID, n)
	if err != nil {
		return nil, err
	}
	if p == nil {
		return nil, fenghuo.Errorf(fenghuo.EINVALID, "Version %d of plan %s no longer validates and cannot be compared. / 该版本已无法通过校验，不能比较。", n, planID)
	}
	return p, nil
}

// IsProblems reports whether err is a document's problems and returns them.
func IsProblems(err error) ([]plan.Problem, bool) {
	var pe *ProblemsError
	if errors.As(err, &pe) {
		return pe.Problems, true
	}
	return nil, false
}

// UploaderNames names the accounts that uploaded the versions listed (the
// built-in text, uploaded by nobody, is left out).
func (s *Service) UploaderNames(ctx context.Context, ac *app.Actor, vs []fenghuo.PlanVersion) (map[int64]string, error) {
	if err := app.Require(ac, fenghuo.PermPlanRead); err != nil {
		return nil, err
	}
	names := map[int64]string{}
	for _, v := range vs {
		if v.UploadedBy == 0 || names[v.UploadedBy] != "" {
			continue
		}
		u, err := s.core.DB().User(ctx, v.UploadedBy)
		if err != nil {
			if fenghuo.ErrorCode(err) == fenghuo.ENOTFOUND {
				names[v.UploadedBy] = "#" + strconv.FormatInt(v.UploadedBy, 10)
				continue
			}
			return nil, err
		}
		names[v.UploadedBy] = u.DisplayName + "（" + u.Username + "）"
	}
	return names, nil
}
