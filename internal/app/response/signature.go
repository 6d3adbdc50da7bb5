package response

import (
	"context"

	"fenghuo/internal/app"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// A response end notice (结束通知) carries the SM2 signature of the office
// that ends the response (issue 15 item 1). The signed content is the
// notice as sent; the office is named by the signature block itself.

// endNoticeContent is the canonical content of an end notice.
type endNoticeContent struct {
	Version     int           `json:"v"`
	Kind        string        `json:"kind"`
	Activation  int64         `json:"activation"`
	Incident    int64         `json:"incident"`
	Plan        string        `json:"plan"`
	Level       fenghuo.Grade `json:"level"`
	ActivatedAt string        `json:"activated_at"`
	EndedAt     string        `json:"ended_at"`
	EndClause   string        `json:"end_clause"`
	Notice      string        `json:"notice"`
}

func contentOfEndNotice(a *fenghuo.ResponseActivation) endNoticeContent {
	return endNoticeContent{Version: 1, Kind: store.RecordEndNotice, Activation: a.ID, Incident: a.IncidentID, Plan: a.PlanID,
		Level: a.Level, ActivatedAt: app.CanonicalTime(a.ActivatedAt), EndedAt: app.CanonicalTime(a.EndedAt),
		EndClause: a.EndClause, Notice: a.EndNotice}
}

// EndNoticeSignature checks the signature of an ended activation's notice.
func (s *Service) EndNoticeSignature(ctx context.Context, a *fenghuo.ResponseActivation) (app.RecordCheck, error) {
	var c app.RecordCheck
	err := s.core.DB().View(ctx, func(tx *store.Tx) error {
		var err error
		c, err = s.core.CheckRecord(ctx, tx, store.RecordEndNotice, a.ID, contentOfEndNotice(a))
		return err
	})
	return c, err
}
