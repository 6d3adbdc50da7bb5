package monitoring

import (
	"context"
	"fenghuo/internal/app/incident"
	"fenghuo/internal/monitor"
	"time"
)

// MonitorSink adapts the incidents capability to what website monitoring reports.
func (a *Service) MonitorSink() monitor.Sink { return monitorSink{a} }

type monitorSink struct{ a *Service }

func (s monitorSink) Alert(ctx context.Context, al monitor.Alert) (int64, error) {
	inc, _, err := s.a.incidents.OpenDraftFromAlert(ctx, incident.MonitorAlert{SystemID: al.SystemID, Kind: al.Kind, Source: al.Source, Summary: al.Summary, DetectedAt: al.At})
	if err != nil {
		return 0, err
	}
	return inc.ID, nil
}

func (s monitorSink) Outage(ctx context.Context, systemID int64, source string, started, until time.Time, ended bool) error {
	_, err := s.a.incidents.UpdateOutage(ctx, systemID, source, started, until, ended)
	return err
}
