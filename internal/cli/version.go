package cli

import (
	"runtime/debug"
	"strings"
)

// Version is the release, set at build time with
// -ldflags "-X fenghuo/internal/cli.Version=v1.2.0" (make build does). When
// empty, the version comes from the build information Go records: the
// module version for `go install fenghuo@v1.2.0`, or the commit a build from
// a checkout was made at.
var Version = ""

// version describes this binary: the ldflags version, the module version, or
// 0.0.0-TIME-REVISION from the commit (+dirty with uncommitted changes), and
// "dev" only when none is known (go run).
func version() string {
	info, _ := debug.ReadBuildInfo()
	return describeVersion(Version, info)
}

func describeVersion(ldflags string, info *debug.BuildInfo) string {
	if ldflags != "" {
		return ldflags
	}
	if info == nil {
		return "dev"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev, at string
	var dirty bool
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "dev"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	// The shape of a Go pseudo-version: 0.0.0-20261206225300-0dbe5bd1a2b3.
	stamp := strings.NewReplacer("-", "", ":", "", "T", "", "Z", "").Replace(at)
	v := "0.0.0-" + rev
	if len(stamp) >= 14 {
		v = "0.0.0-" + stamp[:14] + "-" + rev
	}
	if dirty {
		v += "+dirty"
	}
	return v
}
