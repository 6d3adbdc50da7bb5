package checklist

import (
	"embed"
	"fmt"
	"sync"

	"fenghuo/internal/fenghuo"
)

//go:embed builtin/*.yaml
var builtinFS embed.FS

// BuiltinIDs are the checklists embedded in the binary.
var BuiltinIDs = []string{"seed000-self-inspection", "seed004-ransomware-hardening"}

var loadBuiltin = sync.OnceValues(func() ([]*Checklist, error) {
	var out []*Checklist
	for _, id := range BuiltinIDs {
		data, err := builtinFS.ReadFile("builtin/" + id + ".yaml")
		if err != nil {
			return nil, err
		}
		c, err := Parse("builtin:"+id, data)
		if err != nil {
			return nil, err
		}
		if c.ID != id {
			return nil, fmt.Errorf("builtin checklist file %s.yaml declares id %q", id, c.ID)
		}
		out = append(out, c)
	}
	return out, nil
})

// Builtin returns the built-in checklists in BuiltinIDs order.
func Builtin() []*Checklist {
	cs, err := loadBuiltin()
	if err != nil {
		// The built-in documents are tested; reaching this is a release bug.
		panic("fenghuo: invalid built-in checklist: " + err.Error())
	}
	return cs
}

// IsBuiltin reports whether id names a built-in checklist.
func IsBuiltin(id string) bool {
	for _, b := range BuiltinIDs {
		if b == id {
			return true
		}
	}
	return false
}

// BuiltinChecklist returns a built-in checklist by id, or ENOTFOUND.
func BuiltinChecklist(id string) (*Checklist, error) {
	for _, c := range Builtin() {
		if c.ID == id {
			return c, nil
		}
	}
	return nil, fenghuo.Errorf(fenghuo.ENOTFOUND, "Checklist %q not found. / 未找到检查表“%s”。", id, id)
}
