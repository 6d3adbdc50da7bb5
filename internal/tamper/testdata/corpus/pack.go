//go:build ignore

// pack writes webtamper-dev.pack.gz from a copy of the webtamper-dev corpus:
//
//	go run ./internal/tamper/testdata/corpus/pack.go -src /path/to/webtamper-dev
//
// The pages of one site share most of their lines, so each file is stored
// as runs of lines from one shared table (first occurrence order) and the
// whole is gzipped: 13 MB of HTML become a few hundred KB. Every file keeps
// its SHA-256, which the tests check after unpacking.
package main

import (
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

type packedFile struct {
	Path   string   `json:"path"`
	SHA256 string   `json:"sha256"`
	Runs   [][2]int `json:"runs"` // [first line, count] into Lines
}

type pack struct {
	Format string       `json:"format"`
	Files  []packedFile `json:"files"`
	Lines  []string     `json:"lines"`
}

func main() {
	src := flag.String("src", "", "webtamper-dev directory")
	out := flag.String("out", "internal/tamper/testdata/corpus/webtamper-dev.pack.gz", "output file")
	flag.Parse()
	if *src == "" {
		log.Fatal("pack: -src is required (the webtamper-dev directory)")
	}
	var paths []string
	err := filepath.WalkDir(*src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || d.Name() == "README.md" {
			return nil
		}
		rel, err := filepath.Rel(*src, p)
		if err != nil {
			return err
		}
		paths = append(paths, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	sort.Strings(paths)
	pk := pack{Format: "fenghuo line pack v1"}
	index := map[string]int{}
	for _, p := range paths {
		data, err := os.ReadFile(filepath.Join(*src, p))
		if err != nil {
			log.Fatal(err)
		}
		sum := sha256.Sum256(data)
		f := packedFile{Path: p, SHA256: hex.EncodeToString(sum[:])}
		for _, line := range strings.Split(string(data), "\n") {
			i, ok := index[line]
			if !ok {
				i = len(pk.Lines)
				index[line] = i
				pk.Lines = append(pk.Lines, line)
			}
			if n := len(f.Runs); n > 0 && f.Runs[n-1][0]+f.Runs[n-1][1] == i {
				f.Runs[n-1][1]++
			} else {
				f.Runs = append(f.Runs, [2]int{i, 1})
			}
		}
		pk.Files = append(pk.Files, f)
	}
	fh, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	zw, err := gzip.NewWriterLevel(fh, gzip.BestCompression)
	if err != nil {
		log.Fatal(err)
	}
	enc := json.NewEncoder(zw)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(pk); err != nil {
		log.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		log.Fatal(err)
	}
	if err := fh.Close(); err != nil {
		log.Fatal(err)
	}
	log.Printf("packed %d files, %d distinct lines into %s", len(pk.Files), len(pk.Lines), *out)
}
