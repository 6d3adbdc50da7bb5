package report

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"fenghuo/internal/fenghuo"
)

var fuzzPlan = []fenghuo.ExposureConnect{
	{Target: "127.0.0.1", Address: "127.0.0.1", Port: 3389},
	{Target: "127.0.0.1", Address: "127.0.0.1", Port: 22},
	{Target: "his.example.cn", Address: "::1", Port: 445},
}

func TestParseRefusesWhatIsNotAReport(t *testing.T) {
	bad := []string{
		``, `null`, `[]`, `{}`, `{"items":null}`,
		`{"items":[{"work_id":0,"results":[]}]}`,
		`{"items":[{"work_id":1,"results":[]},{"work_id":1,"results":[]}]}`,
		`{"items":[{"work_id":1,"results":[{"address":"127.0.0.01","port":22,"state":"open","latency_ms":1}]}]}`,
		`{"items":[{"work_id":1,"results":[{"address":"::ffff:127.0.0.1","port":22,"state":"open","latency_ms":1}]}]}`,
		`{"items":[{"work_id":1,"results":[{"address":"fe80::1%eth0","port":22,"state":"open","latency_ms":1}]}]}`,
		`{"items":[{"work_id":1,"results":[{"address":"127.0.0.1","port":0,"state":"open","latency_ms":1}]}]}`,
		`{"items":[{"work_id":1,"results":[{"address":"127.0.0.1","port":65536,"state":"open","latency_ms":1}]}]}`,
		`{"items":[{"work_id":1,"results":[{"address":"127.0.0.1","port":22,"state":"OPEN","latency_ms":1}]}]}`,
		`{"items":[{"work_id":1,"results":[{"address":"127.0.0.1","port":22,"state":"open","latency_ms":-1}]}]}`,
		`{"items":[{"work_id":1,"results":[{"address":"127.0.0.1","port":22,"state":"open","latency_ms":1,"extra":true}]}]}`,
		`{"items":[{"work_id":1,"results":[]}]} {"items":[]}`,
		`{"items":[{"work_id":1,"results":[{"address":"127.0.0.1","port":22,"state":"open","latency_ms":1,"error":"` + strings.Repeat("x", 201) + `"}]}]}`,
		`{"items":[` + strings.Repeat(`{"work_id":1,"results":[]},`, 64) + `{"work_id":2,"results":[]}]}`,
		"{\"items\":[{\"work_id\":1,\"results\":[{\"address\":\"127.0.0.1\",\"port\":22,\"state\":\"open\",\"latency_ms\":1,\"error\":\"\xff\"}]}]}",
	}
	for _, b := range bad {
		if _, err := Parse([]byte(b)); !errors.Is(err, ErrBad) {
			t.Errorf("accepted %.80q: %v", b, err)
		}
	}
	if _, err := Parse([]byte(`{"items":[{"work_id":1,"results":[]}]}` + strings.Repeat(" ", MaxBody))); !errors.Is(err, ErrBad) {
		t.Error("accepted a report over the size limit")
	}
	rep, err := Parse([]byte(`{"items":[{"work_id":7,"results":[{"address":"::1","port":445,"state":"timeout","latency_ms":3000,"error":"a\u0000b"}]}]}`))
	if err != nil || rep.Items[0].Results[0].Error != "a b" {
		t.Fatalf("good report: %+v %v", rep, err)
	}
	// Matched onto the plan: the reported one in place, the rest "not
	// reported"; a connect outside the plan, or one twice, refused.
	rs, err := Match(fuzzPlan, rep.Items[0].Results)
	if err != nil || len(rs) != 3 || rs[2].State != fenghuo.PortTimeout || rs[2].Target != "his.example.cn" || rs[0].Error != "探针未报告" {
		t.Fatalf("matched %+v %v", rs, err)
	}
	for _, extra := range []Result{{Address: "127.0.0.2", Port: 22, State: "open"}, {Address: "127.0.0.1", Port: 23, State: "open"},
		{Address: "::1", Port: 445, State: "open"}} {
		if _, err := Match(fuzzPlan, append(rep.Items[0].Results, extra)); !errors.Is(err, ErrNotInPlan) {
			t.Errorf("%+v accepted: %v", extra, err)
		}
	}
}

// FuzzReport: whatever a probe sends, parsing neither panics nor
// accepts a report that breaks its limits, and a result accepted against
// the plan is always a connect of the plan.
func FuzzReport(f *testing.F) {
	f.Add([]byte(`{"items":[{"work_id":1,"results":[{"address":"127.0.0.1","port":3389,"state":"open","latency_ms":2}]}]}`))
	f.Add([]byte(`{"items":[{"work_id":1,"results":[{"address":"127.0.0.9","port":3389,"state":"open","latency_ms":2}]}]}`))
	f.Add([]byte(`{"items":[{"work_id":2,"results":[{"address":"::1","port":445,"state":"closed","latency_ms":0,"error":"x"}]}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		rep, err := Parse(body)
		if err != nil {
			if !errors.Is(err, ErrBad) {
				t.Fatalf("error not wrapped: %v", err)
			}
			return
		}
		if len(rep.Items) > MaxItems {
			t.Fatalf("%d items", len(rep.Items))
		}
		for _, it := range rep.Items {
			rs, err := Match(fuzzPlan, it.Results)
			if err != nil {
				continue
			}
			if len(rs) != len(fuzzPlan) {
				t.Fatalf("matched %d results for a plan of %d", len(rs), len(fuzzPlan))
			}
			for i, r := range rs {
				if r.Address != fuzzPlan[i].Address || r.Port != fuzzPlan[i].Port {
					t.Fatalf("result %+v is not the plan's %+v", r, fuzzPlan[i])
				}
			}
		}
		// What was accepted encodes and parses again to the same.
		b, err := json.Marshal(rep)
		if err != nil {
			t.Fatal(err)
		}
		again, err := Parse(b)
		if err != nil {
			t.Fatalf("re-encoded report refused: %v\n%s", err, b)
		}
		b2, _ := json.Marshal(again)
		if string(b) != string(b2) {
			t.Fatalf("not stable:\n%s\n%s", b, b2)
		}
	})
}
