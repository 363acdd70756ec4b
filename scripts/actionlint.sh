#!/usr/bin/env bash
# Lints the repository's GitHub Actions workflows and the workflow the
# GitOps guide shows, with actionlint pinned in tools/actionlint/go.mod (built into bin/
# on first use, incremental afterwards).
set -euo pipefail
cd "$(dirname "$0")/.."

mkdir -p bin
go build -C tools/actionlint -o ../../bin/actionlint github.com/rhysd/actionlint/cmd/actionlint
exec ./bin/actionlint .github/workflows/*.yml examples/guides/gitops-onboarding/github-actions.yml
