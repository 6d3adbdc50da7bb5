package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// fieldErrors turns a validation error into a message next to its field
// (and the general message at the top).
//
// An error that carries several fields (fenghuo.Invalid) puts each message
// next to its field; the top message is the first, or a count when there are
// more.
func fieldErrors(err error) (map[string]string, string) {
	var fe *fenghuo.Error
	if !errors.As(err, &fe) || fe.Field == "" {
		return nil, fenghuo.ErrorMessage(err)
	}
	all := fenghuo.FieldErrors(err)
	out := make(map[string]string, len(all))
	top := ""
	for _, e := range all {
		if e.Field == "" {
			top = e.Message
			continue
		}
		out[e.Field] = e.Message
	}
	switch {
	case top != "":
	case len(out) == 1:
		top = fe.Message
	default:
		top = fmt.Sprintf("%d fields need correcting: see the messages beside them. / 有%d处需要修改，请见各栏旁的说明。", len(out), len(out))
	}
	return out, top
}

// accessError reports whether err is about access rather than input: the
// object is not in the actor's scope, or the actor lacks the right. Such
// errors get the error page; input errors re-render the form with the
// message (a refusal that names a field, such as a colour the plan
// reserves, is input).
func accessError(err error) bool {
	var fe *fenghuo.Error
	switch fenghuo.ErrorCode(err) {
	case fenghuo.ENOTFOUND:
		return true
	case fenghuo.EFORBIDDEN:
		return !errors.As(err, &fe) || fe.Field == ""
	}
	return false
}

// finishAction ends a form post: success redirects to next, an access
// error gets the error page, an input error the page again (again) with
// the message next to its field.
func (h *Handler) finishAction(w http.ResponseWriter, r *http.Request, err error, next string, again func(error)) {
	switch {
	case err == nil:
		http.Redirect(w, r, next, http.StatusSeeOther)
	case accessError(err):
		h.fail(w, r, actor(r), err)
	default:
		again(err)
	}
}

func formInt(r *http.Request, name string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(r.FormValue(name)), 10, 64)
	return n
}

// formIDs reads the ids of a multi-value field (checkboxes), skipping
// anything that is not a number.
func formIDs(r *http.Request, name string) []int64 {
	var out []int64
	for _, s := range r.Form[name] {
		if id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil {
			out = append(out, id)
		}
	}
	return out
}

// lines splits a textarea into trimmed non-empty lines.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(s, "\r", ""), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// pager reads ?page= (1-based) for lists of 50.
type pager struct {
	Page, Pages, Total int
	// Capped: the list has more than Total items (its count stops at
	// store.CountCap); the pager then offers the next page while pages are
	// full, up to store.MaxOffset.
	Capped bool
	query  url.Values
}

// capped marks the pager of a list whose count stopped at the cap; full
// says the current page was full.
func (p pager) capped(capped, full bool) pager {
	p.Capped = capped
	if capped && full && p.Page*store.DefaultLimit < store.MaxOffset {
		p.Pages = max(p.Pages, p.Page+1)
	}
	return p
}

func readPage(r *http.Request) (store.Page, int) {
	p, _ := strconv.Atoi(r.URL.Query().Get("page"))
	if p < 1 {
		p = 1
	}
	return store.Page{Limit: 50, Offset: (p - 1) * 50}, p
}

func newPager(r *http.Request, page, total int) pager {
	return pager{Page: page, Pages: max(1, (total+49)/50), Total: total, query: r.URL.Query()}
}

// Link returns the URL of page n keeping the other filters.
func (p pager) Link(n int) string {
	q := url.Values{}
	for k, v := range p.query {
		q[k] = v
	}
	q.Set("page", strconv.Itoa(n))
	return "?" + q.Encode()
}

// Prev and Next are the neighbouring pages, 0 when there is none.
func (p pager) Prev() int {
	if p.Page > 1 {
		return p.Page - 1
	}
	return 0
}

func (p pager) Next() int {
	if p.Page < p.Pages {
		return p.Page + 1
	}
	return 0
}
