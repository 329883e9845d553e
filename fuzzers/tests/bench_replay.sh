#!/usr/bin/env bash
# ctest bench_replay.cli: scripts/bench-replay times a fuzz target over a
# fixed workload and reports a median per run, also above the floor of an
# empty input's runs, each round with the machine's cross-CPU round trip
# after it; a binary that fails on the workload, a missing inputs
# directory, a revision that is not a commit, a one-run workload, a bad
# --feedback and a bad --with-env are refused with exit status 2.  With
# --with-env it alternates the binary with and without the variable and
# gives their ratio.
#   bench_replay.sh TOP FUZZ_BIND WORKDIR
set -u
top=$1 fb=$2 w=$3
rm -rf "$w"; mkdir -p "$w/in"
"$(dirname "$fb")/bindrace" encode "$top/corpus/fuzz_bind/bind_unbind.txt" -o "$w/in/a" || exit 1
"$(dirname "$fb")/bindrace" encode "$top/corpus/fuzz_bind/links.txt" -o "$w/in/b" || exit 1
rc=0
out=$(bash "$top/scripts/bench-replay" --bin "$fb" --inputs "$w/in" --rounds 3 --repeat 200 2>&1) ||
	{ echo "FAIL: exit $?: $out"; exit 1; }
grep -q "workload: 2 inputs x 200 = 400 runs a round, 3 rounds" <<< "$out" || { echo "FAIL: workload line: $out"; rc=1; }
[ "$(grep -cE ': .* us a run, .* above the floor \(cache line round trip after it: ([0-9]+|\?) ns\)$' <<< "$out")" -eq 3 ] ||
	{ echo "FAIL: want 3 rounds, each with the round trip after it: $out"; rc=1; }
grep -qE "median +[0-9]+\.[0-9] us a run \([0-9]+ exec/s\), +[0-9]+\.[0-9] above the floor" <<< "$out" || { echo "FAIL: no median: $out"; rc=1; }
# --with-env: the same binary with and without the variable, round by
# round, and their ratio; a wrapper records what each run was given.
printf '#!/bin/sh\necho "${BENCH_REPLAY_MARK:-unset}" >> "%s/marks"\nexec "%s" "$@"\n' "$w" "$fb" > "$w/wrap"
chmod +x "$w/wrap"
# 600 a round, not 200: with two rounds the median is their mean, and
# start-up noise can put one side's figure above the floor at or below 0
# (the script's "too small to measure" refusal, status 2): twice in about
# 60 runs of this test, session 20.
out=$(bash "$top/scripts/bench-replay" --bin "$w/wrap" --inputs "$w/in" --rounds 2 --repeat 600 \
	--with-env BENCH_REPLAY_MARK=on 2>&1) || { echo "FAIL: --with-env: exit $?: $out"; exit 1; }
[ "$(grep -c ', BENCH_REPLAY_MARK=on: .* us a run' <<< "$out")" -eq 2 ] || { echo "FAIL: --with-env: want 2 rounds with: $out"; rc=1; }
grep -qE "^ratio BENCH_REPLAY_MARK=on / without: [0-9]+\.[0-9]{2}x a run, [0-9]+\.[0-9]{2}x above the floor$" <<< "$out" ||
	{ echo "FAIL: --with-env: no ratio line: $out"; rc=1; }
# Each round runs the workload, the floor and one input, with and without.
[ "$(grep -c '^on$' "$w/marks")" -eq 6 ] && [ "$(grep -c '^unset$' "$w/marks")" -eq 6 ] ||
	{ echo "FAIL: --with-env: runs with and without the variable: $(sort "$w/marks" | uniq -c)"; rc=1; }
mkdir -p "$w/one"; cp "$w/in/a" "$w/one/"
for args in "--bin /bin/false --inputs $w/in" "--bin $fb --inputs $w/missing" "--bin $fb --inputs $w/in --rev no-such-rev" \
	    "--bin $fb --inputs $w/one" "--bin $fb --inputs $w/in --feedback maybe" \
	    "--bin $fb --inputs $w/in --with-env NOVALUE" "--bin $fb --inputs $w/in --with-env A=1 --rev HEAD"; do
	# shellcheck disable=SC2086
	out=$(bash "$top/scripts/bench-replay" $args --rounds 1 --repeat 1 2>&1)
	st=$?
	[ $st -eq 2 ] || { echo "FAIL: '$args' exited $st, not 2: $out"; rc=1; }
done
exit $rc
