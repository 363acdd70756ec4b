#!/usr/bin/env bash
# make demo: build the provider, start the local JSM site, apply the demo
# configurations against it, show that a second plan is empty, stop the site.
# Any failing step fails the demo. TF_BIN picks the CLI (terraform on PATH by
# default), e.g. TF_BIN=$(scripts/build-cli.sh tofu 1.12.6) make demo.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
tf=${TF_BIN:-terraform}

work=$(mktemp -d "${TMPDIR:-/tmp}/jsm-demo.XXXXXX")
site_pid=""
cleanup() {
  if [ -n "$site_pid" ] && kill -0 "$site_pid" 2>/dev/null; then
    kill "$site_pid" && wait "$site_pid" 2>/dev/null || true
    echo "==> local JSM site stopped"
  fi
  rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n==> %s\n' "$*"; }

step "Building the provider"
mkdir -p "$work/bin"
go build -o "$work/bin/terraform-provider-jsm" .
go build -o "$work/bin/jsmsite" ./internal/jsmsite/cmd/jsmsite

step "Starting the local JSM site"
"$work/bin/jsmsite" -addr 127.0.0.1:0 -state "$work/site.json" -env-file "$work/site.env" -log=false \
  >"$work/site.out" 2>&1 &
site_pid=$!
for _ in $(seq 1 100); do
  [ -s "$work/site.env" ] && break
  kill -0 "$site_pid" 2>/dev/null || { cat "$work/site.out"; echo "demo: the local JSM site did not start" >&2; exit 1; }
  sleep 0.1
done
[ -s "$work/site.env" ] || { cat "$work/site.out"; echo "demo: the local JSM site did not report its URL" >&2; exit 1; }
set -a; . "$work/site.env"; set +a
echo "JSM_URL=$JSM_URL"

# Use the provider just built instead of the registry's: Terraform looks for
# jsmtf/jsm at registry.terraform.io, OpenTofu at registry.opentofu.org.
cat >"$work/terraformrc" <<CFG
provider_installation {
  dev_overrides {
    "registry.terraform.io/jsmtf/jsm" = "$work/bin"
    "registry.opentofu.org/jsmtf/jsm" = "$work/bin"
  }
  direct {}
}
CFG
export TF_CLI_CONFIG_FILE="$work/terraformrc"
export TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
"$tf" version | head -1

for example in ${DEMO_EXAMPLES:-demo onboarding}; do
  [ -d "examples/$example" ] || continue
  dir="$work/$example"
  cp -r "examples/$example" "$dir"
  step "$(basename "$tf") apply: examples/$example"
  "$tf" -chdir="$dir" apply -auto-approve -input=false -no-color >"$work/apply.log" 2>&1 || {
    cat "$work/apply.log"; echo "demo: apply of examples/$example failed" >&2; exit 1; }
  grep -E '^Apply complete' "$work/apply.log"
  step "Outputs of examples/$example"
  "$tf" -chdir="$dir" output -no-color
  step "$(basename "$tf") plan again: examples/$example must show no changes"
  set +e
  "$tf" -chdir="$dir" plan -detailed-exitcode -input=false -no-color >"$work/plan.log" 2>&1
  rc=$?
  set -e
  case $rc in
    0) grep -E 'No changes' "$work/plan.log" ;;
    2) cat "$work/plan.log"; echo "demo: the second plan of examples/$example is not empty" >&2; exit 1 ;;
    *) cat "$work/plan.log"; echo "demo: the second plan of examples/$example failed" >&2; exit 1 ;;
  esac
done

step "Accounts on the local JSM site"
curl -fsS -u "$JSM_EMAIL:$JSM_API_TOKEN" "$JSM_URL/__site/accounts" |
  go run ./scripts/printaccounts
echo
echo "Demo complete."
