package docsign

import (
	"bytes"
	"encoding/binary"
	"errors"
	"time"
)

// ZIP (APPNOTE 4.3.16): the end of central directory record is 22 bytes,
// its last field the comment length, followed by the comment itself.
const (
	eocdSize      = 22
	eocdSignature = "PK\x05\x06"
	maxComment    = 0xFFFF
)

// pdfEOF ends a PDF file (ISO 32000-1 §7.5.5); the block follows it as a
// comment line, which every reader ignores.
const (
	pdfHeader = "%PDF-"
	pdfEOF    = "%%EOF"
	pdfLine   = "%" + Marker
)

// ErrUnsupported is returned by SignFile for files that are neither ZIP
// nor PDF: sign those detached (Sign, Block.Encode).
var ErrUnsupported = errors.New("docsign: only ZIP-based files (DOCX, XLSX) and PDF can carry an embedded signature")

// IsZIP and IsPDF tell the formats apart by their first bytes.
func IsZIP(data []byte) bool { return bytes.HasPrefix(data, []byte("PK\x03\x04")) }

// IsPDF reports whether data starts like a PDF file.
func IsPDF(data []byte) bool { return bytes.HasPrefix(data, []byte(pdfHeader)) }

// SignFile returns data with k's signature embedded. For a ZIP the signed
// bytes are the file with an empty archive comment and the block becomes
// the comment; for a PDF they are the file up to and including its final
// %%EOF line and the block is a comment line after it. Both still open in
// Word, WPS, LibreOffice and PDF readers. A file signed before is signed
// afresh (its old block is dropped).
func SignFile(k Key, data []byte, at time.Time) ([]byte, error) {
	var signed []byte
	switch {
	case IsZIP(data):
		eocd := findEOCD(data)
		if eocd < 0 {
			return nil, errors.New("docsign: ZIP file without an end of central directory record")
		}
		signed = append([]byte(nil), data[:eocd+eocdSize]...)
		binary.LittleEndian.PutUint16(signed[eocd+20:], 0)
	case IsPDF(data):
		end := pdfSignedEnd(stripPDFBlock(data))
		if end < 0 {
			return nil, errors.New("docsign: PDF file without %%EOF")
		}
		signed = append([]byte(nil), data[:end]...)
		if !bytes.HasSuffix(signed, []byte("\n")) {
			signed = append(signed, '\n')
		}
	default:
		return nil, ErrUnsupported
	}
	b, err := Sign(k, signed, at)
	if err != nil {
		return nil, err
	}
	block := b.Encode()
	if IsPDF(data) {
		return append(signed, pdfLine[:1]+block+"\n"...), nil
	}
	if len(block) > maxComment {
		return nil, errors.New("docsign: signature block too long for a ZIP comment")
	}
	binary.LittleEndian.PutUint16(signed[len(signed)-2:], uint16(len(block)))
	return append(signed, block...), nil
}

// findEOCD returns the offset of the ZIP end record whose comment runs
// exactly to the end of data, or -1.
func findEOCD(data []byte) int {
	low := max(0, len(data)-eocdSize-maxComment)
	for i := len(data) - eocdSize; i >= low; i-- {
		if string(data[i:i+4]) != eocdSignature {
			continue
		}
		if n := int(binary.LittleEndian.Uint16(data[i+20:])); i+eocdSize+n == len(data) {
			return i
		}
	}
	return -1
}

// stripPDFBlock drops a Fenghuo block line a PDF already ends with.
func stripPDFBlock(data []byte) []byte {
	if i := bytes.LastIndex(data, []byte("\n"+pdfLine)); i >= 0 {
		return data[:i+1]
	}
	return data
}

// pdfSignedEnd returns where the final %%EOF line ends (after its line
// break, if any), or -1.
func pdfSignedEnd(data []byte) int {
	i := bytes.LastIndex(data, []byte(pdfEOF))
	if i < 0 {
		return -1
	}
	end := i + len(pdfEOF)
	switch {
	case bytes.HasPrefix(data[end:], []byte("\r\n")):
		end += 2
	case end < len(data) && (data[end] == '\n' || data[end] == '\r'):
		end++
	}
	return end
}

// VerifyFile checks the signature embedded in a DOCX, XLSX or PDF file,
// and the signer's key against trust when given (nil: the key in the block
// is used and the result says it was not checked).
func VerifyFile(data []byte, trust *TrustList) Result {
	var r Result
	switch {
	case IsZIP(data):
		r = verifyZIP(data)
	case IsPDF(data):
		r = verifyPDF(data)
	case bytes.Contains(data, []byte("\n"+pdfLine)):
		// The first bytes were changed: the block still says what was signed.
		r = verifyPDF(data)
	case zipBlockAt(data) >= 0:
		r = verifyZIP(data)
	default:
		return Result{Failure: FailUnreadable}
	}
	r.applyTrust(trust)
	return r
}

// zipBlockAt returns the offset of an end record followed by a block, or -1.
func zipBlockAt(data []byte) int {
	m := bytes.LastIndex(data, []byte(Marker))
	if m < eocdSize || string(data[m-eocdSize:m-eocdSize+4]) != eocdSignature {
		return -1
	}
	return m - eocdSize
}

func verifyZIP(data []byte) Result {
	r := Result{Format: FormatZIP}
	eocd := findEOCD(data)
	if eocd >= 0 {
		comment := data[eocd+eocdSize:]
		if !bytes.HasPrefix(comment, []byte(Marker)) {
			r.Failure = FailNotSigned
			return r
		}
		return checkEmbedded(r, string(comment), zipSigned(data, eocd))
	}
	// No end record that fits: the bytes before the block were altered
	// (its length field among them), or something was appended. When a
	// block is there, its own digest says what changed.
	m := zipBlockAt(data)
	if m < 0 {
		r.Failure = FailUnreadable
		return r
	}
	comment := data[m+eocdSize:]
	block := comment
	if n := int(binary.LittleEndian.Uint16(data[m+20:])); n <= len(block) {
		block = block[:n] // something appended after the block
	}
	r = checkEmbedded(r, string(block), zipSigned(data, m))
	if r.Failure == OK {
		// The signed bytes are intact but the file is not: bytes after the
		// block, or a comment length that does not fit.
		r.Failure = FailChanged
	}
	return r
}

// zipSigned is the file as signed: up to the end record, comment length 0.
func zipSigned(data []byte, eocd int) []byte {
	signed := append([]byte(nil), data[:eocd+eocdSize]...)
	binary.LittleEndian.PutUint16(signed[eocd+20:], 0)
	return signed
}

func verifyPDF(data []byte) Result {
	r := Result{Format: FormatPDF}
	i := bytes.LastIndex(data, []byte("\n"+pdfLine))
	if i < 0 {
		r.Failure = FailNotSigned
		if pdfSignedEnd(data) < 0 {
			r.Failure = FailUnreadable
		}
		return r
	}
	signed, rest := data[:i+1], data[i+2:] // rest: the block line without its "%"
	line, after, _ := bytes.Cut(rest, []byte("\n"))
	r = checkEmbedded(r, string(bytes.TrimSuffix(line, []byte("\r"))), signed)
	if r.Failure == OK && (len(bytes.TrimSpace(after)) > 0 || pdfSignedEnd(signed) != len(signed)) {
		// An incremental update appended after signing, or a block placed
		// somewhere other than right after the final %%EOF.
		r.Failure = FailChanged
	}
	return r
}

func checkEmbedded(r Result, encoded string, signed []byte) Result {
	b, err := Decode(encoded)
	if err != nil {
		r.Failure = FailDamaged
		return r
	}
	r.Block = b
	r.Failure = b.check(signed)
	return r
}
