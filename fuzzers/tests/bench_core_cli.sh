#!/usr/bin/env bash
# ctest bench_core.cli: bindrace_bench_core --xcpu prints one number (ns
# for a cache line's round trip between two CPUs, which bench-fuzz and
# bench-replay print beside their runs), says why it cannot on one CPU,
# and refuses bad arguments with status 2.  Checks the output's form, not
# a speed.
#   bench_core_cli.sh BENCH_CORE TOP
set -u
bin=$1 top=$2
rc=0
fail() { echo "FAIL: $*"; rc=1; }
out=$("$bin" --xcpu 1); st=$?
[ $st -eq 0 ] || fail "--xcpu 1 exited $st"
[[ $out =~ ^[0-9]+$ ]] && [ "$out" -gt 0 ] || fail "--xcpu 1 printed '$out', not a number of ns"
err=$(taskset -c 0 "$bin" --xcpu 1 2>&1); st=$?
[ $st -eq 1 ] && grep -q "needs two CPUs" <<< "$err" || fail "on one CPU: status $st, '$err'"
for bad in "x" "0" "65" "--xcpu 3 4" "--frob"; do
	# shellcheck disable=SC2086
	err=$("$bin" $bad 2>&1); st=$?
	[ $st -eq 2 ] && grep -q "usage" <<< "$err" || fail "'$bad': status $st, '$err'"
done
# The scripts' helper: the number from the dev build's binary, "?" without one.
# shellcheck source=../../scripts/lib/bench.sh
. "$top/scripts/lib/bench.sh"
top=$(mktemp -d)
[ "$(bench_xcpu)" = "?" ] || fail "bench_xcpu without a binary printed '$(bench_xcpu)'"
mkdir -p "$top/build/dev/bin" && ln -s "$bin" "$top/build/dev/bin/bindrace_bench_core"
[[ $(bench_xcpu) =~ ^[0-9]+$ ]] || fail "bench_xcpu printed '$(bench_xcpu)'"
rm -rf "$top"
[ $rc -eq 0 ] && echo PASS
exit $rc
