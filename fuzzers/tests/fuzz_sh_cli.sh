#!/usr/bin/env bash
# ctest fuzz_sh.cli: the main job (scripts/fuzz.sh) refuses a bad flag or
# value with exit status 2 and a message naming it, before it builds,
# fuzzes or makes its output directory.  An --out that is a file gave two raw mkdir errors and
# status 1.
#   fuzz_sh_cli.sh TOP WORKDIR
set -u
top=$1 work=$2
rc=0
rm -rf "$work"; mkdir -p "$work"
# A refused run leaves no default output directory behind.
had_out=false; [ -e "$top/fuzz-out" ] && had_out=true
check() {	# want-message args...
	local want=$1 out st
	shift
	out=$(timeout 60 bash "$top/scripts/fuzz.sh" "$@" 2>&1)
	st=$?
	[ $st -eq 2 ] || { echo "FAIL: '$*' exited $st, not 2: $out"; rc=1; return; }
	grep -qF -- "$want" <<< "$out" || { echo "FAIL: '$*' said '$out', not '$want'"; rc=1; }
	grep -q "building" <<< "$out" && { echo "FAIL: '$*' built before refusing"; rc=1; }
}
check "--time: 'abc' is not a duration" --time abc
check "--time must be positive" --time 0
check "--time needs a value" --time
check "--jobs must be a positive number, not '0'" --jobs 0
check "--jobs must be a positive number, not 'x'" --jobs x
check "'nosuch' is not a fuzz target (fuzz_bind, fuzz_bind_threads)" --target nosuch
check "--engine must be libfuzzer or afl, not 'foo'" --engine foo
check "--sanitizer must be asan or tsan, not 'msan'" --sanitizer msan
check "--engine afl runs fuzz_bind only" --engine afl --target fuzz_bind_threads
check "unknown option '--bogus'" --bogus
: > "$work/a-file"
check "--out: '$work/a-file' exists and is not a directory" --out "$work/a-file"
check "--out: cannot create or write to '$work/a-file/sub'" --out "$work/a-file/sub"
[ -f "$work/a-file" ] && [ ! -s "$work/a-file" ] || { echo "FAIL: --out touched the file"; rc=1; }
$had_out || [ ! -e "$top/fuzz-out" ] || { echo "FAIL: a refused run made $top/fuzz-out"; rc=1; }
[ $rc -eq 0 ] && echo PASS
exit $rc
