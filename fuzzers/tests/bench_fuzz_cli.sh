#!/usr/bin/env bash
# ctest bench_fuzz.cli: scripts/bench-fuzz refuses a bad --time, --runs or --with,
# a flag without its value and an unknown flag, with exit status 2 and a
# message naming the flag, before it builds or runs anything; and the
# median and range its summary prints.
#   bench_fuzz_cli.sh TOP
set -u
top=$1
rc=0
check() {	# want-message args...
	local want=$1 out st
	shift
	out=$(bash "$top/scripts/bench-fuzz" "$@" 2>&1)
	st=$?
	[ $st -eq 2 ] || { echo "FAIL: '$*' exited $st, not 2: $out"; rc=1; return; }
	grep -qF -- "$want" <<< "$out" || { echo "FAIL: '$*' said '$out', not '$want'"; rc=1; }
}
check "--runs must be a positive number, not '0'" --runs 0
check "--runs must be a positive number, not 'x'" --runs x
check "--time must be a positive number of seconds, not '1.5'" --time 1.5
check "--time needs a value" --time
check "--runs needs a value" --time 5 --runs
check "unknown option '--frob'" --frob
check "--with needs a value" --with
check "--with takes one libFuzzer flag, as -name=value, not 'x'" --with x
# The summary's median and range (lib/bench.sh), unsorted input with a
# leading space as bench-fuzz gathers it.
# shellcheck source=../../scripts/lib/bench.sh
. "$top/scripts/lib/bench.sh"
[ "$(bench_median " 13245 11826 12829")" = 12829 ] || { echo "FAIL: bench_median of 3"; rc=1; }
[ "$(bench_median " 4 1 3 2")" = 2.5 ] || { echo "FAIL: bench_median of 4"; rc=1; }
[ "$(bench_range " 13245 11826 12829")" = 11826-13245 ] || { echo "FAIL: bench_range"; rc=1; }
[ "$(bench_range " 7")" = 7-7 ] || { echo "FAIL: bench_range of 1"; rc=1; }
[ $rc -eq 0 ] && echo PASS
exit $rc
