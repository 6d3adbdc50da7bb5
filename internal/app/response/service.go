// Package response holds the use cases of emergency response levels (应急响应,
// seed 001 §4.2–§4.3, the plan's response_levels): a unit or a lower office
// requests a level, the office the plan names activates it (recording the
// approval the plan asks for), an office whose authority the level exceeds
// hands it up, the level changes with its history kept, and the plan's ender
// ends it with an end notice to everyone notified at activation. Activation
// sets up the command structure and applies the level's switches (24-hour
// duty, standby tasks, situation reports); only activation sets an incident
// responding and only the end sets it recovering (internal/app/incident).
package response

import (
	"strconv"

	"fenghuo/internal/app"
	"fenghuo/internal/app/incident"
	"fenghuo/internal/app/task"
)

// Service is the response-levels capability.
type Service struct {
	core      *app.Core
	incidents *incident.Service
	tasks     *task.Service
}

// New returns the response capability over core, the incidents capability
// whose status and obligations it drives, and the tasks capability that
// turns activation playbooks and standby switches into tasks.
func New(core *app.Core, incidents *incident.Service, tasks *task.Service) *Service {
	return &Service{core: core, incidents: incidents, tasks: tasks}
}

func ref(id int64) string { return strconv.FormatInt(id, 10) }
