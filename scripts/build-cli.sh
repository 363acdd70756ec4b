#!/usr/bin/env bash
# Builds a Terraform or OpenTofu CLI release from its Go module (fetched
# through the Go module proxy, so it works where no release binary can be
# downloaded) and prints the path of the binary.
#
#   scripts/build-cli.sh terraform 1.5.7
#   scripts/build-cli.sh tofu 1.12.6
#
# Binaries are cached outside the clone, keyed by name and version:
#   ${JSM_CLI_CACHE:-$HOME/.cache/terraform-provider-jsm/cli}/NAME-VERSION/NAME
# A cached binary is reused as is; a build goes to a temporary directory that
# is renamed into place only once the binary runs, so an interrupted build
# never leaves a broken binary in the cache. Builds run under nice: they take
# minutes on two cores.
set -euo pipefail

usage() { echo "usage: $0 terraform|tofu VERSION   (e.g. $0 terraform 1.5.7)" >&2; exit 2; }
[ $# -eq 2 ] || usage
name=$1 version=${2#v}

case $name in
  terraform) module=github.com/hashicorp/terraform pkg=. ;;
  tofu) module=github.com/opentofu/opentofu pkg=./cmd/tofu ;;
  *) usage ;;
esac

cache=${JSM_CLI_CACHE:-$HOME/.cache/terraform-provider-jsm/cli}
final=$cache/$name-$version
if [ -x "$final/$name" ]; then
  echo "$final/$name"
  exit 0
fi

mkdir -p "$cache"
work=$(mktemp -d "$cache/.build-$name-$version.XXXXXX")
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

# Outside any module, so the project's go.mod plays no part; the toolchain
# on PATH builds every release (no toolchain download).
export GOTOOLCHAIN=local GOFLAGS="-mod=mod -buildvcs=false"
echo "build-cli: downloading $module@v$version" >&2
json=$(cd "$work" && go mod download -json "$module@v$version") || {
  echo "build-cli: $module@v$version: $(sed -n 's/^[[:space:]]*"Error": "\(.*\)",*$/\1/p' <<<"$json")" >&2
  exit 1
}
dir=$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p' <<<"$json")
[ -d "$dir" ] || { echo "build-cli: go mod download gave no source directory for $module@v$version" >&2; exit 1; }

src=$work/src
cp -r "$dir" "$src"
chmod -R u+w "$src"

# Terraform 1.6+ keeps the remote-state backends (and internal/legacy) in
# nested modules that the published module zip leaves out: drop every replace
# directive pointing at a directory that is not there, its require, and the
# backend that imports it. The provider's tests use the local backend only.
missing=()
while read -r mod target; do
  [ -d "$src/$target" ] || missing+=("$mod")
done < <(sed -n 's/^replace \([^ ]*\) => \(\.\/[^ ]*\)$/\1 \2/p' "$src/go.mod")
init=$src/internal/backend/init/init.go
for mod in ${missing[@]+"${missing[@]}"}; do
  (cd "$src" && go mod edit -dropreplace="$mod" -droprequire="$mod")
  alias=$(sed -n "s|^[[:space:]]*\([A-Za-z0-9_]*\) \"$mod\"\$|\1|p" "$init")
  if [ -n "$alias" ]; then
    sed -i -e "\|^[[:space:]]*$alias \"$mod\"\$|d" -e "/[^A-Za-z0-9_]$alias\.New(/d" "$init"
  fi
done
[ ${#missing[@]} -eq 0 ] || echo "build-cli: dropped ${missing[*]##*/}" >&2

# A release build: without dev=no, 1.6+ report themselves as VERSION-dev.
echo "build-cli: building $name $version (takes minutes)" >&2
(cd "$src" && nice -n 10 go build -trimpath \
  -ldflags "-s -w -X $module/version.dev=no" -o "$work/out/$name" "$pkg")
TF_CLI_CONFIG_FILE=/dev/null "$work/out/$name" version >&2

# Another build of the same version may have finished first: keep its binary.
if [ ! -x "$final/$name" ]; then
  rm -rf "$final"
  mv -T "$work/out" "$final" 2>/dev/null || [ -x "$final/$name" ]
fi
echo "$final/$name"
