package store

import (
	"context"
	"time"

	"fenghuo/internal/fenghuo"
)

const channelColumns = "id, org_id, user_id, kind, name, target, secret, events, enabled"

func scanChannel(sc scanner) (*fenghuo.Channel, error) {
	var c fenghuo.Channel
	var events string
	if err := sc.Scan(&c.ID, &c.OrgID, &c.UserID, &c.Kind, &c.Name, &c.Target, &c.Secret, &events, &c.Enabled); err != nil {
		return nil, err
	}
	return &c, unmarshalList(events, &c.Events)
}

// CreateChannel stores a notification channel; Secret must already be sealed.
func (tx *Tx) CreateChannel(ctx context.Context, c *fenghuo.Channel) error {
	return tx.c.queryRow(ctx, `INSERT INTO channels (org_id, user_id, kind, name, target, secret, events, enabled, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, c.OrgID, c.UserID, c.Kind, c.Name, c.Target, c.Secret,
		jsonText(c.Events), b2i(c.Enabled), ms(tx.now)).Scan(&c.ID)
}

// DeleteChannel removes a channel.
func (tx *Tx) DeleteChannel(ctx context.Context, id int64) error {
	_, err := tx.c.exec(ctx, "DELETE FROM channels WHERE id = ?", id)
	return err
}

// Channel returns one channel.
func (db *DB) Channel(ctx context.Context, id int64) (*fenghuo.Channel, error) {
	c, err := view(ctx, db, func(tx *Tx) (*fenghuo.Channel, error) {
		return scanChannel(tx.c.queryRow(ctx, "SELECT "+channelColumns+" FROM channels WHERE id = ?", id))
	})
	if err != nil {
		return nil, notFoundOr(err, "Channel", id)
	}
	return c, nil
}

// ChannelsOf lists the channels of an org: its own and its users'.
func (db *DB) ChannelsOf(ctx context.Context, orgID int64) ([]fenghuo.Channel, error) {
	return view(ctx, db, func(tx *Tx) ([]fenghuo.Channel, error) {
		rows, err := tx.c.query(ctx, "SELECT "+channelColumns+" FROM channels WHERE org_id = ? ORDER BY user_id, id", orgID)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		out := []fenghuo.Channel{}
		for rows.Next() {
			c, err := scanChannel(rows)
			if err != nil {
				return nil, err
			}
			out = append(out, *c)
		}
		return out, rows.Err()
	})
}

// SendAttempt is one attempt to deliver a notification over a channel.
type SendAttempt struct {
	ID             int64
	NotificationID int64
	ChannelID      int64
	Kind           string
	Target         string
	Title          string
	Attempt        int
	Status         string // sent, retry, failed
	Error          string
	At             time.Time
}

// LogSendAttempt records a delivery attempt.
func (db *DB) LogSendAttempt(ctx context.Context, d *SendAttempt) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		d.At = tx.now
		return tx.c.queryRow(ctx, `INSERT INTO deliveries_log (notification_id, channel_id, kind, target, title, attempt, status, error, at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, d.NotificationID, d.ChannelID, d.Kind, d.Target, d.Title, d.Attempt,
			d.Status, d.Error, ms(d.At)).Scan(&d.ID)
	})
}

// SendAttempts lists the latest delivery attempts over the channels of the
// orgs in the subtree of orgPath (and e-mails to their report addresses).
func (db *DB) SendAttempts(ctx context.Context, orgPath string, limit int) ([]SendAttempt, error) {
	return view(ctx, db, func(tx *Tx) ([]SendAttempt, error) {
		rows, err := tx.c.query(ctx, `SELECT d.id, d.notification_id, d.channel_id, d.kind, d.target, d.title, d.attempt, d.status, d.error, d.at
			FROM deliveries_log d JOIN notifications n ON n.id = d.notification_id JOIN orgs o ON o.id = n.org_id
			WHERE o.path LIKE ? ESCAPE '\' ORDER BY d.at DESC, d.id DESC LIMIT ?`, likeEscape(orgPath)+"%", limit)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		out := []SendAttempt{}
		for rows.Next() {
			var d SendAttempt
			var at int64
			if err := rows.Scan(&d.ID, &d.NotificationID, &d.ChannelID, &d.Kind, &d.Target, &d.Title, &d.Attempt, &d.Status, &d.Error, &at); err != nil {
				return nil, err
			}
			d.At = fromMS(at)
			out = append(out, d)
		}
		return out, rows.Err()
	})
}

// Notification returns one in-app notification.
func (db *DB) Notification(ctx context.Context, id int64) (*Notification, error) {
	n, err := view(ctx, db, func(tx *Tx) (*Notification, error) {
		var n Notification
		var created, read int64
		err := tx.c.queryRow(ctx, "SELECT id, org_id, user_id, kind, title, body, link, created_at, read_at FROM notifications WHERE id = ?", id).
			Scan(&n.ID, &n.OrgID, &n.UserID, &n.Kind, &n.Title, &n.Body, &n.Link, &created, &read)
		n.CreatedAt, n.ReadAt = fromMS(created), fromMS(read)
		return &n, err
	})
	if err != nil {
		return nil, notFoundOr(err, "Notification", id)
	}
	return n, nil
}
