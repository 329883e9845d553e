#!/usr/bin/env bash
# ctest bench_corpus.summary: scripts/bench-corpus counts every input of a
# corpus once, sums the schedule points that `bindrace run` reports for
# each, sets aside an input that does not run, and refuses a missing or
# empty directory.
#   bench_corpus.sh TOP BINDRACE WORKDIR
set -u
top=$1 br=$2 w=$3
rm -rf "$w"; mkdir -p "$w/c" "$w/empty"
cp "$top/corpus/fuzz_bind/bind_unbind.txt" "$top/corpus/fuzz_bind/links.txt" "$w/c/" || exit 1
printf 'not a program\n' > "$w/c/broken.txt"
sum=0
for f in bind_unbind links; do
	n=$("$br" run "$w/c/$f.txt" 2>&1 | sed -nE 's/.* ([0-9]+) schedule points.*/\1/p')
	[ -n "$n" ] || { echo "FAIL: bindrace run $f.txt gave no point count"; exit 1; }
	sum=$((sum + n))
done
out=$(bash "$top/scripts/bench-corpus" --bindrace "$br" "$w/c" 2>&1) || { echo "FAIL: exit $?: $out"; exit 1; }
rc=0
grep -q ": 2 inputs, $sum schedule points in all" <<< "$out" || { echo "FAIL: want 2 inputs, $sum points: $out"; rc=1; }
grep -q "1 more inputs gave no point count" <<< "$out" || { echo "FAIL: the broken input not set aside: $out"; rc=1; }
grep -q "0-9999 points: *2 inputs, *$sum points (100.0%)" <<< "$out" || { echo "FAIL: buckets: $out"; rc=1; }
for d in "$w/missing" "$w/empty"; do
	bash "$top/scripts/bench-corpus" --bindrace "$br" "$d" > /dev/null 2>&1
	[ $? -eq 2 ] || { echo "FAIL: $d did not exit 2"; rc=1; }
done
exit $rc
