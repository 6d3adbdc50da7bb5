package api

import (
	"bytes"
	"net/http"

	"fenghuo/internal/fenghuo"
	"fenghuo/internal/sheets"
	"fenghuo/internal/store"
)

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// exportSystems writes the systems in scope matching the list's filters as
// the XLSX register that the console's import reads back. The export is
// audited before a byte is sent, so no copy leaves without its record.
func (h *Handler) exportSystems(w http.ResponseWriter, r *http.Request) {
	f, err := systemFilter(r)
	if err != nil {
		h.error(w, r, err)
		return
	}
	ctx, ac := r.Context(), actor(r)
	var systems []fenghuo.System
	for p := (store.Page{Limit: store.MaxLimit}); ; p.Offset += p.Limit {
		res, err := h.app.Directory.Systems(ctx, ac, f, p)
		if err != nil {
			h.error(w, r, err)
			return
		}
		systems = append(systems, res.Items...)
		if len(res.Items) < p.Limit || len(systems) >= res.Total {
			break
		}
	}
	names := map[int64]string{}
	for p := (store.Page{Limit: store.MaxLimit}); ; p.Offset += p.Limit {
		res, err := h.app.Directory.Orgs(ctx, ac, store.OrgFilter{}, p)
		if err != nil {
			h.error(w, r, err)
			return
		}
		for _, o := range res.Items {
			names[o.ID] = o.Name
		}
		if len(res.Items) < p.Limit {
			break
		}
	}
	var buf bytes.Buffer
	if err := sheets.WriteSystemsXLSX(&buf, systems, names, r.URL.Query().Get("lang")); err != nil {
		h.error(w, r, err)
		return
	}
	if err := h.app.Core.RecordExport(ctx, ac, "systems", len(systems)); err != nil {
		h.error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", xlsxType)
	w.Header().Set("Content-Disposition", `attachment; filename="systems.xlsx"`)
	w.Write(buf.Bytes())
}
