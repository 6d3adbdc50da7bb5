package ioc

import (
	"context"
	"fmt"
	"testing"
	"time"

	"fenghuo/internal/ingest"
)

func TestNormalize(t *testing.T) {
	cases := []struct {
		t        Type
		in, want string
		bad      bool
	}{
		{TypeSHA256, "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", false},
		{TypeMD5, "abc", "", true},
		{TypeIPv4, "203.0.113.9", "203.0.113.9", false},
		{TypeIPv4, "203.0.113.9/24", "203.0.113.0/24", false},
		{TypeIPv4, "203.0.113.9/32", "203.0.113.9", false},
		{TypeIPv4, "2001:db8::1", "", true},
		{TypeIPv6, "2001:DB8::0:1", "2001:db8::1", false},
		{TypeDomain, "Evil.Example.COM.", "evil.example.com", false},
		{TypeDomain, "例子.测试", "xn--fsqu00a.xn--0zwm56d", false},
		{TypeDomain, "nodot", "", true},
		{TypeURL, "HTTP://Evil.Example.com:80/a/b?x=1#frag", "http://evil.example.com/a/b?x=1", false},
		{TypeURL, "https://evil.example.com", "https://evil.example.com/", false},
		{TypeURL, "evil.example.com/x", "http://evil.example.com/x", false},
		{TypeEmail, "Boss@Example.COM", "boss@example.com", false},
		{TypeCVE, "cve-2021-44228", "CVE-2021-44228", false},
		{TypeCVE, "CVE-21-1", "", true},
	}
	for _, c := range cases {
		got, err := Normalize(c.t, c.in)
		if c.bad {
			if err == nil {
				t.Errorf("Normalize(%s, %q) = %q, want an error", c.t, c.in, got)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("Normalize(%s, %q) = %q, %v; want %q", c.t, c.in, got, err, c.want)
		}
	}
}

func TestParseTLP(t *testing.T) {
	for in, want := range map[string]TLP{"TLP:WHITE": TLPClear, "clear": TLPClear, "tlp:amber+strict": TLPAmberStrict, "RED": TLPRed} {
		if got, ok := ParseTLP(in); !ok || got != want {
			t.Errorf("ParseTLP(%q) = %q, %v", in, got, ok)
		}
	}
	if _, ok := ParseTLP("purple"); ok {
		t.Error("purple is a TLP label")
	}
}

func ev(fields map[string]any) *ingest.Event { return &ingest.Event{Fields: fields} }

func TestMatcherFindsEachType(t *testing.T) {
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	inds := []Indicator{
		{ID: 1, Type: TypeIPv4, Value: "203.0.113.9", Confidence: 80},
		{ID: 2, Type: TypeIPv4, Value: "198.51.100.0/24", Confidence: 50},
		{ID: 3, Type: TypeDomain, Value: "evil.example", STIXID: "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"},
		{ID: 4, Type: TypeURL, Value: "http://bad.example/payload.exe"},
		{ID: 5, Type: TypeSHA256, Value: "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"},
		{ID: 6, Type: TypeCVE, Value: "CVE-2021-44228"},
		{ID: 7, Type: TypeEmail, Value: "ceo@phish.example"},
		{ID: 8, Type: TypeIPv6, Value: "2001:db8::/32"},
		{ID: 9, Type: TypeDomain, Value: "expired.example", ValidUntil: now.Add(-time.Hour)},
		{ID: 10, Type: TypeDomain, Value: "例子.测试"},
	}
	m := NewMatcher(inds, MatcherOptions{Now: func() time.Time { return now }})
	cases := []struct {
		fields map[string]any
		ids    []int64
		field  string
	}{
		{map[string]any{"source.ip": "203.0.113.9"}, []int64{1}, "source.ip"},
		{map[string]any{"destination.ip": "198.51.100.77"}, []int64{2}, "destination.ip"},
		{map[string]any{"dns.question.name": "a.b.EVIL.example."}, []int64{3}, "dns.question.name"},
		{map[string]any{"dns.question.name": "notevil.example"}, nil, ""},
		{map[string]any{"url.original": "http://bad.example:80/payload.exe#x"}, []int64{4}, "url.original"},
		{map[string]any{"url.full": "https://cdn.evil.example/x"}, []int64{3}, "url.full"},
		{map[string]any{"file.hash.sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}, []int64{5}, "file.hash.sha256"},
		{map[string]any{"vulnerability.id": "cve-2021-44228"}, []int64{6}, "vulnerability.id"},
		{map[string]any{"email.from.address": "CEO@phish.example"}, []int64{7}, "email.from.address"},
		{map[string]any{"email.to.address": []string{"a@x.cn", "boss@mail.evil.example"}}, []int64{3}, "email.to.address"},
		{map[string]any{"client.ip": "2001:db8:1::5"}, []int64{8}, "client.ip"},
		{map[string]any{"tls.client.server_name": "expired.example"}, nil, ""},
		{map[string]any{"url.domain": "www.例子.测试"}, []int64{10}, "url.domain"},
		{map[string]any{"source.ip": "203.0.113.9", "destination.ip": "203.0.113.9"}, []int64{1}, "source.ip"},
		{map[string]any{"message": "203.0.113.9 evil.example"}, nil, ""},
	}
	for _, c := range cases {
		got := m.Detect(context.Background(), ingest.Source{Org: 1}, ev(c.fields))
		var ids []int64
		for _, g := range got {
			ids = append(ids, g.IndicatorID)
			if g.Kind != ingest.MatchIOC || g.Title != "IOC: "+g.Entity || g.Level == "" {
				t.Errorf("%v: match %+v", c.fields, g)
			}
		}
		if fmt.Sprint(ids) != fmt.Sprint(c.ids) {
			t.Errorf("%v: matched %v, want %v", c.fields, ids, c.ids)
			continue
		}
		if len(got) == 1 && got[0].Field != c.field {
			t.Errorf("%v: field %q, want %q", c.fields, got[0].Field, c.field)
		}
	}
	got := m.Detect(context.Background(), ingest.Source{Org: 1}, ev(map[string]any{"url.domain": "x.evil.example"}))
	if len(got) != 1 || got[0].RuleID != "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f" || got[0].Value != "x.evil.example" {
		t.Errorf("STIX id match %+v", got)
	}
	if c := m.Counts(); c[TypeDomain] != 3 || c[TypeIPv4] != 2 || m.Len() != 10 {
		t.Errorf("counts %v len %d", c, m.Len())
	}
}

func TestMatcherHonoursVisibility(t *testing.T) {
	inds := []Indicator{{ID: 1, Type: TypeIPv4, Value: "203.0.113.9", TLP: TLPAmber, OwnerOrg: 2}}
	vis := func(owner int64, tlp TLP, org int64) bool { return tlp == TLPAmber && org == owner*10 }
	m := NewMatcher(inds, MatcherOptions{Visible: vis})
	e := ev(map[string]any{"source.ip": "203.0.113.9"})
	if got := m.Detect(context.Background(), ingest.Source{Org: 20}, e); len(got) != 1 {
		t.Errorf("visible org: %v", got)
	}
	if got := m.Detect(context.Background(), ingest.Source{Org: 30}, e); len(got) != 0 {
		t.Errorf("invisible org matched: %v", got)
	}
	var l Live
	if l.Detect(context.Background(), ingest.Source{Org: 20}, e) != nil {
		t.Error("empty Live matched")
	}
	l.Swap(m)
	if len(l.Detect(context.Background(), ingest.Source{Org: 20}, e)) != 1 {
		t.Error("Live did not use its matcher")
	}
}

// BenchmarkMatcher100k measures one event against 100,000 indicators of
// every type (ns/op is ns/event).
func BenchmarkMatcher100k(b *testing.B) {
	var inds []Indicator
	for i := 0; i < 100_000; i++ {
		switch i % 5 {
		case 0:
			inds = append(inds, Indicator{ID: int64(i), Type: TypeIPv4, Value: fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255), TLP: TLPAmber, OwnerOrg: 1})
		case 1:
			inds = append(inds, Indicator{ID: int64(i), Type: TypeDomain, Value: fmt.Sprintf("host%d.bad%d.example", i, i%97), TLP: TLPGreen, OwnerOrg: 1})
		case 2:
			inds = append(inds, Indicator{ID: int64(i), Type: TypeSHA256, Value: fmt.Sprintf("%064x", i), TLP: TLPClear})
		case 3:
			inds = append(inds, Indicator{ID: int64(i), Type: TypeURL, Value: fmt.Sprintf("http://u%d.example/p", i), TLP: TLPClear})
		case 4:
			if i%100 == 4 {
				inds = append(inds, Indicator{ID: int64(i), Type: TypeIPv4, Value: fmt.Sprintf("172.%d.%d.0/24", i>>8&15|16, i&255), TLP: TLPClear})
			} else {
				inds = append(inds, Indicator{ID: int64(i), Type: TypeCVE, Value: fmt.Sprintf("CVE-2024-%05d", i)})
			}
		}
	}
	vis := func(owner int64, tlp TLP, org int64) bool { return true }
	m := NewMatcher(inds, MatcherOptions{Visible: vis})
	events := []*ingest.Event{
		ev(map[string]any{"source.ip": "192.0.2.10", "destination.ip": "198.51.100.20", "dns.question.name": "www.harmless.example.cn",
			"url.full": "https://www.harmless.example.cn/index.html?q=1", "event.category": []string{"network"}, "message": "GET /"}),
		ev(map[string]any{"source.ip": "10.0.1.5", "destination.ip": "172.17.5.9", "tls.client.server_name": "a.host6.bad6.example",
			"file.hash.sha256": fmt.Sprintf("%064x", 2), "user.name": "alice"}),
		ev(map[string]any{"email.from.address": "x@mail.harmless.example", "email.to.address": []string{"a@b.cn", "c@d.cn"},
			"source.ip": "203.0.113.50", "url.original": "http://u3.example/p"}),
	}
	ctx := context.Background()
	src := ingest.Source{Org: 5}
	b.ReportAllocs()
	b.ResetTimer()
	matched := 0
	for i := 0; i < b.N; i++ {
		matched += len(m.Detect(ctx, src, events[i%len(events)]))
	}
	b.StopTimer()
	if b.N >= len(events) && matched == 0 {
		b.Fatal("no event matched")
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/event")
}
