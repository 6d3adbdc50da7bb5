package intake

import (
	"io"
	"strings"
	"time"

	"fenghuo/internal/ingest"
)

// enrich adds what the platform knows to an event before it is stored and
// detected on: the country of its addresses, related.* and the fields of
// mail servers' log lines (ingest.Enrich).
var enrich = ingest.Enrich

// RecordError is one record of a batch that could not be read.
type RecordError = ingest.RecordError

// DecodeBatch reads a batch sent to POST /api/v1/alerts: a JSON object, a
// JSON array of objects, or NDJSON (one object a line); at most limit
// records, each parsed in format ("" detects Wazuh, Suricata or generic
// per record). mapping is the source's generic field mapping (JSON text, ""
// for none). Every event is stamped as received at received.
func DecodeBatch(format, contentType string, body io.Reader, mapping string, limit int, received time.Time) ([]ingest.Event, []RecordError, error) {
	m, err := parseMapping(mapping)
	if err != nil {
		return nil, nil, err
	}
	return ingest.DecodeBatchAt(format, contentType, body, m, limit, received)
}

func parseMapping(text string) (*ingest.Mapping, error) {
	if strings.TrimSpace(text) == "" {
		return nil, nil
	}
	return ingest.ParseMapping([]byte(text))
}

// checkMapping validates a generic field mapping given as JSON text, so
// that a mapping that cannot be applied is refused when it is saved.
func checkMapping(text string) error {
	_, err := parseMapping(text)
	return err
}
