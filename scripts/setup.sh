#!/usr/bin/env bash
# Install what bindrace needs on a fresh Debian 12 machine (idempotent).
# Needs root (or sudo) only when something is missing.
set -euo pipefail

# afl++: the afl preset, scripts/fuzz.sh --engine afl and bench-bugs mode c.
pkgs=(cmake ninja-build gcc clang-14 libclang-rt-14-dev lld-14 afl++)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	echo "setup: all packages present (${pkgs[*]})"
	exit 0
fi
echo "setup: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null || { echo "setup: need root to install ${missing[*]}" >&2; exit 2; }
	SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
