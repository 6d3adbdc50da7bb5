package api

// The IOC library (威胁情报, issue 14 item 5): indicators owned by an org and
// shared down the tree under their TLP label (docs/intel.md); import and
// export as STIX 2.1 bundles or MISP events.

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"time"

	"fenghuo/internal/app/intel"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/ingest/ioc"
	"fenghuo/internal/store"
)

var indicatorQuery = append([]string{"indicator_type", "tlp", "owner_id"}, paging...)

func init() {
	types := make([]string, len(ioc.Types))
	for i, t := range ioc.Types {
		types[i] = string(t)
	}
	tlps := make([]string, len(ioc.TLPs))
	for i, t := range ioc.TLPs {
		tlps[i] = string(t)
	}
	queryParams["indicator_type"] = obj{"type": "string", "enum": types, "description": "Only indicators of this type"}
	queryParams["tlp"] = obj{"type": "string", "enum": tlps, "description": "TLP 2.0 label: only indicators with it (import: the label of unmarked objects, default AMBER)"}
	queryParams["owner_id"] = obj{"type": "integer", "description": "Only indicators owned by this org"}
	if _, ok := queryParams["format"]; !ok {
		queryParams["format"] = obj{"type": "string", "enum": []string{"stix", "misp"}, "default": "stix", "description": "stix: a STIX 2.1 bundle; misp: a MISP event"}
	}
}

type indicatorJSON struct {
	ID          int64      `json:"id"`
	STIXID      string     `json:"stix_id"`
	Type        ioc.Type   `json:"type"`
	Value       string     `json:"value"`
	Name        string     `json:"name"`
	Description string     `json:"description"`
	Source      string     `json:"source"`
	Confidence  int        `json:"confidence"`
	TLP         ioc.TLP    `json:"tlp"`
	ValidFrom   *time.Time `json:"valid_from"`
	ValidUntil  *time.Time `json:"valid_until"`
	Expired     bool       `json:"expired"`
	Owner       orgRefDTO  `json:"owner"`
	CreatedBy   int64      `json:"created_by"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	RevokedAt   *time.Time `json:"revoked_at"`
}

func toIndicator(in *store.Indicator, now time.Time) indicatorJSON {
	return indicatorJSON{ID: in.ID, STIXID: in.STIXID, Type: in.Type, Value: in.Value, Name: in.Name, Description: in.Description,
		Source: in.Source, Confidence: in.Confidence, TLP: in.TLP, ValidFrom: timePtr(in.ValidFrom), ValidUntil: timePtr(in.ValidUntil),
		Expired: !in.ValidUntil.IsZero() && !now.Before(in.ValidUntil), Owner: orgRefDTO{ID: in.OwnerOrg, Name: in.OwnerName},
		CreatedBy: in.CreatedBy, CreatedAt: in.CreatedAt, UpdatedAt: in.UpdatedAt, RevokedAt: timePtr(in.RevokedAt)}
}

type indicatorWrite struct {
	OrgID       int64      `json:"org_id"`
	Type        ioc.Type   `json:"type"`
	Value       string     `json:"value"`
	Name        string     `json:"name"`
	Description string     `json:"description"`
	Source      string     `json:"source"`
	Confidence  *int       `json:"confidence"`
	TLP         ioc.TLP    `json:"tlp"`
	ValidFrom   *time.Time `json:"valid_from"`
	ValidUntil  *time.Time `json:"valid_until"`
}

func (in indicatorWrite) input() intel.Input {
	out := intel.Input{OrgID: in.OrgID, Type: in.Type, Value: in.Value, Name: in.Name, Description: in.Description,
		Source: in.Source, Confidence: 50, TLP: in.TLP}
	if in.Confidence != nil {
		out.Confidence = *in.Confidence
	}
	if in.ValidFrom != nil {
		out.ValidFrom = *in.ValidFrom
	}
	if in.ValidUntil != nil {
		out.ValidUntil = *in.ValidUntil
	}
	return out
}

func indicatorFilter(r *http.Request) (store.IndicatorFilter, error) {
	q := r.URL.Query()
	var f store.IndicatorFilter
	var v fenghuo.Invalid
	if s := q.Get("indicator_type"); s != "" {
		if f.Type = ioc.Type(s); !ioc.ValidType(f.Type) {
			v.Add(fenghuo.FieldErrorf("indicator_type", "Unknown indicator type %q. / 未知的指标类型。", s))
		}
	}
	if s := q.Get("tlp"); s != "" {
		t, ok := ioc.ParseTLP(s)
		if !ok {
			v.Add(fenghuo.FieldErrorf("tlp", "Unknown TLP label %q. / 未知的TLP等级。", s))
		}
		f.TLP = t
	}
	if s := q.Get("owner_id"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			v.Add(fenghuo.FieldErrorf("owner_id", "owner_id is an org id. / owner_id应为单位编号。"))
		}
		f.OwnerID = id
	}
	return f, v.Err()
}

func (h *Handler) listIndicators(w http.ResponseWriter, r *http.Request) {
	p, err := page(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	f, err := indicatorFilter(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	res, err := h.app.Intel.List(r.Context(), actor(r), f, p)
	if err != nil {
		h.error(w, r, err)
		return
	}
	now := h.app.Core.Now()
	items := []indicatorJSON{}
	for i := range res.Items {
		items = append(items, toIndicator(&res.Items[i], now))
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "total": res.Total, "limit": p.Limit, "offset": p.Offset})
}

func (h *Handler) createIndicator(w http.ResponseWriter, r *http.Request) {
	var in indicatorWrite
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	row, err := h.app.Intel.Create(r.Context(), actor(r), in.input())
	if err != nil {
		h.error(w, r, err)
		return
	}
	created(w, "/api/v1/indicators/"+itoa(row.ID), toIndicator(row, h.app.Core.Now()))
}

func (h *Handler) getIndicator(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	row, err := h.app.Intel.Get(r.Context(), actor(r), id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toIndicator(row, h.app.Core.Now()))
}

// patchIndicator changes the fields sent; the others keep their values.
func (h *Handler) patchIndicator(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	var in indicatorWrite
	if err := decode(w, r, &in); err != nil {
		h.error(w, r, err)
		return
	}
	cur, err := h.app.Intel.Get(r.Context(), actor(r), id)
	if err != nil {
		h.error(w, r, err)
		return
	}
	merged := intel.Input{Type: cur.Type, Value: cur.Value, Name: cur.Name, Description: cur.Description, Source: cur.Source,
		Confidence: cur.Confidence, TLP: cur.TLP, ValidFrom: cur.ValidFrom, ValidUntil: cur.ValidUntil}
	if in.Type != "" {
		merged.Type = in.Type
	}
	if in.Value != "" {
		merged.Value = in.Value
	}
	if in.Name != "" {
		merged.Name = in.Name
	}
	if in.Description != "" {
		merged.Description = in.Description
	}
	if in.Source != "" {
		merged.Source = in.Source
	}
	if in.Confidence != nil {
		merged.Confidence = *in.Confidence
	}
	if in.TLP != "" {
		merged.TLP = in.TLP
	}
	if in.ValidFrom != nil {
		merged.ValidFrom = *in.ValidFrom
	}
	if in.ValidUntil != nil {
		merged.ValidUntil = *in.ValidUntil
	}
	row, err := h.app.Intel.Update(r.Context(), actor(r), id, merged)
	if err != nil {
		h.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toIndicator(row, h.app.Core.Now()))
}

func (h *Handler) deleteIndicator(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.error(w, r, err)
		return
	}
	if err := h.app.Intel.Revoke(r.Context(), actor(r), id); err != nil {
		h.error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// importIndicators takes the document itself as the JSON body.
func (h *Handler) importIndicators(w http.ResponseWriter, r *http.Request) {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		h.error(w, r, fenghuo.Errorf(fenghuo.EINVALID, "Send the STIX bundle or MISP event as JSON with \"Content-Type: application/json\". / 请以JSON格式提交STIX数据包或MISP事件。"))
		return
	}
	q := r.URL.Query()
	var orgID int64
	if s := q.Get("org_id"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			h.error(w, r, fenghuo.FieldErrorf("org_id", "org_id is an org id. / org_id应为单位编号。"))
			return
		}
		orgID = id
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, intel.MaxImportBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			err = fenghuo.FieldErrorf("file", "The document is larger than %d MiB. / 文件超过%d MiB。", intel.MaxImportBytes>>20, intel.MaxImportBytes>>20)
		}
		h.error(w, r, err)
		return
	}
	res, err := h.app.Intel.Import(r.Context(), actor(r), orgID, data, ioc.TLP(q.Get("tlp")))
	if err != nil {
		h.error(w, r, err)
		return
	}
	skipped := []map[string]string{}
	for _, p := range res.Skipped {
		skipped = append(skipped, map[string]string{"object": p.Object, "reason": p.Reason})
	}
	writeJSON(w, http.StatusOK, map[string]any{"format": res.Format, "added": res.Added, "updated": res.Updated,
		"unchanged": res.Unchanged, "skipped": skipped, "ignored": res.Ignored})
}

func (h *Handler) exportIndicators(w http.ResponseWriter, r *http.Request) {
	f, err := indicatorFilter(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	doc, name, err := h.app.Intel.Export(r.Context(), actor(r), r.URL.Query().Get("format"), f)
	if err != nil {
		h.error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	w.Write(doc)
}

func indicatorSchemas() obj {
	types := make([]string, len(ioc.Types))
	for i, t := range ioc.Types {
		types[i] = string(t)
	}
	tlps := make([]string, len(ioc.TLPs))
	for i, t := range ioc.TLPs {
		tlps[i] = string(t)
	}
	typ := obj{"type": "string", "enum": types, "description": "md5, sha1, sha256, ipv4 / ipv6 (an address or a CIDR network), domain (also matches its subdomains), url, email, cve"}
	tlp := obj{"type": "string", "enum": tlps, "description": "TLP 2.0: CLEAR everyone; GREEN the owner's province tree; AMBER the owner and its subtree; AMBER+STRICT and RED the owner only"}
	return obj{
		"Indicator": object(obj{"id": integer, "stix_id": obj{"type": "string", "description": "indicator--<uuid> (vulnerability--<uuid> for a CVE)"},
			"type": typ, "value": obj{"type": "string", "description": "Normalised: lower-case hashes and domains, punycode, canonical URL, parsed address"},
			"name": str, "description": str, "source": str, "confidence": obj{"type": "integer", "minimum": 0, "maximum": 100},
			"tlp": tlp, "valid_from": whenNil, "valid_until": whenNil, "expired": boolean, "owner": orgRefProp,
			"created_by": integer, "created_at": when, "updated_at": when, "revoked_at": whenNil}),
		"IndicatorList": object(obj{"items": arrayOf(ref("Indicator")), "total": integer, "limit": integer, "offset": integer}, "items"),
		"IndicatorWrite": object(obj{"org_id": obj{"type": "integer", "description": "The owning org (default the caller's; create only)"},
			"type": typ, "value": str, "name": str, "description": str, "source": obj{"type": "string", "description": "Default: the owning org's name"},
			"confidence": obj{"type": "integer", "minimum": 0, "maximum": 100, "description": "Default 50"}, "tlp": tlp,
			"valid_from": when, "valid_until": obj{"type": "string", "format": "date-time", "description": "Expiry: the indicator stops matching then"}}),
		"IndicatorDocument": obj{"type": "object", "description": "A STIX 2.1 bundle ({\"type\":\"bundle\",\"objects\":[…]}: indicators with stix patterns, vulnerabilities, TLP 1.0/2.0 marking definitions) or a MISP event ({\"Event\":{…}}); told apart by shape"},
		"IndicatorImport": object(obj{"format": enum("stix", "misp"), "added": integer, "updated": integer, "unchanged": integer,
			"ignored": obj{"type": "integer", "description": "Objects that carry no indicator (identities, relationships, malware …)"},
			"skipped": arrayOf(object(obj{"object": obj{"type": "string", "description": "STIX id, MISP uuid or position"}, "reason": str}))},
			"format", "added", "updated", "unchanged", "skipped"),
	}
}
