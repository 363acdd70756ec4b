#!/usr/bin/env bash
# Prints the path of a Terraform that `make generate` renders the docs with.
# List resources and resource identities reach the docs only through a CLI
# that reports them (1.14 or newer), and an identity import example fails
# the rendering with an older one. Takes the PATH terraform when it is new
# enough; else the newest one scripts/build-cli.sh cached; else one it
# builds (minutes, once).
set -euo pipefail
cd "$(dirname "$0")/.."

new_enough() {
  "$1" version -json 2>/dev/null | sed -n 's/.*"terraform_version": *"\([0-9]*\)\.\([0-9]*\).*/\1 \2/p' |
    awk '{ ok = ($1 > 1 || $2 >= 14) } END { exit !ok }'
}

if tf=$(command -v terraform) && new_enough "$tf"; then
  echo "$tf"
  exit 0
fi
cache=${JSM_CLI_CACHE:-$HOME/.cache/terraform-provider-jsm/cli}
while IFS= read -r tf; do
  if new_enough "$tf"; then
    echo "$tf"
    exit 0
  fi
done < <(ls -d "$cache"/terraform-*/terraform 2>/dev/null | sort -V -r)
if [ -f scripts/build-cli.sh ]; then
  exec bash scripts/build-cli.sh terraform "${DOCS_TERRAFORM_VERSION:-1.16.4}"
fi
echo "docs-terraform: make generate needs Terraform 1.14 or newer (list resources and resource identities reach" \
  "the docs only through it): put one on PATH" >&2
exit 1
