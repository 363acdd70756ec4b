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

# import-by-identity.tf imports the same address as import-by-string-id.tf,
# so each is validated in its own copy of the directory; identity in an
# import block needs Terraform 1.12.
identity_ok=$("$tf" version -json | sed -n 's/.*"terraform_version": *"\([0-9]*\)\.\([0-9]*\).*/\1 \2/p' |
  awk '{ print ($1 > 1 || $2 >= 12) ? 1 : 0 }')

failed=0
n=0
validate() { # dir label file-to-leave-out
  # In a copy of the whole examples tree, so that module sources that climb
  # out of the directory (examples/gitops/companies/* use ../../modules)
  # resolve as they do in a user's repository.
  n=$((n + 1))
  mkdir -p "$work/dirs/$n"
  cp -r examples "$work/dirs/$n/"
  local copy="$work/dirs/$n/$1"
  rm -f "$copy/$3"
  # Modules are installed by `get` (init would also ask the registry for the
  # overridden provider, and fail offline).
  if grep -qs '^module ' "$copy"/*.tf && ! out=$("$tf" -chdir="$copy" get -no-color 2>&1); then
    echo "FAIL  $2"
    echo "$out" | sed 's/^/      /'
    failed=1
    return
  fi
  if out=$("$tf" -chdir="$copy" validate -no-color 2>&1); then
    echo "ok    $2"
  else
    echo "FAIL  $2"
    echo "$out" | sed 's/^/      /'
    failed=1
  fi
}
while IFS= read -r dir; do
  validate "$dir" "$dir" import-by-identity.tf
  if [ -f "$dir/import-by-identity.tf" ]; then
    if [ "$identity_ok" = 1 ]; then
      validate "$dir" "$dir (import by identity)" import-by-string-id.tf
    else
      echo "skip  $dir (import by identity: needs Terraform 1.12 or newer)"
    fi
  fi
done < <(find examples -name '*.tf' -exec dirname {} \; | sort -u)
exit $failed
