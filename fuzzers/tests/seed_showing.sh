#!/usr/bin/env bash
# ctest entry.seed_showing: bench-bugs' check that the seed corpus does not
# hold an entry's repro (seed_showing in scripts/lib/entry.sh).  A kept
# kernel race fires on this build; fixture entries name its finding (one
# listed in known.supp, as an open entry's would be) or another kind.
# Among clean seeds the race's program is named for the first even with
# known.supp in the environment; for the second, or among clean seeds
# only, nothing is named.
#   seed_showing.sh TOP BINDRACE SEEDS WORKDIR
set -u
src=$1 br=$2 seeds=$3 w=$4
race=$src/repro/links-bound-warn-supplier-probe-failed/input.bin
glob='WARNING: WARN in device_links_driver_bound*'
rm -rf "$w"; mkdir -p "$w/clean" "$w/mixed" "$w/top/fuzzers" "$w/top/repro/same" "$w/top/repro/other"
grep -qxF "$glob" "$src/fuzzers/known.supp" || { echo "FAIL: known.supp no longer lists '$glob'"; exit 1; }
cp "$src/fuzzers/known.supp" "$w/top/fuzzers/"
echo "$glob" > "$w/top/repro/same/match"
echo 'LOCKDEP: *' > "$w/top/repro/other/match"
cp "$seeds"/bind_unbind "$seeds"/links "$w/clean/" || exit 1
cp "$w/clean"/* "$w/mixed/"
cp "$race" "$w/mixed/a-race.bin"
top=$w/top
# shellcheck source=../../scripts/lib/entry.sh
. "$src/scripts/lib/entry.sh"
export BINDRACE_SUPPRESSIONS=$top/fuzzers/known.supp
rc=0
got=$(seed_showing same "$br" "$w/mixed")
[ "$got" = a-race.bin ] || { echo "FAIL: the entry's finding among the seeds: got '$got'"; rc=1; }
got=$(seed_showing same "$br" "$w/clean")
[ -z "$got" ] || { echo "FAIL: clean seeds named '$got'"; rc=1; }
got=$(seed_showing other "$br" "$w/mixed")
[ -z "$got" ] || { echo "FAIL: another kind of finding named '$got'"; rc=1; }
[ "$rc" = 0 ] && echo "seed_showing: the repro among seeds is named, clean seeds and other findings are not"
exit $rc
