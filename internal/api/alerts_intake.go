package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"

	"fenghuo/internal/app/intake"
	"fenghuo/internal/fenghuo"
)

// maxAlertBody bounds one intake batch: several megabytes of NDJSON.
const maxAlertBody = 16 << 20

// alertFormats are the values of ?format= ("" detects per record).
var alertFormats = []string{"", "wazuh", "wazuh-webhook", "suricata", "generic"}

type rejectedJSON struct {
	Line    int    `json:"line"`
	Message string `json:"message"`
}

type alertIntakeJSON struct {
	Accepted int            `json:"accepted"`
	Rejected []rejectedJSON `json:"rejected"`
}

// ingestAlerts takes a batch from a sensor under its intake token and
// answers only after the events are committed.
func (h *Handler) ingestAlerts(w http.ResponseWriter, r *http.Request) {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || strings.TrimSpace(token) == "" {
		h.error(w, r, fenghuo.Errorf(fenghuo.EUNAUTHORIZED, "Send the sensor's intake token as \"Authorization: Bearer fhi_…\" (an API token or a log-in does not send alerts). / 请在请求头中以“Authorization: Bearer fhi_…”提供设备的接入令牌（API令牌或登录会话不能发送告警）。"))
		return
	}
	src, row, err := h.app.Intake.Authenticate(r.Context(), strings.TrimSpace(token))
	if err != nil {
		h.error(w, r, err)
		return
	}
	format := r.URL.Query().Get("format")
	if !slices.Contains(alertFormats, format) {
		h.error(w, r, fenghuo.FieldErrorf("format", "Unknown format %q: wazuh, wazuh-webhook, suricata or generic (or none to detect). / 格式不正确。", format))
		return
	}
	body := http.MaxBytesReader(w, r.Body, maxAlertBody)
	events, bad, err := intake.DecodeBatch(format, r.Header.Get("Content-Type"), body, row.Mapping, intake.MaxBatch, h.app.Core.Now())
	var tooBig *http.MaxBytesError
	var fe *fenghuo.Error
	switch {
	case errors.As(err, &tooBig):
		writeError(w, r, http.StatusRequestEntityTooLarge, &fenghuo.Error{Code: "too_large",
			Message: "The batch is larger than 16 MB: send it in smaller batches. / 单批数据超过16MB，请分批发送。"})
		return
	case errors.As(err, &fe): // the batch's own fault, said by the decoder
		h.error(w, r, err)
		return
	case err != nil:
		h.error(w, r, fenghuo.Errorf(fenghuo.EINVALID, "The batch could not be read to its end; send it again. / 数据未能完整读取，请重新发送。"))
		return
	}
	if err := h.app.Intake.Accept(r.Context(), src, events); err != nil {
		h.error(w, r, err)
		return
	}
	out := alertIntakeJSON{Accepted: len(events), Rejected: make([]rejectedJSON, 0, len(bad))}
	for _, b := range bad {
		out.Rejected = append(out.Rejected, rejectedJSON{Line: b.Line, Message: b.Err.Error()})
	}
	writeJSON(w, http.StatusOK, out)
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}
