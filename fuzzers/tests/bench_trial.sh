#!/usr/bin/env bash
# ctest bench_bugs.trial: scripts/bench-bugs end to end on an entry that
# every mode finds in seconds (B6): the patched builds, one trial of each
# way a mode runs (libFuzzer: a and its ablation i; stress: e and f;
# AFL++: c, when afl-fuzz is installed, as scripts/setup.sh does), each
# finding matched to the entry, the runs column, the CSV and the table.
# Session 17 found mode c dead in every trial (its mutator library was
# not built) and counted as "never found"; this is the test that would
# have failed.
#   bench_trial.sh TOP WORKDIR
set -u
top=$1 w=$2
id=B6-device-attach-async-under-lock
modes=a,e,f,i
if command -v afl-fuzz >/dev/null; then
	modes=$modes,c
else
	echo "note: afl-fuzz is not installed: mode c not checked (scripts/setup.sh installs it)"
fi
rm -rf "$w"
# The slot repro-check builds in (same RESOURCE_LOCK): no second copy.
out=$(bash "$top/scripts/bench-bugs" --slot check --trials 1 --cap 60 --jobs 2 \
	--modes "$modes" --bugs "$id" --out "$w" 2>&1)
rc=$?
echo "$out"
[ $rc -eq 0 ] || { echo "FAIL: bench-bugs exited $rc"; exit 1; }
csv=$w/bench-bugs.csv
[ -f "$csv" ] || { echo "FAIL: no $csv"; exit 1; }
rc=0
IFS=, read -r -a want <<< "$modes"
for m in "${want[@]}"; do
	row=$(grep "^$id,$m,1," "$csv")
	[ -n "$row" ] || { echo "FAIL: no row for mode $m"; rc=1; continue; }
	IFS=, read -r _ _ _ found secs runs _ <<< "$row"
	[ "$found" = 1 ] || { echo "FAIL: mode $m did not find $id: $row"; rc=1; }
	awk -v s="$secs" 'BEGIN { exit !(s > 0 && s < 60) }' ||
		{ echo "FAIL: mode $m: $secs s is not a time below the cap"; rc=1; }
	case "$runs" in ''|*[!0-9]*|0) echo "FAIL: mode $m: runs '$runs' is not a count"; rc=1 ;; esac
done
[ "$(grep -c "^$id," "$csv")" -eq ${#want[@]} ] || { echo "FAIL: the CSV has other rows"; rc=1; }
grep -q "^goal (issue #4), of 1 entries: mode a found it in every trial: 1;" <<< "$out" ||
	{ echo "FAIL: no goal line"; rc=1; }
grep -q "^programs run" <<< "$out" || { echo "FAIL: no programs table"; rc=1; }
[ $rc -eq 0 ] && echo "PASS"
exit $rc
