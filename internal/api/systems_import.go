package api

import (
	"fenghuo/internal/phrase"
	"mime"
	"net/http"

	"fenghuo/internal/fenghuo"
	"fenghuo/internal/sheets"
)

type importProblem struct {
	Row     int    `json:"row"`
	Column  string `json:"column,omitempty"`
	Message string `json:"message"`
}

// importSystems takes a register as units hand it in (XLSX or CSV, GBK
// too) and imports all of it or nothing: any problem answers 400 with every
// problem by row and column.
func (h *Handler) importSystems(w http.ResponseWriter, r *http.Request) {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "multipart/form-data" {
		h.error(w, r, fenghuo.FieldErrorf("file", "Upload the register as multipart/form-data in the field \"file\" (.xlsx or .csv). / 请以multipart/form-data上传XLSX或CSV文件。"))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, sheets.DefaultMaxBytes+1<<20)
	f, hdr, err := r.FormFile("file")
	if err != nil {
		h.error(w, r, fenghuo.FieldErrorf("file", "No file in the field \"file\", or it is larger than %d MB. / 未找到文件或文件过大。", sheets.DefaultMaxBytes>>20))
		return
	}
	defer f.Close()
	n, problems, err := h.app.Directory.ImportSystemsFile(r.Context(), actor(r), hdr.Filename, f)
	if err != nil && len(problems) == 0 {
		h.error(w, r, err)
		return
	}
	if len(problems) > 0 {
		out := make([]importProblem, len(problems))
		for i, p := range problems {
			out[i] = importProblem{p.Row, p.Column, phrase.InLang(p.Message, answerLang(r))}
		}
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": map[string]any{"code": fenghuo.EINVALID,
			"message": phrase.InLang("Nothing was imported: mend the rows listed and upload again. / 未导入任何数据，请修改所列行后重新上传。", answerLang(r)), "problems": out}})
		return
	}
	writeJSON(w, http.StatusOK, map[string]int{"imported": n})
}
