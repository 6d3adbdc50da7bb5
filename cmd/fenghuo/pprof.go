//go:build pprof

// Built only with -tags pprof (bench/ingest -profile does so): the
// profiling endpoints of net/http/pprof on the loopback address
// FENGHUO_PPROF names, for measuring serve as it runs. Release builds have
// no such listener.
package main

import (
	"net"
	"net/http"
	"net/http/pprof"
	"os"
)

func init() {
	addr := os.Getenv("FENGHUO_PPROF")
	if addr == "" {
		return
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		os.Stderr.WriteString("FENGHUO_PPROF: " + err.Error() + "\n")
		os.Exit(1)
	}
	if tcp, ok := ln.Addr().(*net.TCPAddr); !ok || !tcp.IP.IsLoopback() {
		os.Stderr.WriteString("FENGHUO_PPROF must be a loopback address\n")
		os.Exit(1)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	go http.Serve(ln, mux)
}
