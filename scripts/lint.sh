#!/usr/bin/env bash
# Runs golangci-lint (version pinned in tools/go.mod) over the provider module,
# then over the benchmark's module (tools/bench), both with the root
# .golangci.yml. Exits non-zero on any finding.
#
#   scripts/lint.sh            # lint ./... of both modules
#   scripts/lint.sh --fix      # extra arguments go to `golangci-lint run`
#
# The tools module is separate so golangci-lint's dependency graph stays out
# of the provider's go.mod. golangci-lint must run from the root module (it
# loads packages relative to the working directory), so the binary is built
# into bin/ (gitignored) and run from here. `go build` is incremental: the
# first build takes a few minutes, later runs about a second. Another
# golangci-lint running at the same time (a developer's, in another clone)
# would make it exit on its lock: --allow-parallel-runners lets both run.
set -euo pipefail
cd "$(dirname "$0")/.."

mkdir -p bin
go build -C tools -o ../bin/golangci-lint github.com/golangci/golangci-lint/v2/cmd/golangci-lint

./bin/golangci-lint config verify --config .golangci.yml
./bin/golangci-lint run --allow-parallel-runners --config .golangci.yml "$@" ./...
# golangci-lint loads one module, the working directory's; the exclusions'
# paths are relative to the configuration file, so they hold in both.
(cd tools/bench && ../../bin/golangci-lint run --allow-parallel-runners --config ../../.golangci.yml "$@" ./...)
