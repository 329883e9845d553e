#!/usr/bin/env bash
# ctest stress.abort_names_run: a finding ends `bindrace stress` by SIGABRT
# (bindrace's reports, sanitizers with abort_on_error); its handler names
# the run it happened in (bench-bugs' runs column, modes e and f) and keeps
# the program, which decodes.  The abort is sent by hand here: the clean
# model has no finding to wait for.
#   stress_abort.sh BINDRACE WORKDIR
set -u
br=$1 w=$2
rm -rf "$w"; mkdir -p "$w"
cd "$w" || exit 1
"$br" stress --backend fibers --time 60 --seed 7 2> err &
pid=$!
# The banner comes after the handler is installed.
for _ in $(seq 100); do grep -q '^bindrace stress: fibers backend' err && break; sleep 0.1; done
sleep 0.5
kill -ABRT "$pid"
wait "$pid"
st=$?
cat err
rc=0
[ "$st" -eq 134 ] || { echo "FAIL: exit status $st, not 134 (SIGABRT)"; rc=1; }
grep -Eq '^bindrace stress: finding in run [1-9][0-9]*$' err ||
	{ echo "FAIL: no 'finding in run N' line"; rc=1; }
grep -q "^bindrace stress: the program is in stress-crash-$pid.bin, replay it with --seed [0-9]*$" err ||
	{ echo "FAIL: no line naming the kept program"; rc=1; }
"$br" decode "stress-crash-$pid.bin" > prog.txt 2>&1 || { echo "FAIL: the kept program does not decode"; rc=1; }
grep -q '^t[0-3] \|^# bindrace program' prog.txt || { echo "FAIL: the kept program is not a program"; rc=1; }
exit $rc
