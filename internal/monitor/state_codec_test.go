package monitor

import (
	"encoding/json"
	"reflect"
	"testing"

	"fenghuo/internal/tamper"
)

// The compact content state gives back what was stored, reads a state an
// older version stored as JSON, and refuses a cut or padded one (the check
// then starts afresh).
func TestContentStateRoundTrip(t *testing.T) {
	st := contentState{Version: analysisVersion, ETag: `"a:b:9"`, LastModified: "Mon, 07 Dec 2026 10:00:00 GMT",
		Digest: "c262340e", Turn: 17, NoValidators: true,
		Findings: []tamper.Finding{{Kind: tamper.KindHiddenLink, Reason: "hidden: 12:x", Excerpt: "博彩"}},
		Views: []viewState{{Profile: ProfileBaiduspider, ETag: "1:", Digest: "d1", Against: "c262340e",
			Findings: []tamper.Finding{{Kind: tamper.KindDefacement, Selector: "body"}}},
			{Profile: ProfileBaiduReferer, Digest: "c262340e", Against: "c262340e"}}}
	s, err := st.encode()
	if err != nil {
		t.Fatal(err)
	}
	var got contentState
	if err := decodeState(s, &got); err != nil {
		t.Fatalf("decode %q: %v", s, err)
	}
	if !reflect.DeepEqual(got, st) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, st)
	}
	old, _ := json.Marshal(st)
	var fromJSON contentState
	if err := decodeState(string(old), &fromJSON); err != nil || !reflect.DeepEqual(fromJSON, st) {
		t.Errorf("a JSON state: %v, %+v", err, fromJSON)
	}
	for _, bad := range []string{s[:len(s)-3], s + "1:x", "c1" + "9:1", "c1x"} {
		var b contentState
		if decodeState(bad, &b) == nil {
			t.Errorf("malformed state %q was accepted", bad)
		}
	}
}
