package monitor

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"fenghuo/internal/tamper"
)

// The content state is read and written at every check, so it is kept in a
// compact text form rather than JSON (whose decoding was 7 % of a check's
// CPU): "c1" then fields, each its byte length in decimal, ':' and its
// bytes. Fields: version, turn, no-validators ("1" or ""), ETag,
// Last-Modified, digest, findings (JSON, "" for none), the number of views,
// then per view: profile, ETag, Last-Modified, digest, against, findings.
// A state stored as JSON by an older version is still read.
const stateMagic = "c1"

func (st *contentState) encode() (string, error) {
	var b strings.Builder
	b.Grow(256)
	b.WriteString(stateMagic)
	field := func(s string) {
		s = strings.ToValidUTF8(s, "\uFFFD") // the column is text
		b.WriteString(strconv.Itoa(len(s)))
		b.WriteByte(':')
		b.WriteString(s)
	}
	findings := func(fs []tamper.Finding) error {
		if len(fs) == 0 {
			field("")
			return nil
		}
		data, err := json.Marshal(fs)
		if err != nil {
			return err
		}
		field(string(data))
		return nil
	}
	field(strconv.Itoa(st.Version))
	field(strconv.Itoa(st.Turn))
	nv := ""
	if st.NoValidators {
		nv = "1"
	}
	field(nv)
	field(st.ETag)
	field(st.LastModified)
	field(st.Digest)
	if err := findings(st.Findings); err != nil {
		return "", err
	}
	field(strconv.Itoa(len(st.Views)))
	for _, v := range st.Views {
		field(string(v.Profile))
		field(v.ETag)
		field(v.LastModified)
		field(v.Digest)
		field(v.Against)
		if err := findings(v.Findings); err != nil {
			return "", err
		}
	}
	return b.String(), nil
}

var errState = errors.New("content state: malformed")

func decodeState(s string, st *contentState) error {
	if !strings.HasPrefix(s, stateMagic) {
		return json.Unmarshal([]byte(s), st)
	}
	s = s[len(stateMagic):]
	var err error
	next := func() string {
		if err != nil {
			return ""
		}
		i := strings.IndexByte(s, ':')
		if i < 0 {
			err = errState
			return ""
		}
		n, e := strconv.Atoi(s[:i])
		if e != nil || n < 0 || n > len(s)-i-1 {
			err = errState
			return ""
		}
		f := s[i+1 : i+1+n]
		s = s[i+1+n:]
		return f
	}
	num := func() int {
		f := next()
		if err != nil {
			return 0
		}
		n, e := strconv.Atoi(f)
		if e != nil {
			err = errState
		}
		return n
	}
	findings := func() []tamper.Finding {
		f := next()
		if err != nil || f == "" {
			return nil
		}
		var fs []tamper.Finding
		if e := json.Unmarshal([]byte(f), &fs); e != nil {
			err = e
		}
		return fs
	}
	st.Version = num()
	st.Turn = num()
	st.NoValidators = next() == "1"
	st.ETag = next()
	st.LastModified = next()
	st.Digest = next()
	st.Findings = findings()
	n := num()
	if err == nil && (n < 0 || n > 8) {
		err = errState
	}
	for i := 0; i < n && err == nil; i++ {
		var v viewState
		v.Profile = Profile(next())
		v.ETag = next()
		v.LastModified = next()
		v.Digest = next()
		v.Against = next()
		v.Findings = findings()
		st.Views = append(st.Views, v)
	}
	if err == nil && s != "" {
		err = errState
	}
	return err
}
