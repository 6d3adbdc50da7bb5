package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"fenghuo/internal/fenghuo"
)

const reportColumns = `id, incident_id, kind, number, revision, content, signer, reporter_name, reporter_phone,
	submitted_at, submitted_by, created_at`

func (tx *Tx) scanReport(sc scanner) (*fenghuo.Report, error) {
	var r fenghuo.Report
	var content string
	var submitted, created int64
	if err := sc.Scan(&r.ID, &r.IncidentID, &r.Kind, &r.Number, &r.Revision, &content, &r.Signer, &r.ReporterName,
		&r.ReporterPhone, &submitted, &r.SubmittedBy, &created); err != nil {
		return nil, err
	}
	if err := tx.openPersonal("reports", r.ID, personal{"reporter_phone", &r.ReporterPhone}); err != nil {
		return nil, err
	}
	r.SubmittedAt, r.CreatedAt = fromMS(submitted), fromMS(created)
	if err := json.Unmarshal([]byte(content), &r.Content); err != nil {
		return nil, fmt.Errorf("store: report %d content: %w", r.ID, err)
	}
	return &r, nil
}

// CreateReport inserts a submitted report version.
func (tx *Tx) CreateReport(ctx context.Context, r *fenghuo.Report) error {
	content, err := json.Marshal(r.Content)
	if err != nil {
		return err
	}
	if r.Content == nil {
		content = []byte("{}")
	}
	r.CreatedAt = tx.now
	err = tx.c.queryRow(ctx, `INSERT INTO reports (incident_id, kind, number, revision, content, signer, reporter_name,
		submitted_at, submitted_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		r.IncidentID, r.Kind, r.Number, r.Revision, string(content), r.Signer, r.ReporterName,
		ms(r.SubmittedAt), r.SubmittedBy, ms(r.CreatedAt)).Scan(&r.ID)
	if err != nil {
		return fmt.Errorf("store: create report: %w", err)
	}
	// Sealed once the row exists: the seal is bound to its id.
	return tx.setPersonal(ctx, "reports", r.ID, personal{"reporter_phone", &r.ReporterPhone})
}

// Reports lists an incident's reports in filing order.
func (db *DB) Reports(ctx context.Context, incidentID int64) ([]fenghuo.Report, error) {
	return view(ctx, db, func(tx *Tx) ([]fenghuo.Report, error) { return tx.Reports(ctx, incidentID) })
}

// Reports is DB.Reports inside tx.
func (tx *Tx) Reports(ctx context.Context, incidentID int64) ([]fenghuo.Report, error) {
	rows, err := tx.c.query(ctx, "SELECT "+reportColumns+" FROM reports WHERE incident_id = ? ORDER BY id", incidentID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []fenghuo.Report{}
	for rows.Next() {
		r, err := tx.scanReport(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *r)
	}
	return out, rows.Err()
}

// Report returns one report version.
func (db *DB) Report(ctx context.Context, id int64) (*fenghuo.Report, error) {
	return view(ctx, db, func(tx *Tx) (*fenghuo.Report, error) {
		r, err := tx.scanReport(tx.c.queryRow(ctx, "SELECT "+reportColumns+" FROM reports WHERE id = ?", id))
		if err != nil {
			return nil, notFoundOr(err, "Report", id)
		}
		return r, nil
	})
}

// Report is DB.Report inside tx.
func (tx *Tx) Report(ctx context.Context, id int64) (*fenghuo.Report, error) {
	r, err := tx.scanReport(tx.c.queryRow(ctx, "SELECT "+reportColumns+" FROM reports WHERE id = ?", id))
	if err != nil {
		return nil, notFoundOr(err, "Report", id)
	}
	return r, nil
}

// Delivery is a report sent to one organisation, and its receipt.
type Delivery struct {
	ID            int64
	ReportID      int64
	IncidentID    int64
	FromOrgID     int64
	ToOrgID       int64
	PlanID        string
	RouteID       string
	ForwardedFrom int64
	Note          string
	SentAt        time.Time
	SentBy        int64
	ReceivedAt    time.Time
	ReceivedBy    int64
}

const deliveryColumns = `id, report_id, incident_id, from_org_id, to_org_id, plan_id, route_id, forwarded_from, note,
	sent_at, sent_by, received_at, received_by`

func scanDelivery(sc scanner) (*Delivery, error) {
	var d Delivery
	var sent, received int64
	if err := sc.Scan(&d.ID, &d.ReportID, &d.IncidentID, &d.FromOrgID, &d.ToOrgID, &d.PlanID, &d.RouteID,
		&d.ForwardedFrom, &d.Note, &sent, &d.SentBy, &received, &d.ReceivedBy); err != nil {
		return nil, err
	}
	d.SentAt, d.ReceivedAt = fromMS(sent), fromMS(received)
	return &d, nil
}

// CreateDelivery records a report sent to an organisation.
func (tx *Tx) CreateDelivery(ctx context.Context, d *Delivery) error {
	d.SentAt = tx.now
	err := tx.c.queryRow(ctx, `INSERT INTO report_deliveries (report_id, incident_id, from_org_id, to_org_id, plan_id,
		route_id, forwarded_from, note, sent_at, sent_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		d.ReportID, d.IncidentID, d.FromOrgID, d.ToOrgID, d.PlanID, d.RouteID, d.ForwardedFrom, d.Note,
		ms(d.SentAt), d.SentBy).Scan(&d.ID)
	if err != nil {
		return err
	}
	// The recipient and the offices above it now see the incident.
	return tx.addScope(ctx, d.IncidentID, d.ToOrgID)
}

// Delivery returns one delivery.
func (tx *Tx) Delivery(ctx context.Context, id int64) (*Delivery, error) {
	d, err := scanDelivery(tx.c.queryRow(ctx, "SELECT "+deliveryColumns+" FROM report_deliveries WHERE id = ?", id))
	if err != nil {
		return nil, notFoundOr(err, "Delivery", id)
	}
	return d, nil
}

// ReceiveDelivery marks a delivery received (acknowledged) once.
func (tx *Tx) ReceiveDelivery(ctx context.Context, id, userID int64) error {
	res, err := tx.c.exec(ctx, "UPDATE report_deliveries SET received_at = ?, received_by = ? WHERE id = ? AND received_at = 0",
		ms(tx.now), userID, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fenghuo.Errorf(fenghuo.ECONFLICT, "This report was already acknowledged. / 该报告已签收。")
	}
	return nil
}

// Deliveries lists where an incident's reports went.
func (db *DB) Deliveries(ctx context.Context, incidentID int64) ([]Delivery, error) {
	return view(ctx, db, func(tx *Tx) ([]Delivery, error) { return tx.DeliveriesOf(ctx, incidentID) })
}

// DeliveriesOf is DB.Deliveries inside tx.
func (tx *Tx) DeliveriesOf(ctx context.Context, incidentID int64) ([]Delivery, error) {
	return tx.queryDeliveries(ctx, "SELECT "+deliveryColumns+" FROM report_deliveries WHERE incident_id = ? ORDER BY id", incidentID)
}

// Inbox lists deliveries to the org toOrgID, unreceived first, each part
// newest first; each part is one index range. Total is capped at CountCap.
func (db *DB) Inbox(ctx context.Context, toOrgID int64, p Page) (ListResult[Delivery], error) {
	p = p.norm()
	return view(ctx, db, func(tx *Tx) (ListResult[Delivery], error) {
		var res ListResult[Delivery]
		var err error
		if res.Total, res.Capped, err = tx.countCapped(ctx, "SELECT 1 FROM report_deliveries WHERE to_org_id = ? ORDER BY sent_at DESC, id DESC", []any{toOrgID}); err != nil {
			return res, err
		}
		// The unreceived part first: how many there are, as far as the
		// deepest page reaches, then the page's share of each part.
		unreceived, _, err := tx.countUpTo(ctx, "SELECT 1 FROM report_deliveries WHERE to_org_id = ? AND received_at = 0 ORDER BY sent_at DESC, id DESC",
			[]any{toOrgID}, p.Offset+p.Limit)
		if err != nil {
			return res, err
		}
		res.Items = []Delivery{}
		if p.Offset < unreceived {
			items, err := tx.queryDeliveries(ctx, "SELECT "+deliveryColumns+` FROM report_deliveries WHERE to_org_id = ? AND received_at = 0
				ORDER BY sent_at DESC, id DESC LIMIT ? OFFSET ?`, toOrgID, p.Limit, p.Offset)
			if err != nil {
				return res, err
			}
			res.Items = items
		}
		if rest := p.Limit - len(res.Items); rest > 0 {
			items, err := tx.queryDeliveries(ctx, "SELECT "+deliveryColumns+` FROM report_deliveries WHERE to_org_id = ? AND received_at > 0
				ORDER BY sent_at DESC, id DESC LIMIT ? OFFSET ?`, toOrgID, rest, max(0, p.Offset-unreceived))
			if err != nil {
				return res, err
			}
			res.Items = append(res.Items, items...)
		}
		return res, nil
	})
}

func (tx *Tx) queryDeliveries(ctx context.Context, q string, args ...any) ([]Delivery, error) {
	rows, err := tx.c.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Delivery{}
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *d)
	}
	return out, rows.Err()
}
