package inspection

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"fenghuo/internal/app"
	"fenghuo/internal/app/incident"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// Evidence files. An answer says what was checked and where the record is
// kept (a note); where the checklist item asks for its evidence as a file
// (evidence_file), a compliant answer also needs an uploaded file: a
// screenshot, a configuration export, a scan report. Files go through the
// same safe upload as incident and rectification evidence (kind by
// extension and content, 20 MB, SM3, stored outside any served path) and
// are seen by whoever may see the unit's answers: the issuer's side and the
// unit's own subtree.

// Upload is one file sent with answers, for one item.
type Upload struct {
	ItemID   string
	Filename string
	Body     io.Reader
	Note     string
}

// AddEvidence stores one file for an item of a unit's answers while the
// unit may still answer; it is listed with the answer and counts for the
// item's required evidence.
func (s *Service) AddEvidence(ctx context.Context, ac *app.Actor, campaignID, orgID int64, up Upload) (*fenghuo.InspectionEvidence, error) {
	f, err := s.AnswerWithFiles(ctx, ac, campaignID, orgID, nil, []Upload{up}, false)
	if err != nil {
		return nil, err
	}
	for _, it := range f.Items {
		if it.ID == up.ItemID && len(it.Files) > 0 {
			ev := it.Files[len(it.Files)-1]
			return &ev, nil
		}
	}
	return nil, fenghuo.Errorf(fenghuo.EINTERNAL, "the stored file is not listed")
}

// storeUploads writes the files to the evidence directory before the
// transaction (a failed transaction removes them again) and returns their
// records, not yet stored.
func (s *Service) storeUploads(ups []Upload) ([]fenghuo.InspectionEvidence, func(), error) {
	var saved []*incident.StoredFile
	undo := func() {
		for _, sf := range saved {
			sf.Remove()
		}
	}
	var out []fenghuo.InspectionEvidence
	for _, up := range ups {
		note := strings.TrimSpace(up.Note)
		if utf8.RuneCountInString(note) > 1000 {
			undo()
			return nil, nil, fenghuo.FieldErrorf("note", "Keep the note under 1,000 characters. / 说明不超过1000字。")
		}
		sf, err := incident.SaveEvidenceFile(s.core.Config().EvidenceDir, up.Filename, up.Body)
		if err != nil {
			undo()
			return nil, nil, err
		}
		saved = append(saved, sf)
		out = append(out, fenghuo.InspectionEvidence{ItemID: up.ItemID, Filename: sf.Name, ContentType: sf.ContentType,
			Size: sf.Size, SM3: sf.SM3, StorageKey: sf.StorageKey, Note: note})
	}
	return out, undo, nil
}

// OpenEvidence returns an answer file for download to an actor who may see
// the unit's answers; the download is audited.
func (s *Service) OpenEvidence(ctx context.Context, ac *app.Actor, evidenceID int64) (*fenghuo.InspectionEvidence, *os.File, error) {
	if err := app.Require(ac, fenghuo.PermSystemRead); err != nil {
		return nil, nil, err
	}
	var ev *fenghuo.InspectionEvidence
	err := s.core.DB().View(ctx, func(tx *store.Tx) error {
		var err error
		if ev, err = tx.InspectionEvidence(ctx, evidenceID); err != nil {
			return err
		}
		if _, _, _, err := s.access(ctx, tx, ac, ev.CampaignID, ev.OrgID); err != nil {
			return fenghuo.Errorf(fenghuo.ENOTFOUND, "Evidence %d not found. / 未找到该证明材料。", evidenceID)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	file, err := os.Open(filepath.Join(s.core.Config().EvidenceDir, ev.StorageKey))
	if err != nil {
		return nil, nil, err
	}
	if err := s.core.RecordAlone(ctx, ac, "export.inspection_evidence", "inspection", strconv.FormatInt(ev.CampaignID, 10), "success",
		map[string]any{"evidence": ev.ID, "unit": ev.OrgID, "item": ev.ItemID}); err != nil {
		file.Close()
		return nil, nil, err
	}
	return ev, file, nil
}

// access loads a campaign, its issuer and a unit for an actor who may see
// the unit's answers: the issuer's side sees every unit, a unit (or an
// office above it) its own.
func (s *Service) access(ctx context.Context, tx *store.Tx, ac *app.Actor, campaignID, orgID int64) (*fenghuo.Campaign, *fenghuo.Org, *fenghuo.Org, error) {
	c, err := tx.Campaign(ctx, campaignID)
	if err != nil {
		return nil, nil, nil, err
	}
	issuer, err := tx.Org(ctx, c.OrgID)
	if err != nil {
		return nil, nil, nil, err
	}
	unit, err := tx.Org(ctx, orgID)
	if err != nil {
		return nil, nil, nil, err
	}
	if !fenghuo.InSubtree(ac.Org.Path, issuer.Path) && !fenghuo.InSubtree(ac.Org.Path, unit.Path) {
		return nil, nil, nil, fenghuo.Errorf(fenghuo.ENOTFOUND, "Inspection campaign %d not found. / 未找到该检查。", campaignID)
	}
	return c, issuer, unit, nil
}

// missingFile is the error of a compliant answer to an item that asks for
// its evidence as a file when none is uploaded.
func missingFile(it FormItem) error {
	// The English half names the item by its id: the console shows one
	// language, and a half with Chinese in it is not told apart.
	return fenghuo.FieldErrorf("file."+it.ID, "Item %s asks for its evidence as a file: upload it to answer compliant. / 检查项“%s”要求上传证明材料（%s），请上传文件后再填报“符合”。",
		it.ID, it.Text.ZH, it.Evidence.ZH)
}

func describeFiles(files []fenghuo.InspectionEvidence) string {
	var parts []string
	for _, e := range files {
		parts = append(parts, fmt.Sprintf("%s(SM3 %s)", e.Filename, e.SM3[:16]))
	}
	return strings.Join(parts, "、")
}
