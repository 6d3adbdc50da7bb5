package fenghuo

import (
	"errors"
	"testing"
	"time"
)

func TestInvalidCollectsEveryField(t *testing.T) {
	var v Invalid
	if v.Err() != nil {
		t.Fatal("empty Invalid is an error")
	}
	v.Add(nil)
	v.Add(FieldErrorf("title", "a"))
	v.Add(FieldErrorf("title", "second message for the same field"))
	v.Add(FieldErrorf("caller", "b"))
	err := v.Err()
	if ErrorCode(err) != EINVALID {
		t.Fatalf("code %q", ErrorCode(err))
	}
	got := FieldErrors(err)
	if len(got) != 2 || got[0].Field != "title" || got[0].Message != "a" || got[1].Field != "caller" {
		t.Fatalf("errors %+v", got)
	}
	var e *Error
	if !errors.As(err, &e) || e.Field != "title" {
		t.Fatalf("errors.As finds %+v", e)
	}
}

func TestIncidentValidateReportsAllFields(t *testing.T) {
	inc := &Incident{Channel: "phone", OccurredAt: time.Now(), DiscoveredAt: time.Now().Add(-time.Hour)}
	fields := map[string]bool{}
	for _, e := range FieldErrors(inc.Validate()) {
		fields[e.Field] = true
	}
	for _, f := range []string{"org_id", "title", "occurred_at", "caller"} {
		if !fields[f] {
			t.Errorf("no error for %s in %v", f, fields)
		}
	}
}
