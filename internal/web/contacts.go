package web

import (
	"html/template"
	"net/http"
	"strconv"

	"fenghuo/internal/app/directory"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/pii"
)

// Pages show people's phones and e-mail addresses masked; 查看完整号码
// opens GET /contacts/{kind}/{id}, which shows that record's contacts in
// full to those who need them and audits the view (contact.full.read,
// issue 15 item 5). app.js shows the answer in place of the link.

// RevealLink is the show-full link beside a masked contact, for those who
// may reveal (the server checks the record's org again).
func (v *view) RevealLink(kind string, id int64) template.HTML {
	if v.Actor == nil || !v.Actor.Can(fenghuo.PermContactReveal) {
		return ""
	}
	href := "/contacts/" + template.URLQueryEscaper(kind) + "/" + strconv.FormatInt(id, 10)
	return template.HTML(`<a class="reveal" data-reveal href="` + href + `">` + template.HTMLEscapeString(v.T("contact.reveal")) + `</a>`)
}

type contactPageData struct {
	Contact *directory.Contact
}

func (h *Handler) contactPage(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	c, err := h.app.Directory.RevealContact(r.Context(), ac, r.PathValue("kind"), id)
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	// The full values are not to be kept by browsers or proxies.
	w.Header().Set("Cache-Control", "no-store")
	h.render(w, r, http.StatusOK, "contact", &view{Actor: ac, Title: "contact.title", Data: contactPageData{Contact: c}})
}

// Edit forms show the record's contacts masked, as its page does, so
// opening a form reveals nothing and needs no audit entry; 查看完整号码
// beside the fields reveals them (audited) for those who may. A field
// submitted with its mask unchanged keeps the stored value (pii.Kept, the
// API's rule); a changed one is validated and sealed as any new value.

func maskedOrg(o fenghuo.Org) fenghuo.Org {
	o.Liaison.Mobile, o.DutyPhone, o.Fax = pii.Mask(pii.Phone, o.Liaison.Mobile), pii.Mask(pii.Phone, o.DutyPhone), pii.Mask(pii.Phone, o.Fax)
	o.ReportEmail = pii.Mask(pii.Email, o.ReportEmail)
	return o
}

func keepOrgContacts(o *fenghuo.Org, stored *fenghuo.Org) {
	o.Liaison.Mobile = pii.Kept(pii.Phone, stored.Liaison.Mobile, o.Liaison.Mobile)
	o.DutyPhone = pii.Kept(pii.Phone, stored.DutyPhone, o.DutyPhone)
	o.Fax = pii.Kept(pii.Phone, stored.Fax, o.Fax)
	o.ReportEmail = pii.Kept(pii.Email, stored.ReportEmail, o.ReportEmail)
}

func maskedUser(u fenghuo.User) fenghuo.User {
	u.Email, u.Mobile = pii.Mask(pii.Email, u.Email), pii.Mask(pii.Phone, u.Mobile)
	return u
}

func keepUserContacts(u *fenghuo.User, stored *fenghuo.User) {
	u.Email, u.Mobile = pii.Kept(pii.Email, stored.Email, u.Email), pii.Kept(pii.Phone, stored.Mobile, u.Mobile)
}

func maskedSystem(s fenghuo.System) fenghuo.System {
	s.ResponsiblePhone = pii.Mask(pii.Phone, s.ResponsiblePhone)
	return s
}

func keepSystemContacts(s *fenghuo.System, stored *fenghuo.System) {
	s.ResponsiblePhone = pii.Kept(pii.Phone, stored.ResponsiblePhone, s.ResponsiblePhone)
}
