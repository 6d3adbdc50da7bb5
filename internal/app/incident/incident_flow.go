package incident

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/emmansun/gmsm/sm3"

	"fenghuo/internal/app"
	"fenghuo/internal/durable"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/phrase"
	"fenghuo/internal/plan"
	"fenghuo/internal/store"
)

// Transition moves an incident through its lifecycle. Only an activation
// (internal/app/response) sets it responding, and a level in force ends on
// the response page; leaving a response (recovering) starts the deadlines
// counted from the end of the response (investigation 30 days, summary 20
// working days); closing ends handling, starts the deadlines counted from
// it, and marks reports never filed as missed (漏报).
func (a *Service) Transition(ctx context.Context, ac *app.Actor, id int64, to fenghuo.IncidentStatus, reason string) (*fenghuo.Incident, error) {
	var inc *fenghuo.Incident
	err := a.write(ctx, func(tx *store.Tx) error {
		var unit *fenghuo.Org
		var err error
		if inc, unit, err = a.incidentAccess(ctx, tx, ac, id, fenghuo.PermIncidentWrite); err != nil {
			return err
		}
		reports, err := tx.Reports(ctx, id)
		if err != nil {
			return err
		}
		hasFinal := false
		for _, r := range reports {
			hasFinal = hasFinal || r.Kind == fenghuo.ReportFinal
		}
		inc.CloseReason = reason
		if err := inc.CanTransition(to, hasFinal); err != nil {
			return err
		}
		if err := responseGuard(ctx, tx, inc, to); err != nil {
			return err
		}
		from := inc.Status
		now := a.core.Now()
		inc.Status = to
		switch to {
		case fenghuo.StatusRecovering:
			if err := a.endResponse(ctx, tx, inc, unit, now); err != nil {
				return err
			}
		case fenghuo.StatusClosed:
			inc.HandlingEndedAt = now
			if err := a.endResponse(ctx, tx, inc, unit, now); err != nil {
				return err
			}
			if from != fenghuo.StatusDraft {
				if err := a.deadlineDuties(ctx, tx, inc, unit, plan.EventHandlingEnd, now); err != nil {
					return err
				}
			}
			if err := a.missOpenReports(ctx, tx, inc.ID); err != nil {
				return err
			}
		}
		if err := tx.UpdateIncident(ctx, inc); err != nil {
			return err
		}
		body := phrase.New("status.changed", "from", phrase.Status(from), "to", phrase.Status(to))
		if reason != "" {
			body = phrase.New("status.reason", "from", phrase.Status(from), "to", phrase.Status(to), "reason", reason)
		}
		if err := a.timeline(ctx, tx, ac, inc.ID, "status", body, map[string]string{"from": string(from), "to": string(to)}); err != nil {
			return err
		}
		return a.core.Record(ctx, tx, ac, "incident.status", "incident", incidentRef(id), "success", map[string]string{"from": string(from), "to": string(to)})
	})
	return inc, err
}

// missOpenReports marks the report duties still open when an incident
// closes as missed.
func (a *Service) missOpenReports(ctx context.Context, tx *store.Tx, incidentID int64) error {
	obs, err := tx.Obligations(ctx, store.ObligationFilter{IncidentID: incidentID, State: fenghuo.ObligationOpen}, store.Page{Limit: store.MaxLimit})
	if err != nil {
		return err
	}
	for i := range obs.Items {
		o := &obs.Items[i]
		if o.Kind != KindReport && o.Kind != KindForward {
			continue
		}
		o.State, o.DoneNote = fenghuo.ObligationMissed, "incident closed before it was done"
		if err := tx.UpdateObligation(ctx, o); err != nil {
			return err
		}
	}
	return nil
}

// AddNote appends a note to the incident's timeline.
func (a *Service) AddNote(ctx context.Context, ac *app.Actor, id int64, text string) error {
	text = strings.TrimSpace(text)
	if text == "" || len([]rune(text)) > 4000 {
		return fenghuo.FieldErrorf("text", "Write a note of up to 4000 characters. / 请填写记录（不超过4000字）。")
	}
	return a.write(ctx, func(tx *store.Tx) error {
		if _, _, err := a.incidentAccess(ctx, tx, ac, id, fenghuo.PermIncidentRead); err != nil {
			return err
		}
		if !ac.Can(fenghuo.PermIncidentWrite) && !ac.Can(fenghuo.PermIncidentReceive) {
			return app.ErrForbidden
		}
		if err := a.timeline(ctx, tx, ac, id, "note", text, nil); err != nil {
			return err
		}
		return a.core.Record(ctx, tx, ac, "incident.note", "incident", incidentRef(id), "success", nil)
	})
}

// MaxEvidenceBytes bounds one evidence upload.
const MaxEvidenceBytes = 20 << 20

// evidenceTypes are the kinds of file accepted as evidence, by extension,
// with the content types the sniffer may report for them.
var evidenceTypes = map[string][]string{
	".png": {"image/png"}, ".jpg": {"image/jpeg"}, ".jpeg": {"image/jpeg"}, ".gif": {"image/gif"},
	".pdf": {"application/pdf"}, ".txt": {"text/plain"}, ".log": {"text/plain"}, ".csv": {"text/plain"},
	".json": {"text/plain"}, ".eml": {"text/plain"}, ".html": {"text/html", "text/plain"}, ".htm": {"text/html", "text/plain"},
	".zip": {"application/zip"}, ".docx": {"application/zip"}, ".xlsx": {"application/zip"},
	".pcap": {"application/octet-stream"}, ".pcapng": {"application/octet-stream"},
}

// StoredFile is an uploaded file written by SaveEvidenceFile: its name as
// given (base name only), the content type its extension stands for, its
// size, SM3 digest and the key it is stored under in the evidence
// directory. Remove deletes it again (when the row naming it cannot be
// stored).
type StoredFile struct {
	Name, ContentType, SM3, StorageKey string
	Size                               int64
	Remove                             func()
}

// SaveEvidenceFile stores an uploaded file in dir (outside any served path)
// under a random key, with its SM3 digest, after checking its kind by
// extension, its size and that its content matches its extension; the file
// and its directory entry are on disk when it returns. Incident evidence
// and findings' rectification evidence both go through it.
func SaveEvidenceFile(dir, filename string, r io.Reader) (*StoredFile, error) {
	name := filepath.Base(strings.ReplaceAll(filename, "\\", "/"))
	ext := strings.ToLower(filepath.Ext(name))
	allowed, ok := evidenceTypes[ext]
	if !ok || name == "." || len(name) > 200 {
		return nil, fenghuo.FieldErrorf("file", "This kind of file is not accepted as evidence: use an image, PDF, text, log, CSV, ZIP, DOCX, XLSX or PCAP file. / 不支持该文件类型。")
	}
	if dir == "" {
		return nil, fenghuo.Errorf(fenghuo.EINTERNAL, "evidence storage is not configured")
	}
	if _, err := os.Stat(dir); os.IsNotExist(err) {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, err
		}
		if err := durable.SyncDir(filepath.Dir(dir)); err != nil {
			return nil, err
		}
	}
	key := make([]byte, 16)
	rand.Read(key)
	storageKey := hex.EncodeToString(key)
	path := filepath.Join(dir, storageKey)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, err
	}
	h := sm3.New()
	head := make([]byte, 512)
	n, _ := io.ReadFull(r, head)
	head = head[:n]
	size, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(io.MultiReader(strings.NewReader(string(head)), r), MaxEvidenceBytes+1))
	fail := func(e error) (*StoredFile, error) { f.Close(); os.Remove(path); return nil, e }
	if err != nil {
		return fail(err)
	}
	if size > MaxEvidenceBytes {
		return fail(fenghuo.FieldErrorf("file", "The file is larger than %d MB. / 文件超过%dMB。", MaxEvidenceBytes>>20, MaxEvidenceBytes>>20))
	}
	if size == 0 {
		return fail(fenghuo.FieldErrorf("file", "The file is empty. / 文件为空。"))
	}
	sniffed := http.DetectContentType(head)
	match := false
	for _, t := range allowed {
		match = match || strings.HasPrefix(sniffed, t)
	}
	if !match {
		return fail(fenghuo.FieldErrorf("file", "The file's content (%s) does not match its name %s. / 文件内容与扩展名不符。", sniffed, ext))
	}
	// The file and its directory entry reach the disk before the row that
	// carries its SM3 digest commits: after a power cut, no row names an
	// empty or missing file.
	if err := durable.Close(f); err != nil {
		return fail(err)
	}
	return &StoredFile{Name: name, ContentType: allowed[0], SM3: hex.EncodeToString(h.Sum(nil)), StorageKey: storageKey,
		Size: size, Remove: func() { os.Remove(path) }}, nil
}

// AddEvidence stores an uploaded file outside any served path, with its
// SM3 digest, after checking its size and that its content matches its
// extension (SaveEvidenceFile). The caller sets the limit on the reader too.
func (a *Service) AddEvidence(ctx context.Context, ac *app.Actor, id int64, filename string, r io.Reader, note string) (*store.Evidence, error) {
	name := filepath.Base(strings.ReplaceAll(filename, "\\", "/"))
	if _, ok := evidenceTypes[strings.ToLower(filepath.Ext(name))]; !ok || name == "." || len(name) > 200 {
		return nil, fenghuo.FieldErrorf("file", "This kind of file is not accepted as evidence: use an image, PDF, text, log, CSV, ZIP, DOCX, XLSX or PCAP file. / 不支持该文件类型。")
	}
	if _, err := a.Incident(ctx, ac, id); err != nil {
		return nil, err
	}
	if !ac.Can(fenghuo.PermIncidentWrite) {
		return nil, app.ErrForbidden
	}
	sf, err := SaveEvidenceFile(a.core.Config().EvidenceDir, filename, r)
	if err != nil {
		return nil, err
	}
	name, size := sf.Name, sf.Size
	ev := &store.Evidence{IncidentID: id, Filename: name, ContentType: sf.ContentType, Size: size,
		SM3: sf.SM3, StorageKey: sf.StorageKey, Note: note, UploadedBy: ac.User.ID}
	err = a.write(ctx, func(tx *store.Tx) error {
		if err := tx.CreateEvidence(ctx, ev); err != nil {
			return err
		}
		if err := a.timeline(ctx, tx, ac, id, "evidence", phrase.New("evidence.uploaded", "name", name, "size", phrase.Text(fmt.Sprint(size)), "sm3", ev.SM3[:16]), map[string]any{"evidence": ev.ID, "sm3": ev.SM3}); err != nil {
			return err
		}
		return a.core.Record(ctx, tx, ac, "incident.evidence", "incident", incidentRef(id), "success", map[string]any{"file": name, "sm3": ev.SM3, "size": size})
	})
	if err != nil {
		sf.Remove()
		return nil, err
	}
	return ev, nil
}

// OpenEvidence returns an evidence record and its file for download, after
// checking the actor may see the incident; the download is audited
// (export.evidence, whatever audit_reads says), and not served when the
// entry cannot be written.
func (a *Service) OpenEvidence(ctx context.Context, ac *app.Actor, evidenceID int64) (*store.Evidence, *os.File, error) {
	ev, err := a.core.DB().Evidence(ctx, evidenceID)
	if err != nil {
		return nil, nil, err
	}
	if _, err := a.Incident(ctx, ac, ev.IncidentID); err != nil {
		return nil, nil, err
	}
	f, err := os.Open(filepath.Join(a.core.Config().EvidenceDir, ev.StorageKey))
	if err != nil {
		return nil, nil, err
	}
	// Every export is audited (C12): one that cannot be is not served.
	if err := a.core.RecordAlone(ctx, ac, "export.evidence", "incident", incidentRef(ev.IncidentID), "success", map[string]any{"evidence": ev.ID}); err != nil {
		f.Close()
		return nil, nil, err
	}
	return ev, f, nil
}

// Timeline returns an incident's record and whether its hash chain holds
// (broken names the first bad entry, 0 when intact).
func (a *Service) Timeline(ctx context.Context, ac *app.Actor, id int64) ([]store.TimelineEntry, int, error) {
	if _, err := a.Incident(ctx, ac, id); err != nil {
		return nil, 0, err
	}
	return a.core.DB().Timeline(ctx, id)
}

// Reports returns an incident's reports and where they went.
func (a *Service) Reports(ctx context.Context, ac *app.Actor, id int64) ([]fenghuo.Report, []store.Delivery, error) {
	if _, err := a.Incident(ctx, ac, id); err != nil {
		return nil, nil, err
	}
	reports, err := a.core.DB().Reports(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	deliveries, err := a.core.DB().Deliveries(ctx, id)
	return reports, deliveries, err
}

// ViewReports is Reports for a caller reading them through the API: the
// view is audited as a read of the incident's reports (the console's tab
// uses ViewReportsPage).
func (a *Service) ViewReports(ctx context.Context, ac *app.Actor, id int64) ([]fenghuo.Report, []store.Delivery, error) {
	reports, deliveries, err := a.Reports(ctx, ac, id)
	if err != nil {
		return nil, nil, err
	}
	if err := a.core.RecordRead(ctx, ac, "report", "incident", incidentRef(id), false, map[string]int{"reports": len(reports)}); err != nil {
		return nil, nil, err
	}
	return reports, deliveries, nil
}

// GradeHistory returns the incident's gradings, oldest first.
func (a *Service) GradeHistory(ctx context.Context, ac *app.Actor, id int64) ([]store.GradeRecord, error) {
	if _, err := a.Incident(ctx, ac, id); err != nil {
		return nil, err
	}
	hist, err := a.core.DB().GradeHistory(ctx, id)
	if err != nil {
		return nil, err
	}
	// People read the history: name the person by display name (the
	// record keeps the username it was written with), the username apart.
	users := map[int64]*fenghuo.User{}
	for i := range hist {
		r := &hist[i]
		if r.ActorID == 0 {
			continue
		}
		u, ok := users[r.ActorID]
		if !ok {
			if u, err = a.core.DB().User(ctx, r.ActorID); err != nil && fenghuo.ErrorCode(err) != fenghuo.ENOTFOUND {
				return nil, err
			}
			users[r.ActorID] = u
		}
		if u == nil {
			continue
		}
		r.ActorUsername = u.Username
		if u.DisplayName != "" {
			r.ActorName = u.DisplayName
		}
	}
	return hist, nil
}
