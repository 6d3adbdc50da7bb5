package sigma

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"fenghuo/internal/ingest"
)

// CheckMatch is one line of `fenghuo sigma check` output.
type CheckMatch struct {
	Event  int    `json:"event"` // line number of the event, from 1
	RuleID string `json:"rule_id"`
	Title  string `json:"title"`
	Level  string `json:"level"`
}

// MaxLine bounds one event line of a JSONL file.
const MaxLine = 1 << 20

// CheckEvents runs the engine over JSONL events (one JSON object a line;
// blank lines are skipped but counted) as org 0 and calls emit for every
// match in order. A line that is not a JSON object stops the run with an
// error naming its line.
func CheckEvents(ctx context.Context, e *Engine, r io.Reader, received time.Time, emit func(CheckMatch) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), MaxLine)
	line := 0
	for sc.Scan() {
		line++
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 {
			continue
		}
		ev, err := ingest.DecodeJSONEvent(text, received)
		if err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
		for _, m := range e.Detect(ctx, ingest.Source{}, &ev) {
			if err := emit(CheckMatch{Event: line, RuleID: m.RuleID, Title: m.Title, Level: m.Level}); err != nil {
				return err
			}
		}
	}
	if err := sc.Err(); err != nil {
		if strings.Contains(err.Error(), "too long") {
			return fmt.Errorf("line %d: longer than %d bytes", line+1, MaxLine)
		}
		return err
	}
	return nil
}
