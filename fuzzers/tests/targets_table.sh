#!/usr/bin/env bash
# ctest scripts.targets: scripts/lib/targets.sh, the scripts' table of fuzz
# targets, names every target fuzzers/CMakeLists.txt builds, with a preset
# of CMakePresets.json and the backend the target's source runs programs on
# (its exec_opts' SCHED_FIBERS or SCHED_THREADS); and it refuses a name
# that is not a target, as do the scripts that take --target, with a
# message that lists the table's targets.
#   targets_table.sh SOURCE_DIR
set -u
src=$1
fail() { echo "FAIL: $*"; exit 1; }
# shellcheck source=../../scripts/lib/targets.sh
. "$src/scripts/lib/targets.sh"
targets=$(sed -n 's/^set(fuzz_targets \(.*\))$/\1/p' "$src/fuzzers/CMakeLists.txt")
[ -n "$targets" ] || fail "no set(fuzz_targets ...) line in fuzzers/CMakeLists.txt"
for t in $targets; do
	preset=$(target_preset "$t") || fail "$t: no preset in targets.sh"
	grep -q "\"name\": \"$preset\"" "$src/CMakePresets.json" || fail "$t: preset $preset is not in CMakePresets.json"
	be=$(target_backend "$t") || fail "$t: no backend in targets.sh"
	want=$(grep -o 'SCHED_FIBERS\|SCHED_THREADS' "$src/fuzzers/$t.c" | sort -u)
	[ "$want" = "SCHED_${be^^}" ] || fail "$t: targets.sh says $be, fuzzers/$t.c runs ${want:-no backend}"
	echo "$t: $preset, $be"
done
[ "$(target_names | tr '\n' ' ')" = "$targets " ] ||
	fail "target_names gives '$(target_names | tr '\n' ' ')', the build makes '$targets'"
want="--target: 'nosuch' is not a fuzz target (${targets// /, })"
for s in fuzz.sh bench-replay bench-profile bench-start; do
	out=$(bash "$src/scripts/$s" --target nosuch 2>&1)
	st=$?
	[ $st -eq 2 ] && [ "$out" = "$s: $want" ] || fail "$s --target nosuch: status $st, '$out'"
done
! target_preset no_such_target >/dev/null || fail "target_preset accepts no_such_target"
! target_backend no_such_target >/dev/null || fail "target_backend accepts no_such_target"
