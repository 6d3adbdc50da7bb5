package audit

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"

	"fenghuo/internal/fenghuo"
)

// The anchor file is an append-only text file outside the database: one line
// per anchor written, "TIME SEQ:HASH", TIME in RFC 3339 UTC. Anything after
// the second field is ignored, so that later versions may add fields.
//
//	2026-11-22T10:05:00.123456Z 4211:9f0c…
//
// Someone who rewrites the database (even with the chain key) cannot make
// the entries the file names come back as they were; VerifyLog reports
// the first anchor the log no longer matches.

// AnchorLine is the anchor file's line for a written at t, with its newline.
func AnchorLine(a Anchor, t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000000Z") + " " + a.String() + "\n"
}

// ReadAnchorLines reads the lines of the anchor file at path (r); the
// anchors' Where name it ("anchor file PATH, line N"). A last line without its
// newline (a write cut off by a crash) is skipped; any other line that does
// not parse is an error naming it.
func ReadAnchorLines(r io.Reader, path string) ([]RecordedAnchor, error) {
	where := "anchor file " + path
	br := bufio.NewReader(r)
	var out []RecordedAnchor
	for n := 1; ; n++ {
		line, err := br.ReadString('\n')
		if err == io.EOF {
			return out, nil // a line without newline was cut off
		}
		if err != nil {
			return out, err
		}
		line = strings.TrimRight(line, "\r\n")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) < 2 {
			return out, lineError(where, n, line)
		}
		t, err := time.Parse(time.RFC3339Nano, fields[0])
		if err != nil {
			return out, lineError(where, n, line)
		}
		a, err := ParseAnchor(fields[1])
		if err != nil {
			return out, lineError(where, n, line)
		}
		out = append(out, RecordedAnchor{Anchor: a, Time: t, Where: fmt.Sprintf("%s, line %d", where, n),
			WhereZH: fmt.Sprintf("锚点文件 %s 第 %d 行", path, n)})
	}
}

func lineError(where string, n int, line string) error {
	if len(line) > 80 {
		line = line[:80] + "…"
	}
	return fenghuo.Errorf(fenghuo.EINVALID, "%s, line %d: %q is not \"TIME SEQ:HASH\". / 锚点文件第 %d 行格式不正确。", where, n, line, n)
}

// SyslogFacility is the facility anchors are sent with: 13, log audit.
const SyslogFacility = 13

// SyslogMessage is the RFC 5424 message that carries anchor a written at t
// from host (NILVALUE "-" when empty), without transport framing:
//
//	<109>1 2026-11-22T10:05:00.123456Z host fenghuo - audit-anchor - audit chain head 4211:9f0c…
//
// Priority 109 is facility 13 (log audit), severity 5 (notice). The anchor
// is in the message text (no structured data: an SD-ID of our own would need
// a private enterprise number), the same "SEQ:HASH" the anchor file holds.
func SyslogMessage(a Anchor, t time.Time, host string) string {
	if host == "" {
		host = "-"
	}
	const severityNotice = 5
	return fmt.Sprintf("<%d>1 %s %s fenghuo - audit-anchor - audit chain head %s",
		SyslogFacility*8+severityNotice, t.UTC().Format("2006-01-02T15:04:05.000000Z"), host, a)
}
