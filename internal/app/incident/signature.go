package incident

import (
	"context"

	"fenghuo/internal/app"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// A report sent up the chain carries the SM2 signature of the office that
// sends it (issue 15 item 1): the unit's when it files the report, each
// office's own when it forwards it. What is signed is the delivery as sent:
// the report's items and who sent it to whom, not the incident's grade or
// title, which change as the incident is worked.

// deliveryContent is the canonical content of a report as delivered.
type deliveryContent struct {
	Version       int               `json:"v"`
	Kind          string            `json:"kind"`
	Delivery      int64             `json:"delivery"`
	Incident      int64             `json:"incident"`
	From          int64             `json:"from_org"`
	To            int64             `json:"to_org"`
	ForwardedFrom int64             `json:"forwarded_from"`
	Note          string            `json:"note"`
	SentAt        string            `json:"sent_at"`
	Report        int64             `json:"report"`
	ReportKind    string            `json:"report_kind"`
	Number        int               `json:"number"`
	Revision      int               `json:"revision"`
	Content       map[string]string `json:"content"`
	Signer        string            `json:"signer"`
	ReporterName  string            `json:"reporter_name"`
	ReporterPhone string            `json:"reporter_phone"`
	SubmittedAt   string            `json:"submitted_at"`
}

func contentOfDelivery(d *store.Delivery, rep *fenghuo.Report) deliveryContent {
	content := rep.Content
	if content == nil {
		content = map[string]string{} // the store keeps none as {}
	}
	return deliveryContent{Version: 1, Kind: store.RecordDelivery, Delivery: d.ID, Incident: d.IncidentID, From: d.FromOrgID,
		To: d.ToOrgID, ForwardedFrom: d.ForwardedFrom, Note: d.Note, SentAt: app.CanonicalTime(d.SentAt), Report: rep.ID,
		ReportKind: rep.Kind, Number: rep.Number, Revision: rep.Revision, Content: content, Signer: rep.Signer,
		ReporterName: rep.ReporterName, ReporterPhone: rep.ReporterPhone, SubmittedAt: app.CanonicalTime(rep.SubmittedAt)}
}

// signDelivery signs a delivery just created, by its sending office.
func (a *Service) signDelivery(ctx context.Context, tx *store.Tx, ac *app.Actor, d *store.Delivery, rep *fenghuo.Report) error {
	from, err := tx.Org(ctx, d.FromOrgID)
	if err != nil {
		return err
	}
	return a.core.SignRecord(ctx, tx, ac, from, store.RecordDelivery, d.ID, contentOfDelivery(d, rep))
}

// reportOf returns the report a delivery carries.
func reportOf(ctx context.Context, tx *store.Tx, d *store.Delivery) (*fenghuo.Report, error) {
	reps, err := tx.Reports(ctx, d.IncidentID)
	if err != nil {
		return nil, err
	}
	for i := range reps {
		if reps[i].ID == d.ReportID {
			return &reps[i], nil
		}
	}
	return nil, fenghuo.Errorf(fenghuo.ENOTFOUND, "Report %d not found. / 未找到该报告。", d.ReportID)
}

// DeliverySignatures checks the signature of every delivery of an incident
// the actor may read: who signed each and whether it is as sent. The key is
// checked against the office keys the database holds.
func (a *Service) DeliverySignatures(ctx context.Context, ac *app.Actor, incidentID int64) (map[int64]app.RecordCheck, error) {
	if _, err := a.Incident(ctx, ac, incidentID); err != nil {
		return nil, err
	}
	out := map[int64]app.RecordCheck{}
	err := a.core.DB().View(ctx, func(tx *store.Tx) error {
		ds, err := tx.DeliveriesOf(ctx, incidentID)
		if err != nil {
			return err
		}
		reps, err := tx.Reports(ctx, incidentID)
		if err != nil {
			return err
		}
		byID := map[int64]*fenghuo.Report{}
		for i := range reps {
			byID[reps[i].ID] = &reps[i]
		}
		for i := range ds {
			d := &ds[i]
			rep := byID[d.ReportID]
			if rep == nil {
				continue
			}
			c, err := a.core.CheckRecord(ctx, tx, store.RecordDelivery, d.ID, contentOfDelivery(d, rep))
			if err != nil {
				return err
			}
			out[d.ID] = c
		}
		return nil
	})
	return out, err
}
