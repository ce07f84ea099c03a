#!/usr/bin/env bash
# flatpak-builder reads the manifest without a single warning: fatal-warnings turns an unknown
# key, a wrong type or an unknown finish-arg into a failure. It needs no runtime for that.
# Usage: check-show-manifest.sh MANIFEST SCRATCH_PARENT
set -euo pipefail
manifest=$(realpath "$1")
if ! command -v flatpak-builder >/dev/null 2>&1; then
  echo "flatpak-builder is not installed: skipped (build-aux/dev test installs it)"
  exit 77
fi
# --show-manifest writes .flatpak-builder/ into the current folder: keep it out of the tree.
scratch=$(mktemp -d "$2/show-manifest.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
G_DEBUG=fatal-warnings flatpak-builder --show-manifest "$manifest" >manifest.out
echo "flatpak-builder reads $(basename "$manifest") without a warning"
