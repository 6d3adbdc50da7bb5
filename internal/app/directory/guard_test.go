package directory

import (
	"context"
	"io"
	"strings"
	"testing"

	"fenghuo/internal/app"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/sheets"
)

// A register file that makes the reader panic is an error for that upload,
// not a crash of the server.
func TestImportPanicIsAnError(t *testing.T) {
	parseSystems = func(string, io.Reader, int64) ([]sheets.SystemRow, error) {
		var m map[string]int
		m["crash"]++ // assignment to a nil map
		return nil, nil
	}
	t.Cleanup(func() { parseSystems = sheets.ParseSystems })
	a := New(app.New(app.Deps{}))
	ac := &app.Actor{User: fenghuo.User{Roles: []fenghuo.Role{fenghuo.RoleAnalyst}}}
	n, problems, err := a.ImportSystemsFile(context.Background(), ac, "register.csv", strings.NewReader("所属单位,系统名称\n"))
	if n != 0 || len(problems) != 0 || fenghuo.ErrorCode(err) != fenghuo.EINVALID || !strings.Contains(err.Error(), "could not be read") {
		t.Fatalf("got %d, %v, %v", n, problems, err)
	}
}
