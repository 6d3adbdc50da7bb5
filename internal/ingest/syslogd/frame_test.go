package syslogd

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"testing"
	"testing/iotest"
)

// frames cuts data into frames reading chunk bytes at a time; it returns
// the frames (oversized ones as "<oversized>") and whether framing broke.
func frames(data []byte, chunk, max int) ([]string, bool) {
	r := frameReader{max: max, buf: make([]byte, 0, min(64, max+maxHeader))}
	src := iotest.OneByteReader(bytes.NewReader(data))
	if chunk > 1 {
		src = &chunkReader{data: data, n: chunk}
	}
	var out []string
	for {
		frame, oversized, err := r.next()
		if err != nil {
			return out, true
		}
		if oversized {
			out = append(out, "<oversized>")
			continue
		}
		if frame != nil {
			if len(frame) > max {
				panic(fmt.Sprintf("frame of %d bytes, max %d", len(frame), max))
			}
			out = append(out, string(frame))
			continue
		}
		if err := r.fill(src); err != nil {
			if errors.Is(err, errFraming) {
				return out, true
			}
			if r.mode == modeLF && r.partial() && !r.skipLine && len(r.rest()) > 0 {
				out = append(out, string(r.rest())+"<eof>")
			}
			return out, false
		}
	}
}

type chunkReader struct {
	data []byte
	n    int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	n := copy(p, c.data[:min(c.n, len(c.data))])
	c.data = c.data[n:]
	return n, nil
}

func TestFrames(t *testing.T) {
	for _, tt := range []struct {
		data   string
		want   []string
		broken bool
	}{
		{"a\nb\r\n\nc", []string{"a", "b", "c<eof>"}, false},
		{"5 hello3 abc\n2 hi", []string{"hello", "abc", "hi"}, false},
		{"5 hel", nil, false},
		{"12 0123456789ab4 abcd", []string{"<oversized>", "abcd"}, false},
		{"3 abc x", []string{"abc"}, true},
		{"0 ", []string{"0 <eof>"}, false},     // a leading 0 is no length: LF framing
		{"01 a", []string{"01 a<eof>"}, false}, // a leading 0 is no length: LF framing
		{"0123456789ab\nok\n", []string{"<oversized>", "ok"}, false},
	} {
		for _, chunk := range []int{1, 3, 100} {
			got, broken := frames([]byte(tt.data), chunk, 10)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) || broken != tt.broken {
				t.Errorf("%q in chunks of %d: %q broken %v, want %q broken %v", tt.data, chunk, got, broken, tt.want, tt.broken)
			}
		}
	}
}

// Frames do not depend on how the bytes arrive.
func FuzzFrames(f *testing.F) {
	for _, s := range []string{"a\nb\r\n\nc", "5 hello3 abc\n2 hi", "12 0123456789ab4 abcd", "3 abc x", "0123456789ab\nok\n", "\r\n7 <13>abc"} {
		f.Add([]byte(s), uint8(3), uint8(10))
	}
	f.Fuzz(func(t *testing.T, data []byte, chunk, max uint8) {
		m := int(max%64) + 1
		whole, brokenWhole := frames(data, len(data)+1, m)
		parts, brokenParts := frames(data, int(chunk%16)+1, m)
		if fmt.Sprint(whole) != fmt.Sprint(parts) || brokenWhole != brokenParts {
			t.Fatalf("%q: whole %q (broken %v), in chunks of %d %q (broken %v)", data, whole, brokenWhole, chunk%16+1, parts, brokenParts)
		}
	})
}
