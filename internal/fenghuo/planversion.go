package fenghuo

import "time"

// Plan version states: one version of a plan is active; uploading another
// supersedes it. Incidents keep the version they were graded with.
const (
	PlanVersionActive     = "active"
	PlanVersionSuperseded = "superseded"
)

// PlanVersion is one uploaded version of a plan's YAML text.
type PlanVersion struct {
	ID         int64
	PlanID     string
	Version    int // 1, 2 … per plan
	YAML       string
	SM3        string // hex SM3 digest of YAML, computed by the store
	UploadedBy int64
	UploadedAt time.Time
	State      string
	Note       string
}

// ConcealmentMark is a suspected concealment (瞒报) flag on an incident: it
// was opened by monitoring or by an office for a unit that had not reported
// it by the deadline.
type ConcealmentMark struct {
	IncidentID int64
	UnitOrgID  int64 // the unit that should have reported
	Reason     string
	MarkedAt   time.Time
	MarkedBy   int64 // 0: the system (monitoring)
}

// ReportingSignals counts a unit's reporting-honesty signals over a window
// (001 §5.4.2(2): 瞒报、谎报、迟报、漏报).
type ReportingSignals struct {
	OrgID   int64
	OrgName string
	Late    int // 迟报: report duties due in the window and filed after the due time
	Missed  int // 漏报: report duties due in the window, marked missed or still open past due
	Conceal int // 瞒报: incidents of the unit marked as suspected concealment in the window
}
