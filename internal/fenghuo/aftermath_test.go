package fenghuo

import "testing"

func TestAftermathTransitions(t *testing.T) {
	states := []string{DocDraft, DocSubmitted, DocApproved, DocReturned, DocWithdrawn}
	allowed := map[[2]string]bool{
		{DocDraft, DocSubmitted}:     true,
		{DocSubmitted, DocApproved}:  true,
		{DocSubmitted, DocReturned}:  true,
		{DocSubmitted, DocWithdrawn}: true,
	}
	for _, from := range states {
		for _, to := range states {
			if got := AftermathTransitionAllowed(from, to); got != allowed[[2]string{from, to}] {
				t.Errorf("AftermathTransitionAllowed(%q, %q) = %v", from, to, got)
			}
		}
	}
	for _, from := range []string{ImprovementOpen, ImprovementDone, ImprovementCancelled} {
		for _, to := range []string{ImprovementOpen, ImprovementDone, ImprovementCancelled} {
			want := from == ImprovementOpen && to != ImprovementOpen
			if got := ImprovementTransitionAllowed(from, to); got != want {
				t.Errorf("ImprovementTransitionAllowed(%q, %q) = %v", from, to, got)
			}
		}
	}
}

// §5.2: the investigation report covers cause, nature, impact,
// responsibility, handling opinion and improvement measures.
func TestAftermathDocumentValidate(t *testing.T) {
	for _, kind := range AftermathKinds {
		if len(AftermathSections(kind)) == 0 {
			t.Errorf("kind %s has no sections", kind)
		}
	}
	d := AftermathDocument{Kind: DocInvestigation, Body: map[string]string{"cause": "弱口令被利用"}}
	if err := d.Validate(false); err != nil {
		t.Fatalf("incomplete draft refused: %v", err)
	}
	if e, ok := d.Validate(true).(*Error); !ok || e.Field != "nature" {
		t.Fatalf("submit with empty nature: %v", d.Validate(true))
	}
	for _, k := range AftermathSections(DocInvestigation) {
		d.Body[k] = "已填写"
	}
	if err := d.Validate(true); err != nil {
		t.Fatalf("complete report refused: %v", err)
	}
	d.Body["price"] = "x"
	if e, ok := d.Validate(false).(*Error); !ok || e.Field != "price" {
		t.Fatalf("unknown section accepted: %v", d.Validate(false))
	}
	bad := AftermathDocument{Kind: "memo"}
	if e, ok := bad.Validate(false).(*Error); !ok || e.Field != "kind" {
		t.Fatalf("unknown kind accepted")
	}
}

func TestAccountabilityRecordValidate(t *testing.T) {
	r := AccountabilityRecord{Kind: RecordAccountability, Subject: "东港市自来水公司", Basis: "001 §5.4.2(2) 迟报", Decision: "通报批评"}
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	for field, mod := range map[string]func(*AccountabilityRecord){
		"kind":     func(r *AccountabilityRecord) { r.Kind = "fine" },
		"subject":  func(r *AccountabilityRecord) { r.Subject = "" },
		"basis":    func(r *AccountabilityRecord) { r.Basis = " " },
		"decision": func(r *AccountabilityRecord) { r.Decision = "" },
	} {
		c := r
		mod(&c)
		if e, ok := c.Validate().(*Error); !ok || e.Field != field {
			t.Errorf("%s: %v", field, c.Validate())
		}
	}
}
