package risknotice

import (
	"context"

	"fenghuo/internal/app"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// A risk notice carries the SM2 signature of its issuing office (issue 15
// item 1), over what it says when issued; closing it later is the office's
// own act and does not change what was notified.

// noticeContent is the canonical content of a risk notice as issued.
type noticeContent struct {
	Version     int      `json:"v"`
	Kind        string   `json:"kind"`
	ID          int64    `json:"id"`
	Issuer      int64    `json:"issuer"`
	Title       string   `json:"title"`
	Vendor      string   `json:"vendor"`
	Product     string   `json:"product"`
	ProductKey  string   `json:"product_key"`
	Ranges      string   `json:"ranges"`
	RefIDs      []string `json:"ref_ids"`
	Description string   `json:"description"`
	Measures    string   `json:"measures"`
	Severity    string   `json:"severity"`
	RectifyDays int      `json:"rectify_days"`
	DueAt       string   `json:"due_at"`
	IssuedAt    string   `json:"issued_at"`
}

func contentOfNotice(n *fenghuo.RiskNotice) noticeContent {
	refs := n.RefIDs
	if refs == nil {
		refs = []string{}
	}
	return noticeContent{Version: 1, Kind: store.RecordRiskNotice, ID: n.ID, Issuer: n.OrgID, Title: n.Title, Vendor: n.Vendor,
		Product: n.Product, ProductKey: n.ProductKey, Ranges: n.Ranges, RefIDs: refs, Description: n.Description,
		Measures: n.Measures, Severity: n.Severity, RectifyDays: n.RectifyDays, DueAt: app.CanonicalTime(n.DueAt),
		IssuedAt: app.CanonicalTime(n.CreatedAt)}
}

func (s *Service) sign(ctx context.Context, tx *store.Tx, ac *app.Actor, issuer *fenghuo.Org, n *fenghuo.RiskNotice) error {
	return s.core.SignRecord(ctx, tx, ac, issuer, store.RecordRiskNotice, n.ID, contentOfNotice(n))
}

func (s *Service) checkSignature(ctx context.Context, tx *store.Tx, n *fenghuo.RiskNotice) (app.RecordCheck, error) {
	return s.core.CheckRecord(ctx, tx, store.RecordRiskNotice, n.ID, contentOfNotice(n))
}
