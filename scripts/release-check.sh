#!/usr/bin/env bash
# Offline dry run of a Terraform Registry release: validates .goreleaser.yml,
# builds every platform as a snapshot (no tag, no signing, nothing published,
# no GitHub access or GITHUB_TOKEN needed) and checks that dist/ holds what
# the Registry expects: one zip per platform with the versioned binary inside,
# <project>_<version>_SHA256SUMS listing every zip and the manifest.
#
# goreleaser (pinned in tools/go.mod) is built into bin/ (gitignored) and run
# from the repository root, since it builds the module in its working directory.
set -euo pipefail
cd "$(dirname "$0")/.."

PROJECT=terraform-provider-jsm
# Must match builds[].goos/goarch minus ignore in .goreleaser.yml.
PLATFORMS=(
  darwin_amd64 darwin_arm64
  freebsd_386 freebsd_amd64 freebsd_arm freebsd_arm64
  linux_386 linux_amd64 linux_arm linux_arm64
  windows_386 windows_amd64 windows_arm64
)

mkdir -p bin
go build -C tools -o ../bin/goreleaser github.com/goreleaser/goreleaser/v2

echo "--- goreleaser check"
./bin/goreleaser check
[ -z "${CHECK_ONLY:-}" ] || exit 0

echo "--- goreleaser release --snapshot"
# --snapshot implies skipping publish, announce and validate (dirty tree/tag);
# --skip=sign because the GPG key only exists where real releases are cut.
./bin/goreleaser release --snapshot --clean --skip=sign

echo "--- checking dist/"
version=$(sed -n 's/.*"version":"\([^"]*\)".*/\1/p' dist/metadata.json)
[ -n "$version" ] || { echo "release-check: no version in dist/metadata.json" >&2; exit 1; }
echo "version: $version"
ls -l dist/*.zip dist/*_SHA256SUMS

fail=0
sums="dist/${PROJECT}_${version}_SHA256SUMS"
[ -f "$sums" ] || { echo "missing $sums" >&2; exit 1; }

for p in "${PLATFORMS[@]}"; do
  zip="${PROJECT}_${version}_${p}.zip"
  bin="${PROJECT}_v${version}"
  [[ $p == windows_* ]] && bin="${bin}.exe"
  if [ ! -f "dist/$zip" ]; then
    echo "missing dist/$zip" >&2; fail=1; continue
  fi
  unzip -Z1 "dist/$zip" | grep -qx "$bin" || { echo "$zip lacks $bin" >&2; fail=1; }
  want=$(sha256sum "dist/$zip" | cut -d' ' -f1)
  grep -qx "$want  $zip" "$sums" || { echo "$sums: no/wrong entry for $zip" >&2; fail=1; }
done

nzip=$(find dist -maxdepth 1 -name '*.zip' | wc -l)
[ "$nzip" -eq "${#PLATFORMS[@]}" ] || { echo "expected ${#PLATFORMS[@]} zips, found $nzip" >&2; fail=1; }

manifest="${PROJECT}_${version}_manifest.json"
want=$(sha256sum terraform-registry-manifest.json | cut -d' ' -f1)
grep -qx "$want  $manifest" "$sums" || { echo "$sums: no/wrong entry for $manifest" >&2; fail=1; }

[ "$fail" -eq 0 ] || { echo "release-check: FAILED" >&2; exit 1; }
echo "--- release-check ok: ${#PLATFORMS[@]} zips + manifest in $(basename "$sums")"
