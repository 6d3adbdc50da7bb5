package guard

import (
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
)

func count(t *testing.T, component string) float64 {
	t.Helper()
	var m dto.Metric
	if err := Recovered.WithLabelValues(component).Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetCounter().GetValue()
}

func TestRunTurnsAPanicIntoAnErrorAndCountsIt(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	before := count(t, "test")
	err := Run(log, "test", func() error {
		var s []byte
		_ = s[strings.Count("ab", "")] // index out of range
		return nil
	})
	var pe *PanicError
	if !errors.As(err, &pe) || pe.Component != "test" || !strings.Contains(err.Error(), "index out of range") {
		t.Fatalf("got %v", err)
	}
	if got := count(t, "test") - before; got != 1 {
		t.Errorf("counter rose by %v, want 1", got)
	}
	plain := errors.New("plain")
	if err := Run(log, "test", func() error { return plain }); err != plain {
		t.Errorf("a plain error came back as %v", err)
	}
	if got := count(t, "test") - before; got != 1 {
		t.Errorf("a plain error was counted as a panic")
	}
}

func TestReasonIsBounded(t *testing.T) {
	if r := Reason(strings.Repeat("界", 1000)); len([]rune(r)) > 201 {
		t.Errorf("reason of %d runes", len([]rune(r)))
	}
	if Digest([]byte("abc")) != "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0" {
		t.Errorf("SM3(abc) = %s", Digest([]byte("abc")))
	}
}
