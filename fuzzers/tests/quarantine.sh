#!/usr/bin/env bash
# ctest fuzz_asan.quarantine: fuzz_bind's ASan quarantine (asan_options.c)
# is in effect, and it holds at least twice the heap the largest run
# allocates, over the seeds and every repro input: a use after free in a
# run then still finds its chunk poisoned, with room for runs to grow.  A run's allocations are
# libFuzzer's -trace_malloc lines between its "Running:" lines.
#   quarantine.sh FUZZ_BIND SEED_DIR REPRO_DIR
# (also a measure of any corpus: REPRO_DIR may hold no entries)
set -u
shopt -s nullglob
fb=$1 seeds=$2 repro=$3
fail() { echo "FAIL: $*"; exit 1; }
set -- "$seeds"/* "$repro"/*/input.bin
[ $# -gt 0 ] || fail "no inputs in $seeds or $repro"

q=$(ASAN_OPTIONS=verbosity=1 "$fb" -runs=0 /dev/null 2>&1 |
	sed -n 's/^quarantine_size_mb=\([0-9]*\)M$/\1/p')
[ -n "$q" ] || fail "no quarantine_size_mb line in ASan's verbosity=1 output"
# ASan's own default is 256 MB: less says the target's default took.
[ "$q" -lt 256 ] || fail "quarantine is ${q} MB, ASan's default: asan_options.c not linked?"

largest=$("$fb" -trace_malloc=1 "$@" 2>&1 | awk '
	/^Running: / { if (f != "" && b > max) { max = b; mf = f } f = $2; b = 0; runs++ }
	/^MALLOC\[/ { b += $3; n++ }
	END {
		if (f != "" && b > max) { max = b; mf = f }
		if (!n) exit 1
		print max, runs, mf
	}') || fail "no MALLOC lines: -trace_malloc did not trace"
read -r bytes runs file <<<"$largest"
echo "quarantine ${q} MB; largest run allocates $bytes bytes ($file); $runs of $# inputs ran"
[ "$runs" -eq $# ] || fail "only $runs of $# inputs ran (a finding stopped the replay?)"
[ $((bytes * 2)) -le $((q * 1024 * 1024)) ] ||
	fail "a run allocates $bytes bytes, more than half the ${q} MB quarantine: raise it in fuzzers/asan_options.c"
