// Package aftermath holds the use cases that follow a response (seed 001
// §5): the recovery plan (§5.1), the investigation and evaluation report
// (§5.2) and the summary report (§5.3) as structured documents with
// versions and an approval chain (unit → competent department → 网信办),
// whose approval closes the plan's deadline for them; the improvement
// measures tracked to their deadlines as obligations of kind
// "improvement"; and the reward and accountability records of §5.4 (seed
// 000's 三不放过: the cause, the hidden risks and the people responsible —
// none is let pass).
package aftermath

import (
	"strconv"

	"fenghuo/internal/app"
)

// Service is the aftermath capability.
type Service struct {
	core *app.Core
}

// New returns the aftermath capability over core.
func New(core *app.Core) *Service { return &Service{core: core} }

func ref(id int64) string { return strconv.FormatInt(id, 10) }
