# Fenghuo — the two commands of the README:
#   go run ./cmd/fenghuo serve --demo   start the product with demo data
#   make test                           run every test (installs PostgreSQL and Chromium when missing)

GO ?= go

.PHONY: test build run bench fuzz generate
test:
	bash scripts/test.sh

# The version printed by `fenghuo version`: the nearest tag (or the commit),
# with -dirty for uncommitted changes. Without git the binary falls back to
# the commit Go records in its build information.
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null)

build:
	CGO_ENABLED=0 $(GO) build -ldflags "-X fenghuo/internal/cli.Version=$(VERSION)" -o bin/fenghuo ./cmd/fenghuo

run:
	$(GO) run ./cmd/fenghuo serve --demo

bench:
	bash bench/run.sh

# Every fuzz target for FUZZTIME each, one after another (scripts/fuzz.sh).
FUZZTIME ?= 10m
fuzz:
	FUZZTIME=$(FUZZTIME) GO=$(GO) bash scripts/fuzz.sh

generate:
	$(GO) generate ./...
