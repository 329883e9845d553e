#!/usr/bin/env bash
# ctest scripts.build: build_preset (scripts/lib/build.sh) shows why a
# build failed.  The scripts built with `cmake --build >/dev/null`, and
# ninja prints compiler errors on stdout: a broken tree stopped
# bench-replay with status 1 and no message.  A tiny CMake project with a
# failing target stands in for a broken tree.
#   build_preset.sh TOP WORKDIR
set -u
top=$1 work=$2
rc=0
fail() { echo "FAIL: $*"; rc=1; }
rm -rf "$work"; mkdir -p "$work"
cat > "$work/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.20)
project(build_preset_test NONE)
add_custom_target(broken ALL COMMAND sh -c "echo 'error: boom from the compiler'; exit 1")
add_custom_target(fine COMMAND true)
CM
cat > "$work/CMakePresets.json" <<'JS'
{ "version": 3,
  "configurePresets": [ { "name": "bogus", "generator": "Ninja",
                          "binaryDir": "${sourceDir}/build/bogus" } ] }
JS
# shellcheck source=../../scripts/lib/build.sh
. "$top/scripts/lib/build.sh"
cd "$work" || exit 1

# A target that builds: nothing printed, status 0 (configures first).
out=$(build_preset bogus fine 2>&1); st=$?
[ $st -eq 0 ] || fail "a good target: status $st ($out)"
[ -z "$out" ] || fail "a good target printed: $out"
[ -f build/bogus/build.ninja ] || fail "the preset was not configured"

# The whole preset, with the broken target: status 1, the error shown.
out=$(build_preset bogus 2>/dev/null); st=$?
err=$(build_preset bogus 2>&1 >/dev/null)
[ $st -eq 1 ] || fail "a broken build: status $st"
[ -z "$out" ] || fail "a broken build wrote to stdout: $out"
grep -q "building preset bogus in $work failed" <<< "$err" || fail "no 'building preset bogus ... failed' in: $err"
grep -q "error: boom from the compiler" <<< "$err" || fail "the compiler's error is not shown: $err"

# A preset that does not exist: cmake's own message is shown.
err=$(build_preset nosuch 2>&1); st=$?
[ $st -eq 1 ] || fail "an unknown preset: status $st"
grep -q "nosuch" <<< "$err" || fail "an unknown preset's message does not name it: $err"

# No script builds around the helper again (patched.sh keeps a log of its own).
hits=$(grep -n 'cmake --build' "$top"/scripts/* "$top"/scripts/lib/*.sh 2>/dev/null |
	grep -v -e '/lib/build.sh:' -e '/lib/patched.sh:')
[ -z "$hits" ] || fail "scripts that run cmake --build themselves: $hits"

[ $rc -eq 0 ] && echo PASS
exit $rc
