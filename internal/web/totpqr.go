package web

import (
	"fmt"
	"html/template"
	"strings"

	qrcode "github.com/skip2/go-qrcode"
)

// qrModule is the size of one QR module in SVG user units; the browser
// scales the drawing to the CSS size (shape-rendering keeps edges crisp).
const qrModule = 4

// totpQR draws the otpauth:// URI of a TOTP enrolment as an inline SVG QR
// code (issue 13 item 5): the server makes the matrix, nothing is fetched,
// and no script runs. Each dark module is one square of a single path.
// The quiet zone of four modules is part of the matrix. It answers empty
// HTML when the URI cannot be encoded, and the page still shows the secret
// as text beside it.
func totpQR(uri, label string) template.HTML {
	if !strings.HasPrefix(uri, "otpauth://") {
		return ""
	}
	q, err := qrcode.New(uri, qrcode.Medium)
	if err != nil {
		return ""
	}
	return template.HTML(qrSVG(q.Bitmap(), label))
}

// qrSVG draws a module matrix (true is dark) as SVG: a white background
// and one path of dark squares, labelled for screen readers.
func qrSVG(bitmap [][]bool, label string) string {
	n := len(bitmap)
	var d strings.Builder
	for y, row := range bitmap {
		for x, dark := range row {
			if dark {
				fmt.Fprintf(&d, "M%d %dh%dv%dh-%dz", x*qrModule, y*qrModule, qrModule, qrModule, qrModule)
			}
		}
	}
	size := n * qrModule
	return fmt.Sprintf(`<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s" data-modules="%d" shape-rendering="crispEdges"><rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="%s"/></svg>`,
		size, size, size*2, size*2, template.HTMLEscapeString(label), n, size, size, d.String())
}
