# Common tasks. The README's commands work without make; these are shortcuts.
GO ?= go

.PHONY: build test unit vet fmt ci golden bench
build:
	$(GO) build -o bin/ ./cmd/...

test:
	lab/test

unit:
	$(GO) test ./...

vet:
	$(GO) vet ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

ci:
	bash .ci/run

# Rewrite golden files after reviewing a deliberate change of output.
golden:
	$(GO) test ./cmd/ecscan -update

# Speed beside the tools users know (the lab must be up).
bench:
	lab/bench/ports
