package plan

import "errors"

// Review is the outcome of checking an uploaded or edited plan document
// before it takes effect: the plan, or every problem with its line and key;
// and, when there is a current version, what would change.
type Review struct {
	Plan     *Plan     `json:"-"`
	Problems []Problem `json:"problems,omitempty"`
	Changes  []Change  `json:"changes,omitempty"`
	// SameID is false when the document declares another plan id than the
	// current version's.
	SameID bool `json:"same_id"`
}

// OK reports whether the document is a valid plan.
func (r Review) OK() bool { return r.Plan != nil && len(r.Problems) == 0 }

// Check parses and validates a plan document received as bytes (an upload,
// an edit in the console). It returns the plan, or the problems with file,
// line and key; it never returns both, nor neither.
func Check(file string, data []byte) (*Plan, []Problem) {
	p, err := Parse(file, data)
	if err == nil {
		return p, nil
	}
	var ve *ValidationError
	if errors.As(err, &ve) && len(ve.Problems) > 0 {
		return nil, ve.Problems
	}
	return nil, []Problem{{File: file, Message: err.Error()}}
}

// ReviewDocument checks a plan document and compares it with current (nil
// when the plan is new): response levels and playbooks are compared setting
// by setting like the rest.
func ReviewDocument(file string, data []byte, current *Plan) Review {
	p, problems := Check(file, data)
	r := Review{Plan: p, Problems: problems, SameID: current == nil}
	if p == nil || current == nil {
		return r
	}
	r.SameID = p.ID == current.ID
	r.Changes = Diff(current, p)
	return r
}
