package warning

import (
	"context"

	"fenghuo/internal/app"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// A warning notice carries the SM2 signature of its issuing office (issue
// 15 item 1). It is signed when issued and again when raised, lowered or
// lifted, each time as it then reads; the targets' acknowledgements are
// their own acts and not part of it.

// warningContent is the canonical content of a warning as issued.
type warningContent struct {
	Version    int               `json:"v"`
	Kind       string            `json:"kind"`
	ID         int64             `json:"id"`
	Issuer     int64             `json:"issuer"`
	Plan       string            `json:"plan"`
	Color      fenghuo.Color     `json:"color"`
	Category   string            `json:"category"`
	Title      string            `json:"title"`
	StartAt    string            `json:"start_at"`
	Scope      string            `json:"scope"`
	Items      string            `json:"items"`
	Measures   []fenghuo.Measure `json:"measures"`
	AckMinutes int               `json:"ack_minutes"`
	Status     string            `json:"status"`
	LiftedAt   string            `json:"lifted_at"`
}

func contentOfWarning(w *fenghuo.Warning) warningContent {
	measures := w.Measures
	if measures == nil {
		measures = []fenghuo.Measure{}
	}
	return warningContent{Version: 1, Kind: store.RecordWarning, ID: w.ID, Issuer: w.OrgID, Plan: w.PlanID, Color: w.Color,
		Category: w.Category, Title: w.Title, StartAt: app.CanonicalTime(w.StartAt), Scope: w.Scope, Items: w.Items,
		Measures: measures, AckMinutes: w.AckMinutes, Status: w.Status, LiftedAt: app.CanonicalTime(w.LiftedAt)}
}

// sign signs w as it now reads, by its issuing office.
func (a *Service) sign(ctx context.Context, tx *store.Tx, ac *app.Actor, w *fenghuo.Warning) error {
	issuer, err := tx.Org(ctx, w.OrgID)
	if err != nil {
		return err
	}
	return a.core.SignRecord(ctx, tx, ac, issuer, store.RecordWarning, w.ID, contentOfWarning(w))
}

// checkSignature verifies w's stored signature against w as read in tx.
func (a *Service) checkSignature(ctx context.Context, tx *store.Tx, w *fenghuo.Warning) (app.RecordCheck, error) {
	return a.core.CheckRecord(ctx, tx, store.RecordWarning, w.ID, contentOfWarning(w))
}
