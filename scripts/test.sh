#!/usr/bin/env bash
# Build and run every test in every preset: dev (gcc), asan, tsan.
# Usage: scripts/test.sh [PRESET...]     (default: dev asan tsan)
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
presets=("$@")
[ ${#presets[@]} -gt 0 ] || presets=(dev asan tsan)
for p in "${presets[@]}"; do
	case "$p" in
	dev|asan|tsan) ;;
	*) echo "test.sh: unknown preset '$p' (dev, asan or tsan)" >&2; exit 2 ;;
	esac
done

status=0
for p in "${presets[@]}"; do
	echo "=== preset $p ==="
	if ! cmake --workflow --preset "$p"; then
		echo "=== preset $p FAILED ==="
		status=1
	fi
done
exit $status
