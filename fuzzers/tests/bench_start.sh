#!/usr/bin/env bash
# ctest bench_start.cli: scripts/bench-start times a fuzz target's first N
# runs from an empty corpus, round by round, and start-up alone; with
# --with FLAG each round also runs with the flag and the report gives the
# ratio of the medians.  A bad --runs, --rounds, --with, --target or --bin,
# a binary without its .options and one that fails are refused with exit
# status 2.
#   bench_start.sh TOP FUZZ_BIND WORKDIR
set -u
top=$1 fb=$2 w=$3
rm -rf "$w"; mkdir -p "$w"
printf '#!/bin/sh\nexit 1\n' > "$w/failing"; chmod +x "$w/failing"
cp "$fb.options" "$w/failing.options"
rc=0
out=$(bash "$top/scripts/bench-start" --bin "$fb" --runs 50 --rounds 3 --with -print_funcs=2 2>&1) ||
	{ echo "FAIL: exit $?: $out"; exit 1; }
echo "$out"
grep -q "fuzz_bind (.*), 50 runs from an empty corpus, 3 rounds$" <<< "$out" || { echo "FAIL: no head line"; rc=1; }
[ "$(grep -cE '^round [123]: [0-9]+\.[0-9]{3} s; with -print_funcs=2: [0-9]+\.[0-9]{3} s$' <<< "$out")" -eq 3 ] ||
	{ echo "FAIL: want 3 round lines"; rc=1; }
grep -qE '^start-up alone \(-runs=0\): median [0-9]+\.[0-9]{3} s$' <<< "$out" || { echo "FAIL: no start-up line"; rc=1; }
grep -qE '^median: [0-9]+\.[0-9]{3} s; with -print_funcs=2: [0-9]+\.[0-9]{3} s \([0-9]+\.[0-9]{2}x\)$' <<< "$out" ||
	{ echo "FAIL: no median line"; rc=1; }
for args in "--runs 0" "--rounds x" "--with print_funcs" "--target fuzz_other" "--bin /no/such/bin" "--bin /bin/false" "--bin $w/failing" "--frob"; do
	# shellcheck disable=SC2086
	out=$(bash "$top/scripts/bench-start" --bin "$fb" --runs 5 --rounds 1 $args 2>&1)
	st=$?
	[ $st -eq 2 ] || { echo "FAIL: '$args' exited $st, not 2: $out"; rc=1; }
done
[ $rc -eq 0 ] && echo PASS
exit $rc
