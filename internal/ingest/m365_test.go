package ingest

import (
	"testing"
	"time"
)

// testdata/m365/audit.json: Microsoft 365 unified audit records in the
// Office 365 Management Activity API common and ExchangeAdmin schemas
// (CreationTime, Id, Operation, OrganizationId, RecordType 1, ResultStatus,
// UserKey, UserType, Version, Workload, ClientIP, ObjectId, UserId,
// ExternalAccess, OrganizationName, OriginatingServer, Parameters).
func TestM365InboxRules(t *testing.T) {
	lines := readLines(t, "testdata/m365/audit.json")
	tests := []struct {
		time time.Time
		want map[string]any
	}{
		{time.Date(2026, 3, 5, 2, 10, 44, 0, time.UTC), map[string]any{
			"event.module": "m365", "event.provider": "Exchange", "event.action": "New-InboxRule",
			"event.outcome": "success", "user.name": "zhangwei@example.gov.cn", "source.ip": "185.220.101.1",
			"email.to.address": []string{"drop@evil-domain.example", "backup@evil-domain.example"},
			"event.category":   []string{"email", "configuration"}, "m365.parameters.Name": "Sync",
			"m365.parameters.ForwardTo": "drop@evil-domain.example;backup@evil-domain.example",
			"Operation":                 "New-InboxRule", "Parameters.Name": []string{"AlwaysDeleteOutlookRulesBlob", "Force", "Name", "ForwardTo", "MarkAsRead", "StopProcessingRules"},
		}},
		{time.Date(2026, 3, 5, 2, 12, 3, 0, time.UTC), map[string]any{
			"event.action": "Set-Mailbox", "source.ip": "2a01:4f8:c17:1a2::1",
			"email.to.address": []string{"drop@evil-domain.example"}, "event.category": []string{"email", "configuration"},
		}},
	}
	for i, tt := range tests {
		ev, err := parseRecord(FormatDetect, lines[i], nil, testNow)
		if err != nil {
			t.Fatal(err)
		}
		if ev.Kind != KindGeneric || !ev.Time.Equal(tt.time) {
			t.Fatalf("%d: kind %q time %v", i, ev.Kind, ev.Time)
		}
		Enrich(&ev)
		checkValues(t, &ev)
		wantFields(t, ev, tt.want)
	}
	// Not an audit record: nothing added.
	ev, err := parseRecord(FormatGeneric, []byte(`{"Operation":"New-InboxRule","ClientIP":"1.2.3.4:5"}`), nil, testNow)
	if err != nil || ev.Str("event.action") != "" || ev.Str("source.ip") != "" {
		t.Fatalf("partial record: %v %v", err, ev.Fields)
	}
}
