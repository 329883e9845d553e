#!/usr/bin/env bash
# Build and run every test in every preset: dev (gcc), asan, tsan, and the
# libFuzzer builds fuzz-asan and fuzz-tsan (unit, regress and smoke labels).
# Usage: scripts/test.sh [PRESET...]     (default: dev asan tsan fuzz-asan fuzz-tsan)
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
presets=("$@")
[ ${#presets[@]} -gt 0 ] || presets=(dev asan tsan fuzz-asan fuzz-tsan)
for p in "${presets[@]}"; do
	case "$p" in
	dev|asan|tsan|fuzz-asan|fuzz-tsan|afl) ;;
	*) echo "test.sh: unknown preset '$p' (dev, asan, tsan, fuzz-asan, fuzz-tsan or afl)" >&2; exit 2 ;;
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
