#!/usr/bin/env bash
# Checks that every example is formatted and valid against the provider built
# from this tree: `terraform fmt -check`, then `terraform validate` in each
# example directory, through dev_overrides (no registry, no init). TF_BIN picks
# the CLI (terraform on PATH by default; OpenTofu works too).
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d "${TMPDIR:-/tmp}/jsm-validate.XXXXXX")
trap 'rm -rf "$work"' EXIT
tf=${TF_BIN:-terraform}

go build -o "$work/bin/terraform-provider-jsm" .
# Examples without a required_providers block imply hashicorp/jsm: point
# both addresses at the build, at Terraform's and at OpenTofu's registry.
cat >"$work/terraformrc" <<CFG
provider_installation {
  dev_overrides {
    "registry.terraform.io/jsmtf/jsm"     = "$work/bin"
    "registry.terraform.io/hashicorp/jsm" = "$work/bin"
    "registry.opentofu.org/jsmtf/jsm"     = "$work/bin"
    "registry.opentofu.org/hashicorp/jsm" = "$work/bin"
  }
  direct {}
}
CFG
export TF_CLI_CONFIG_FILE="$work/terraformrc"

"$tf" fmt -check -recursive -diff examples/

failed=0
while IFS= read -r dir; do
  copy="$work/dirs/$dir"
  mkdir -p "$copy"
  cp -r "$dir"/. "$copy"/
  if out=$("$tf" -chdir="$copy" validate -no-color 2>&1); then
    echo "ok    $dir"
  else
    echo "FAIL  $dir"
    echo "$out" | sed 's/^/      /'
    failed=1
  fi
done < <(find examples -name '*.tf' -exec dirname {} \; | sort -u)
exit $failed
