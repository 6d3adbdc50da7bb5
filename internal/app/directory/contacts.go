package directory

import (
	"context"

	"fenghuo/internal/app"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// Lists and pages show people's phone numbers and e-mail addresses masked
// (pii.Mask); RevealContact shows one person's in full, to those who need
// them (fenghuo.User.CanRevealContact), and audits it (issue 15 item 5).

// The kinds of record whose contacts can be revealed.
const (
	ContactOrg    = "org"    // the liaison's mobile, duty phone, fax, report mailbox
	ContactUser   = "user"   // an account's e-mail and mobile
	ContactSystem = "system" // the responsible person's phone
	ContactReport = "report" // the reporter's phone on a filed report
	ContactShift  = "shift"  // the phone of a duty shift
	ContactMember = "member" // a command member's phone
)

// ContactKinds are the kinds RevealContact knows.
var ContactKinds = []string{ContactOrg, ContactUser, ContactSystem, ContactReport, ContactShift, ContactMember}

// ContactField is one revealed value.
type ContactField struct {
	// Field names it: "liaison_mobile", "duty_phone", "fax", "report_email",
	// "email", "mobile", "phone".
	Field string `json:"field"`
	Value string `json:"value"`
}

// Contact is a record's contacts in full.
type Contact struct {
	Kind  string `json:"kind"`
	ID    int64  `json:"id"`
	OrgID int64  `json:"org_id"`
	// Name is whose they are: the liaison, the account holder, the
	// responsible person, the reporter, the officer, the member.
	Name   string         `json:"name"`
	Fields []ContactField `json:"fields"`
}

// RevealAction is the audit action of a reveal ("contact.full.read").
const RevealAction = "contact.full"

// RevealContact returns the contacts of record id of kind in full and
// audits the view as a read of personal data (contact.full.read) naming the
// record, its org and whose they are. A record outside the actor's subtree
// is ENOTFOUND; one inside it without the right is EFORBIDDEN.
func (a *Service) RevealContact(ctx context.Context, ac *app.Actor, kind string, id int64) (*Contact, error) {
	var c *Contact
	var orgPath string
	self := false
	err := a.core.DB().View(ctx, func(tx *store.Tx) error {
		var orgID int64
		var err error
		c, orgID, self, err = loadContact(ctx, tx, ac, kind, id)
		if err != nil {
			return err
		}
		o, err := tx.Org(ctx, orgID)
		if err != nil {
			return err
		}
		c.OrgID, orgPath = o.ID, o.Path
		return nil
	})
	if err != nil {
		return nil, err
	}
	if !fenghuo.InSubtree(ac.Org.Path, orgPath) && !self {
		return nil, fenghuo.Errorf(fenghuo.ENOTFOUND, "Record %v not found. / 未找到（编号%[1]v）。", id)
	}
	// ac.Can also applies an API token's scope.
	if !ac.User.CanRevealContact(ac.Org.Path, orgPath, self) || (!self && !ac.Can(fenghuo.PermContactReveal)) {
		return nil, app.ErrForbidden
	}
	fields := make([]string, len(c.Fields))
	for i, f := range c.Fields {
		fields[i] = f.Field
	}
	detail := map[string]any{"org_id": c.OrgID, "name": c.Name, "fields": fields}
	if err := a.core.RecordRead(ctx, ac, RevealAction, kind, app.ObjectID(id), false, detail); err != nil {
		return nil, err
	}
	return c, nil
}

// loadContact reads a record's contacts and the org they belong to.
func loadContact(ctx context.Context, tx *store.Tx, ac *app.Actor, kind string, id int64) (*Contact, int64, bool, error) {
	c := &Contact{Kind: kind, ID: id}
	add := func(field, value string) {
		if value != "" {
			c.Fields = append(c.Fields, ContactField{field, value})
		}
	}
	switch kind {
	case ContactOrg:
		o, err := tx.Org(ctx, id)
		if err != nil {
			return nil, 0, false, err
		}
		c.Name = o.Liaison.Name
		add("liaison_mobile", o.Liaison.Mobile)
		add("duty_phone", o.DutyPhone)
		add("fax", o.Fax)
		add("report_email", o.ReportEmail)
		return c, o.ID, false, nil
	case ContactUser:
		u, err := tx.User(ctx, id)
		if err != nil {
			return nil, 0, false, err
		}
		c.Name = u.DisplayName
		add("email", u.Email)
		add("mobile", u.Mobile)
		return c, u.OrgID, u.ID == ac.User.ID, nil
	case ContactSystem:
		s, err := tx.System(ctx, id)
		if err != nil {
			return nil, 0, false, err
		}
		c.Name = s.ResponsiblePerson
		add("phone", s.ResponsiblePhone)
		return c, s.OrgID, false, nil
	case ContactReport:
		r, err := tx.Report(ctx, id)
		if err != nil {
			return nil, 0, false, err
		}
		inc, err := tx.Incident(ctx, r.IncidentID)
		if err != nil {
			return nil, 0, false, err
		}
		c.Name = r.ReporterName
		add("phone", r.ReporterPhone)
		return c, inc.OrgID, false, nil
	case ContactShift:
		s, err := tx.DutyShift(ctx, id)
		if err != nil {
			return nil, 0, false, err
		}
		c.Name = s.Officer
		add("phone", s.Phone)
		return c, s.OrgID, s.OfficerID != 0 && s.OfficerID == ac.User.ID, nil
	case ContactMember:
		m, err := tx.CommandMember(ctx, id)
		if err != nil {
			return nil, 0, false, err
		}
		act, err := tx.Activation(ctx, m.ActivationID)
		if err != nil {
			return nil, 0, false, err
		}
		inc, err := tx.Incident(ctx, act.IncidentID)
		if err != nil {
			return nil, 0, false, err
		}
		c.Name = m.Name
		add("phone", m.Phone)
		return c, inc.OrgID, m.UserID != 0 && m.UserID == ac.User.ID, nil
	}
	return nil, 0, false, fenghuo.FieldErrorf("kind", "Kind %q has no contacts to show: use org, user, system, report, shift or member. / 未知的记录类型。", kind)
}
