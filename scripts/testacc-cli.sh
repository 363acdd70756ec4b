#!/usr/bin/env bash
# Runs the acceptance tests against each CLI named NAME-VERSION (terraform-1.5.7,
# tofu-1.12.6, ...), building the ones not yet cached with scripts/build-cli.sh.
# RUN narrows the tests (a go test -run regexp, all by default); every CLI is
# tried and the script fails at the end if any failed.
#
#   scripts/testacc-cli.sh terraform-1.5.7 tofu-1.12.6
#   RUN='^TestAccOrganization' scripts/testacc-cli.sh tofu-1.12.6
set -euo pipefail
cd "$(dirname "$0")/.."
# Each run's `go test -json` events are summarised by scripts/testsummary
# and kept under TEST_RESULTS (tmp/test-results).
mkdir -p bin && go build -o bin/testsummary ./scripts/testsummary
[ $# -gt 0 ] || { echo "usage: $0 NAME-VERSION... (e.g. terraform-1.5.7 tofu-1.12.6)" >&2; exit 2; }

failed=()
for cli in "$@"; do
  name=${cli%%-*} version=${cli#*-}
  echo "--- acceptance tests on $name $version${RUN:+ (-run '$RUN')}"
  bin=$(./scripts/build-cli.sh "$name" "$version")
  start=$SECONDS
  if env -u JSM_URL -u JSM_EMAIL -u JSM_API_TOKEN -u JSM_ACCESS_TOKEN -u JSM_CLIENT_ID -u JSM_CLIENT_SECRET -u JSM_OAUTH_TOKEN_URL -u TF_ACC_PROVIDER_HOST \
      -u TF_ACC_PROVIDER_NAMESPACE -u TF_ACC_TERRAFORM_VERSION TF_ACC=1 TF_ACC_TERRAFORM_PATH="$bin" \
      go test -json -count=1 -timeout "${TEST_TIMEOUT:-60m}" -parallel "${TEST_PARALLEL:-4}" -run "${RUN:-.}" ./internal/provider/ \
      | ./bin/testsummary -json-out "${TEST_RESULTS:-tmp/test-results}/testacc-$cli.json"; then
    echo "--- ok: $name $version in $((SECONDS - start))s"
  else
    echo "--- FAILED: $name $version" >&2
    failed+=("$cli")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "acceptance tests failed on: ${failed[*]}" >&2
  exit 1
fi
