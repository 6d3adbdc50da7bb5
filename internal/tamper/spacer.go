package tamper

import (
	"bytes"
	"encoding/base64"
	"strings"
)

// Spacer images: a picture drawn at most 2×2 pixels, by its width or
// height (attribute or inline style) or, with neither given, by the
// natural size of an inline data: image (the usual transparent 1×1 GIF).
// Nothing of one can be seen: its alt and title text, and the areas of an
// image map only spacers use, are read by spiders alone.

// spacerMaxPx is the largest drawn size of a spacer.
const spacerMaxPx = 2

// spacerImage reports whether an <img> with these attributes is a spacer.
// raw is the tag's source, to tell lazy-loading placeholders (data-src,
// data-original, loading=lazy), which a script replaces, from spacers.
func spacerImage(attrs attrList, inline decls, raw []byte) bool {
	wd, ht := attrs.val("width"), attrs.val("height")
	if v := inline["width"]; v != "" {
		wd = v
	}
	if v := inline["height"]; v != "" {
		ht = v
	}
	if wd != "" && lenAtMost(wd, spacerMaxPx) || ht != "" && lenAtMost(ht, spacerMaxPx) {
		return true
	}
	if wd != "" || ht != "" || lazyImage(raw) {
		return false
	}
	w, h, ok := dataImageSize(attrs.val("src"))
	return ok && w <= spacerMaxPx && h <= spacerMaxPx
}

// lazyImage: the markers of lazy-loading libraries on an <img> tag.
func lazyImage(raw []byte) bool {
	return bytes.Contains(raw, []byte("data-src")) || bytes.Contains(raw, []byte("data-original")) ||
		bytes.Contains(raw, []byte("lazy")) || bytes.Contains(raw, []byte("data-echo"))
}

// dataImageSize reads the natural size of a base64 data: GIF or PNG from
// its header.
func dataImageSize(src string) (w, h int, ok bool) {
	src = strings.TrimSpace(src)
	if len(src) < 12 || !strings.EqualFold(src[:11], "data:image/") {
		return 0, 0, false
	}
	comma := strings.IndexByte(src, ',')
	if comma < 0 || !strings.HasSuffix(strings.ToLower(src[:comma]), ";base64") {
		return 0, 0, false
	}
	enc := src[comma+1:]
	if len(enc) > 32 {
		enc = enc[:32]
	}
	hdr, err := base64.StdEncoding.DecodeString(enc[:len(enc)/4*4])
	if err != nil {
		return 0, 0, false
	}
	switch {
	case len(hdr) >= 10 && bytes.HasPrefix(hdr, []byte("GIF8")):
		return int(hdr[6]) | int(hdr[7])<<8, int(hdr[8]) | int(hdr[9])<<8, true
	case len(hdr) >= 24 && bytes.HasPrefix(hdr, []byte("\x89PNG")):
		be := func(b []byte) int { return int(b[0])<<24 | int(b[1])<<16 | int(b[2])<<8 | int(b[3]) }
		return be(hdr[16:20]), be(hdr[20:24]), true
	}
	return 0, 0, false
}

// spacerTag evaluates an <img …> tag found in the raw document (for the
// image maps, which are read before the walk reaches the image).
func spacerTag(tag []byte) bool {
	attrs := parseAttrs(tag, nil, nil)
	var inline decls
	if st, ok := attrs.get("style"); ok {
		inline = parseDecls(st)
	}
	return spacerImage(attrs, inline, tag)
}

// spacerText reads the alt and title of a spacer image as hidden text.
func (w *walker) spacerText(raw []byte, sel *pathNode, c ctx, inline decls) {
	alt, title := w.attrs.val("alt"), w.attrs.val("title")
	if alt == "" && title == "" || !spacerImage(w.attrs, inline, raw) {
		return
	}
	sc := c
	sc.fragment = true // never fingerprinted before
	if sc.hidden == "" {
		sc.hidden, sc.hideSel, sc.hideProp = "alt/title text of a spacer image", sel, "display"
	}
	for _, s := range [...]string{alt, title} {
		if s != "" {
			w.addChunk(s, sc, inBody)
		}
	}
}
