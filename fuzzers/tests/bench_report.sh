#!/usr/bin/env bash
# ctest bench_bugs.report: scripts/bench-bugs --report reads a CSV back into
# its table: k/N and medians per mode, e's median over a's (and over s's,
# the seeded a, when it ran), the issue #4 goal line for each; with a runs
# column, the median programs run per cell; and refuses a file that is not
# its CSV.  Also: --help prints the head comment, whose modes --modes takes;
# a --slot with a path in it and an --out that is a file are refused.
#   bench_report.sh TOP WORKDIR
set -u
top=$1 w=$2
rm -rf "$w"; mkdir -p "$w"
cat > "$w/run.csv" <<'CSV'
bug,mode,trial,found,seconds,signature
X-shallow,a,1,1,2.0,"WARNING: WARN in x, y"
X-shallow,a,2,1,4.0,"WARNING: WARN in x, y"
X-shallow,a,3,1,3.0,"WARNING: WARN in x, y"
X-shallow,e,1,1,1.0,"WARNING: WARN in x, y"
X-shallow,e,2,1,0.5,"WARNING: WARN in x, y"
X-shallow,e,3,1,0.2,"WARNING: WARN in x, y"
Y-deep,a,1,1,10.0,"INVARIANT: z"
Y-deep,a,2,0,120.0,""
Y-deep,a,3,1,8.0,"INVARIANT: z"
Y-deep,e,1,0,120.0,""
Y-deep,e,2,0,120.0,""
Y-deep,e,3,0,120.0,""
CSV
out=$(bash "$top/scripts/bench-bugs" --report "$w/run.csv") || { echo "FAIL: --report exited $?"; exit 1; }
echo "$out"
rc=0
want() {	# regex
	grep -Eq "$1" <<< "$out" || { echo "FAIL: no line matching '$1'"; rc=1; }
}
want '^X-shallow +3/3 3\.0s +3/3 0\.5s +0\.2x$'
want '^Y-deep +2/3 10\.0s +0/3 120\.0s +12\.0x$'
want 'of 2 entries: mode a found it in every trial: 1; a median <= 60 s: 2; e/a >= 10x: 1$'
# With mode s too: a column and a goal line of its own.
{ cat "$w/run.csv"; printf 'X-shallow,s,%d,1,0.1,"WARNING: WARN in x, y"\nY-deep,s,%d,0,120.0,""\n' 1 1 2 2 3 3; } > "$w/seeded.csv"
out=$(bash "$top/scripts/bench-bugs" --report "$w/seeded.csv") || { echo "FAIL: --report with mode s exited $?"; exit 1; }
echo "$out"
want '^X-shallow +3/3 3\.0s +3/3 0\.5s +3/3 0\.1s +0\.2x +5\.0x$'
want '^Y-deep +2/3 10\.0s +0/3 120\.0s +0/3 120\.0s +12\.0x +1\.0x$'
want 'of 2 entries: mode a found it in every trial: 1; a median <= 60 s: 2; e/a >= 10x: 1$'
want 'of 2 entries: mode s found it in every trial: 1; s median <= 60 s: 1; e/s >= 10x: 0$'
# Since session 16 the CSV has a runs column: the same table, then the
# median programs run per cell; a cell with a trial that did not say is "-".
cat > "$w/runs.csv" <<'CSV'
bug,mode,trial,found,seconds,runs,signature
X-shallow,a,1,1,2.0,3000,"WARNING: WARN in x, y"
X-shallow,a,2,1,4.0,5000,"WARNING: WARN in x, y"
X-shallow,a,3,1,3.0,1000,"WARNING: WARN in x, y"
X-shallow,e,1,1,1.0,40,"WARNING: WARN in x, y"
X-shallow,e,2,1,0.5,20,"WARNING: WARN in x, y"
X-shallow,e,3,1,0.2,10,"WARNING: WARN in x, y"
Y-deep,a,1,1,10.0,90000,"INVARIANT: z"
Y-deep,a,2,0,120.0,800000,""
Y-deep,a,3,1,8.0,70000,"INVARIANT: z"
Y-deep,e,1,0,120.0,600000,""
Y-deep,e,2,0,120.0,,""
Y-deep,e,3,0,120.0,500000,""
CSV
out=$(bash "$top/scripts/bench-bugs" --report "$w/runs.csv") || { echo "FAIL: --report with runs exited $?"; exit 1; }
echo "$out"
want '^X-shallow +3/3 3\.0s +3/3 0\.5s +0\.2x$'
want '^Y-deep +2/3 10\.0s +0/3 120\.0s +12\.0x$'
want '^X-shallow +3000 +20 +0\.0067x$'
want '^Y-deep +90000 +- +-$'
grep -q '^programs run' <<< "$(bash "$top/scripts/bench-bugs" --report "$w/run.csv")" &&
	{ echo "FAIL: a CSV without runs got a runs table"; rc=1; }
if bash "$top/scripts/bench-bugs" --report "$top/README.md" 2>/dev/null; then
	echo "FAIL: a file that is not a bench-bugs CSV was accepted"; rc=1
fi
# --help is the script's whole head comment, and every mode it lists is
# one --modes takes (checked before anything is built).
help=$(bash "$top/scripts/bench-bugs" --help) || { echo "FAIL: --help exited $?"; rc=1; }
grep -q '^DIR/bench-bugs.csv' <<< "$help" || { echo "FAIL: --help stops before the head comment's end"; rc=1; }
grep -q '^set ' <<< "$help" && { echo "FAIL: --help prints code"; rc=1; }
listed=$(sed -n 's/^  \([a-z]\)  .*/\1/p' <<< "$help" | tr -d '\n')
[ "$listed" = abcdefghis ] || { echo "FAIL: --help lists modes '$listed'"; rc=1; }
for m in $(grep -o . <<< "$listed"); do
	err=$(bash "$top/scripts/bench-bugs" --modes "$m" --bugs no-such-entry 2>&1)
	grep -q "unknown mode" <<< "$err" && { echo "FAIL: --help lists mode $m, --modes refuses it"; rc=1; }
done
err=$(bash "$top/scripts/bench-bugs" --modes z 2>&1); st=$?
[ $st = 2 ] && grep -q "unknown mode 'z'" <<< "$err" || { echo "FAIL: --modes z: exit $st, '$err'"; rc=1; }
# A slot names a directory under build/<preset>/: no path in it.
err=$(bash "$top/scripts/bench-bugs" --slot ../x 2>&1); st=$?
[ $st = 2 ] && grep -q "slot must be a name" <<< "$err" || { echo "FAIL: --slot ../x: exit $st, '$err'"; rc=1; }
# An --out that is a file is refused before anything is built
# (scripts/lib/outdir.sh), and the file is left alone.
: > "$w/a-file"
entry=$(basename "$(dirname "$(ls "$top"/repro/*/bug.patch | head -1)")")
err=$(timeout 60 bash "$top/scripts/bench-bugs" --bugs "$entry" --modes a --trials 1 --out "$w/a-file" 2>&1); st=$?
[ $st = 2 ] && grep -qF -- "--out: '$w/a-file' exists and is not a directory" <<< "$err" ||
	{ echo "FAIL: --out <a file>: exit $st, '$err'"; rc=1; }
[ ! -s "$w/a-file" ] || { echo "FAIL: --out <a file> wrote to it"; rc=1; }
exit $rc
