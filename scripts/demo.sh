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
access_token=demo-access-token-$RANDOM$RANDOM
"$work/bin/jsmsite" -addr 127.0.0.1:0 -state "$work/site.json" -env-file "$work/site.env" -log=false \
  -access-token "$access_token" \
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
# The CSM API (details, products, entitlements) refuses a classic API token,
# as Atlassian's does: the provider uses an OAuth access token; the curl
# calls below that stand in for the JSM UI keep the classic token.
site_email=$JSM_EMAIL site_token=$JSM_API_TOKEN
unset JSM_EMAIL JSM_API_TOKEN
export JSM_ACCESS_TOKEN=$access_token

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
# The local site has the CSM features on: the onboarding module manages
# details, products and entitlements too.
export TF_VAR_csm_features=true
"$tf" version | sed -n 1p

for example in ${DEMO_EXAMPLES:-demo onboarding}; do
  [ -d "examples/$example" ] || continue
  dir="$work/$example"
  cp -r "examples/$example" "$dir"
  # Local modules are installed by `get`: init would ask the registry for the
  # overridden provider.
  "$tf" -chdir="$dir" get -no-color >/dev/null
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
  if [ -f "$dir/customers.yaml" ]; then
    step "$(basename "$tf") plan with customers.yaml: the same people as customers.csv, so no changes"
    "$tf" -chdir="$dir" plan -detailed-exitcode -input=false -no-color -var people_file=customers.yaml >"$work/plan.log" 2>&1 || {
      cat "$work/plan.log"; echo "demo: customers.yaml does not plan as customers.csv applied" >&2; exit 1; }
    grep -E 'No changes' "$work/plan.log"
  fi
done

# --- Bring an existing site under Terraform (terraform query, Terraform 1.14+) ---
# An organization and its members are made through the API, as if they had
# been created in the JSM UI before Terraform; terraform query lists them and
# writes the configuration that adopts them. DEMO_QUERY_TERRAFORM names
# another CLI for this part (e.g. a 1.14+ build when PATH has an older one).
api() { # method path [json body]
  curl -fsS -u "$site_email:$site_token" -X "$1" -H 'Content-Type: application/json' ${3:+--data "$3"} "$JSM_URL$2"
}
json_field() { sed -n "s/.*\"$1\": *\"\\([^\"]*\\)\".*/\\1/p"; }
qtf=${DEMO_QUERY_TERRAFORM:-$tf}
qversion=$("$qtf" version -json | json_field terraform_version)
step "Bring an existing site under Terraform: terraform query ($qtf $qversion)"
if ! printf '%s\n' "$qversion" | awk -F. '{ exit !($1 > 1 || $2 >= 14) }'; then
  echo "skipped: Terraform $qversion has no terraform query (it needs 1.14 or newer)."
  echo "On older CLIs, adopt with a data source and import blocks: see docs/guides/adopting-an-existing-site.md."
else
  org=$(api POST /rest/servicedeskapi/organization '{"name":"Globex Corporation"}' | json_field id)
  api PUT "/rest/servicedeskapi/organization/$org/property/attributes" '{"tier":"gold"}' >/dev/null
  ids=""
  for who in "Grace Globex:grace@globex.example" "Gus Globex:gus@globex.example"; do
    id=$(api POST '/rest/servicedeskapi/customer?strictConflictStatusCode=true' \
      "{\"displayName\":\"${who%%:*}\",\"email\":\"${who#*:}\"}" | json_field accountId)
    ids="$ids${ids:+,}\"$id\""
  done
  api POST "/rest/servicedeskapi/organization/$org/user" "{\"accountIds\":[$ids]}" >/dev/null
  echo "made outside Terraform: organization $org \"Globex Corporation\" and its two members"

  dir="$work/adopt"
  cp -r examples/adopt "$dir"
  step "terraform query -generate-config-out=generated.tf: examples/adopt"
  "$qtf" -chdir="$dir" query -generate-config-out=generated.tf -var "organization_id=$org" -no-color >"$work/query.log" 2>&1 || {
    cat "$work/query.log"; echo "demo: terraform query failed" >&2; exit 1; }
  cat "$work/query.log"
  step "generated.tf"
  cat "$dir/generated.tf"
  step "terraform plan: every result is imported, nothing changes"
  "$qtf" -chdir="$dir" plan -out=adopt.tfplan -input=false -no-color >"$work/plan.log" 2>&1 || {
    cat "$work/plan.log"; echo "demo: the plan of the generated configuration failed" >&2; exit 1; }
  grep -E '^Plan:' "$work/plan.log"
  grep -qE '^Plan: 3 to import, 0 to add, 0 to change, 0 to destroy' "$work/plan.log" || {
    cat "$work/plan.log"; echo "demo: the generated configuration does not plan as 3 imports without changes" >&2; exit 1; }
  "$qtf" -chdir="$dir" apply -input=false -no-color adopt.tfplan >"$work/apply.log" 2>&1 || {
    cat "$work/apply.log"; echo "demo: the apply of the imports failed" >&2; exit 1; }
  grep -E '^Apply complete' "$work/apply.log"
  step "terraform plan again: examples/adopt must show no changes"
  set +e
  "$qtf" -chdir="$dir" plan -detailed-exitcode -input=false -no-color >"$work/plan.log" 2>&1
  rc=$?
  set -e
  [ $rc -eq 0 ] || { cat "$work/plan.log"; echo "demo: the plan after the adoption is not empty" >&2; exit 1; }
  grep -E 'No changes' "$work/plan.log"
fi

step "Accounts on the local JSM site"
curl -fsS -u "$site_email:$site_token" "$JSM_URL/__site/accounts" |
  go run ./scripts/printaccounts
echo
echo "Demo complete."
