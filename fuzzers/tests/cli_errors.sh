#!/usr/bin/env bash
# ctest cli.errors: every bad use of the bindrace command ends in exit 2
# and a message that names what was wrong and where, never a crash; and a
# good call of each command right beside it works (exit 0 or 1).
#   cli_errors.sh BINDRACE WORKDIR
set -u
br=$1 w=$2
rm -rf "$w"; mkdir -p "$w"
printf 'tasks 1\nt0 device_add(dev=0, parent=none, bus=0)\nt0 device_del(dev=0)\n' > "$w/ok.txt"
printf 'tasks 2\nt0 device_add(dev=0, parent=none, bus=zz)\n' > "$w/bad.txt"
rc=0
# expect STATUS REGEX ARGS...: the exit status, and a line of the output.
expect() {
	local want=$1 re=$2 out st
	shift 2
	out=$("$br" "$@" 2>&1)
	st=$?
	[ "$st" -eq "$want" ] || { echo "FAIL: bindrace $* exited $st, not $want"; rc=1; }
	grep -Eq -- "$re" <<< "$out" || { echo "FAIL: bindrace $*: no line matching '$re' in:"; echo "$out" | head -5; rc=1; }
}
expect 2 '^usage: bindrace <command>'
expect 2 "unknown command 'frob'" frob
expect 2 "$w/none: No such file" run "$w/none"
expect 2 "line 2 col [0-9]+: bus: 'zz' is not a number" run "$w/bad.txt"
expect 2 "--backend must be fibers or threads, not 'x'" run "$w/ok.txt" --backend x
expect 2 "--seed needs a non-negative number, not 'abc'" run "$w/ok.txt" --seed abc
expect 2 "unknown or incomplete option '--bogus'" run "$w/ok.txt" --bogus
expect 2 "decode takes one FILE" decode
expect 2 "encode needs PROG.txt and -o FILE" encode "$w/ok.txt"
expect 2 "$w/no/x: No such file" encode "$w/ok.txt" -o "$w/no/x"
expect 2 "--repeat needs a number from 1 to 1000000, not '0'" hash "$w/ok.txt" --repeat 0
expect 2 "$w/none: No such file" minimize "$w/none"
expect 2 "--time needs a number from 1 to 86400, not 'x'" stress --time x
expect 2 "$w/none: No such file" signature "$w/none"
# The threads backend's pool size from BINDRACE_THREADS (bash exports an
# assignment before a function call to what the function runs).
BINDRACE_THREADS=0 expect 2 "BINDRACE_THREADS='0': want a number of threads from 1 to 8" run "$w/ok.txt" --backend threads
BINDRACE_THREADS=3x expect 2 "BINDRACE_THREADS='3x': want a number of threads from 1 to 8" run "$w/ok.txt" --backend threads
BINDRACE_THREADS=1 expect 0 "clean \(threads, 1 in the pool\)" run "$w/ok.txt" --backend threads
BINDRACE_THREADS=3 expect 0 "clean \(threads, 3 in the pool\)" run "$w/ok.txt" --backend threads
# The good calls beside them.
expect 0 "clean, [0-9]+ schedule points" run "$w/ok.txt"
expect 0 "^t0 device_add\(dev=0, parent=none, bus=0\)$" decode "$w/ok.txt"
expect 0 "" encode "$w/ok.txt" -o "$w/ok.bin"
expect 0 "^t0 device_del\(dev=0\)$" decode "$w/ok.bin"
expect 0 "5 runs, 1 distinct trace hash" hash "$w/ok.txt" --repeat 5
[ $rc -eq 0 ] && echo PASS
exit $rc
