package web

import (
	"html/template"
	"net/http"
	"strconv"

	"fenghuo/internal/app/directory"
	"fenghuo/internal/fenghuo"
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
