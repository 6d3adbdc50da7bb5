package web

import (
	"testing"

	"fenghuo/internal/store"
)

// An event's line in the reader's language: the kind in words, the
// notice's title after a full-width colon in Chinese and quoted in
// English; an unknown kind still reads as words, never as its key.
func TestLiveText(t *testing.T) {
	e := store.LiveEvent{Kind: "report.initial", Subject: "收到甲县第一中学初报"}
	if got, want := liveText(langZH, e), "收到新的初报：收到甲县第一中学初报"; got != want {
		t.Errorf("zh %q, want %q", got, want)
	}
	if got, want := liveText(langEN, e), "New initial report: “收到甲县第一中学初报”"; got != want {
		t.Errorf("en %q, want %q", got, want)
	}
	if got := liveText(langEN, store.LiveEvent{Kind: "incident.status"}); got != "Incident status changed" {
		t.Errorf("en status %q", got)
	}
	if got := liveText(langZH, store.LiveEvent{Kind: "something.new"}); got != "有新的变化" {
		t.Errorf("unknown kind %q", got)
	}
}
