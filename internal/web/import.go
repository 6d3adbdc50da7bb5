package web

import (
	"fenghuo/internal/app/directory"
	"fenghuo/internal/sheets"
	"fenghuo/internal/store"
	"net/http"
)

type importData struct {
	Problems []directory.ImportError
	Imported int
}

func (h *Handler) importPage(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, "import", &view{Actor: actor(r), Title: "system.import.title", Nav: "systems", Data: importData{}})
}

// importSystems reads an XLSX or CSV register and stores every row or none.
func (h *Handler) importSystems(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	v := &view{Actor: ac, Title: "system.import.title", Nav: "systems"}
	r.Body = http.MaxBytesReader(w, r.Body, sheets.DefaultMaxBytes+1<<20)
	f, hdr, err := r.FormFile("file")
	if err != nil {
		v.Error = "Choose an XLSX or CSV file of at most 10 MB. / 请选择不超过10MB的XLSX或CSV文件。"
		v.Data = importData{}
		h.render(w, r, http.StatusBadRequest, "import", v)
		return
	}
	defer f.Close()
	n, problems, err := h.app.Directory.ImportSystemsFile(r.Context(), ac, hdr.Filename, f)
	if err != nil {
		v.Data = importData{Problems: problems}
		_, v.Error = fieldErrors(err)
		if len(problems) > 0 {
			v.Error = translate(requestLang(r, ac.User.Locale), "system.import.none")
		}
		h.render(w, r, http.StatusBadRequest, "import", v)
		return
	}
	v.Data = importData{Imported: n}
	h.render(w, r, http.StatusOK, "import", v)
}

func (h *Handler) importTemplate(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="systems-template.xlsx"`)
	sheets.WriteTemplateXLSX(w, requestLang(r, actor(r).User.Locale))
}

// exportSystems writes the systems in scope as XLSX; the export is audited.
func (h *Handler) exportSystems(w http.ResponseWriter, r *http.Request) {
	ac := actor(r)
	res, err := h.app.Directory.Systems(r.Context(), ac, store.SystemFilter{}, store.Page{Limit: store.MaxLimit})
	if err != nil {
		h.fail(w, r, ac, err)
		return
	}
	if err := h.app.Core.RecordExport(r.Context(), ac, "systems", len(res.Items)); err != nil {
		h.fail(w, r, ac, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="systems.xlsx"`)
	sheets.WriteSystemsXLSX(w, res.Items, h.orgNames(r), requestLang(r, ac.User.Locale))
}
