package version

import (
	_ "embed"
	"fmt"
	"strings"
	"unicode"
)

// Product is a normalised vendor and product: Key is "vendor/product" in
// CPE's words ("oracle/weblogic_server"); Vendor and Name are how the
// console writes them. Known says the product is in the table.
type Product struct {
	Key    string
	Vendor string
	Name   string
	Known  bool
}

// ProductName is the product's part of the key ("weblogic_server").
func (p Product) ProductName() string {
	_, name, _ := strings.Cut(p.Key, "/")
	return name
}

// VendorKey is the vendor's part of the key ("oracle"); empty for an
// unknown product written without a vendor.
func (p Product) VendorKey() string {
	v, _, _ := strings.Cut(p.Key, "/")
	return v
}

// Same reports whether p and q are one product: the same key, or, for
// products not in the table, the same product words where either side
// gave no vendor.
func (p Product) Same(q Product) bool {
	if p.Key == "" || q.Key == "" {
		return false
	}
	if p.Key == q.Key {
		return true
	}
	if p.Known && q.Known {
		return false
	}
	return p.ProductName() == q.ProductName() && (p.VendorKey() == "" || q.VendorKey() == "")
}

//go:embed products.txt
var productsText string

type knownProduct struct {
	key, vendor, name string
}

var (
	byAlias  = map[string]knownProduct{} // folded alias (vendor-less) → product
	byVendor = map[string]string{}       // folded vendor word → vendor key
)

func init() {
	if err := loadProducts(productsText); err != nil {
		panic(err)
	}
}

// loadProducts reads the product table (products.txt).
func loadProducts(text string) error {
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "|")
		if len(f) != 4 {
			return fmt.Errorf("products.txt:%d: want key | vendor | product | aliases", n+1)
		}
		key := strings.TrimSpace(f[0])
		vk, pk, ok := strings.Cut(key, "/")
		if !ok || vk == "" || pk == "" || fold(vk) != strings.ReplaceAll(vk, "_", " ") {
			return fmt.Errorf("products.txt:%d: key %q is not vendor/product in lower case", n+1, key)
		}
		p := knownProduct{key: key, vendor: strings.TrimSpace(f[1]), name: strings.TrimSpace(f[2])}
		byVendor[fold(vk)] = vk
		byVendor[fold(p.vendor)] = vk
		aliases := append(strings.Split(f[3], ","), p.name, strings.ReplaceAll(pk, "_", " "))
		for _, a := range aliases {
			a = fold(a)
			if a == "" {
				continue
			}
			if old, dup := byAlias[a]; dup && old.key != key {
				return fmt.Errorf("products.txt:%d: alias %q is already %s", n+1, a, old.key)
			}
			byAlias[a] = p
		}
	}
	return nil
}

// fold lower-cases s and turns every run of spaces, hyphens, underscores
// and dots between words into one space.
func fold(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		if unicode.IsSpace(r) || r == '-' || r == '_' || r == '.' || r == '/' || r == ',' {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// Normalize names the product a unit or a notice wrote: vendor may be
// empty, and name may start with the vendor ("Oracle WebLogic Server").
// A product not in the table gets the key "vendor/words" from what was
// written ("/words" without a vendor).
func Normalize(vendor, name string) Product {
	fv, fn := fold(vendor), fold(name)
	if fn == "" {
		return Product{}
	}
	vk := byVendor[fv]
	try := []string{fn}
	// "Oracle WebLogic Server": the vendor named in the product name.
	for words, k := range byVendor {
		if rest, ok := strings.CutPrefix(fn, words+" "); ok && (vk == "" || vk == k) {
			try = append(try, rest)
		}
	}
	if fv != "" {
		try = append(try, strings.TrimPrefix(fn, fv+" "))
	}
	for _, t := range try {
		if p, ok := byAlias[t]; ok {
			pv, _, _ := strings.Cut(p.key, "/")
			if vk != "" && vk != pv {
				continue // another vendor's product of the same name
			}
			return Product{Key: p.key, Vendor: p.vendor, Name: p.name, Known: true}
		}
	}
	if vk == "" {
		vk = strings.ReplaceAll(fv, " ", "_")
	}
	words := fn
	if fv != "" {
		words = strings.TrimPrefix(fn, fv+" ")
	}
	return Product{Key: vk + "/" + strings.ReplaceAll(words, " ", "_"), Vendor: strings.TrimSpace(vendor), Name: strings.TrimSpace(name)}
}
