#!/usr/bin/env bash
# ctest minimize.cli: bindrace minimize keeps the signature it is asked
# for, shrinks or keeps the program, stops trying once --budget is spent
# (and says so), refuses a bad --budget and never overwrites its output.
# The input is a kept kernel race that fires on fibers without suppressions.
#   minimize_cli.sh BINDRACE INPUT GLOB WORKDIR
set -u
br=$1 in=$2 glob=$3 w=$4
rm -rf "$w"; mkdir -p "$w"
export BINDRACE_SUPPRESSIONS=
rc=0
fail() { echo "FAIL: $*"; rc=1; }
ops() { grep -c '^t[0-9]' "$1"; }
fires() {	# program
	"$br" run "$1" > "$w/run.log" 2>&1
	"$br" signature --expect "$glob" "$w/run.log" > /dev/null 2>&1
}

"$br" decode "$in" > "$w/in.txt" || { echo "FAIL: cannot decode $in"; exit 1; }
fires "$w/in.txt" || { echo "FAIL: the input does not give '$glob' (model changed? pick another)"; exit 1; }

"$br" minimize "$in" --expect "$glob" -o "$w/min.txt" 2> "$w/min.log" || fail "minimize exited $?"
[ -s "$w/min.txt" ] && fires "$w/min.txt" || fail "the minimized program does not give '$glob'"
[ "$(ops "$w/min.txt")" -le "$(ops "$w/in.txt")" ] || fail "the minimized program has more ops"

# 300 runs a candidate: without the budget this takes far longer than 1 s.
"$br" minimize "$in" --expect "$glob" --runs 300 --budget 1 -o "$w/budget.txt" \
	2> "$w/budget.log" || fail "minimize --budget exited $?"
grep -q 'budget of 1 s spent' "$w/budget.log" || fail "no budget message: $(tail -3 "$w/budget.log")"
[ -s "$w/budget.txt" ] && fires "$w/budget.txt" || fail "the budget-bound program does not give '$glob'"

"$br" minimize "$in" --budget x > /dev/null 2>&1; [ $? = 2 ] || fail "--budget x was not refused with status 2"
cp "$w/min.txt" "$w/keep.txt"
"$br" minimize "$in" --expect "$glob" -o "$w/keep.txt" > /dev/null 2>&1
[ $? = 2 ] && cmp -s "$w/min.txt" "$w/keep.txt" || fail "an existing output was not left alone"
[ "$rc" = 0 ] && echo "minimize: $(ops "$w/in.txt") -> $(ops "$w/min.txt") ops; budget stop ok"
exit $rc
