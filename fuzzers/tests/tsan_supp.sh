#!/usr/bin/env bash
# ctest tsan_supp.blocks: every race in fuzzers/tsan.supp sits in a block
# whose comment names an existing repro entry, and tsan_supp_without (what
# scripts/hunt uses to hunt a kept TSan race) drops that entry's block and
# nothing else.
#   tsan_supp.sh TOP WORKDIR
set -u
top=$1 w=$2
rm -rf "$w"; mkdir -p "$w"
# shellcheck source=../../scripts/lib/entry.sh
. "$top/scripts/lib/entry.sh"
supp=$top/fuzzers/tsan.supp
rc=0
races() { grep -c '^race:' "$1"; }
total=$(races "$supp")
[ "$total" -gt 0 ] || { echo "FAIL: no race lines in $supp"; exit 1; }
ids=$(grep -o '^# repro/[^:]*:' "$supp" | sed 's|^# repro/||; s|:$||')
covered=0
for id in $ids; do
	[ -d "$top/repro/$id" ] || { echo "FAIL: tsan.supp names repro/$id, which does not exist"; rc=1; }
	tsan_supp_without "$w/$id.supp" "$id"
	# The entry's own block, as the test reads it (independently of the helper).
	awk -v tag="repro/$id:" 'BEGIN { RS = "" } index($0, tag)' "$supp" | grep '^race:' > "$w/$id.mine"
	mine=$(races "$w/$id.mine")
	[ "$mine" -gt 0 ] || { echo "FAIL: repro/$id's block has no race line"; rc=1; }
	left=$(races "$w/$id.supp")
	[ "$left" -eq $((total - mine)) ] ||
		{ echo "FAIL: without $id: $left race lines, want $((total - mine))"; rc=1; }
	if grep '^race:' "$w/$id.supp" | grep -qxF -f "$w/$id.mine"; then
		echo "FAIL: without $id: one of its races is still there"; rc=1
	fi
	covered=$((covered + mine))
done
[ "$covered" -eq "$total" ] ||
	{ echo "FAIL: $((total - covered)) race line(s) in no block naming a repro entry"; rc=1; }
tsan_supp_without "$w/none.supp" no-such-entry
[ "$(races "$w/none.supp")" -eq "$total" ] || { echo "FAIL: an unknown id dropped races"; rc=1; }
[ "$rc" = 0 ] && echo "tsan.supp: $total races in blocks of: $(echo $ids)"
exit $rc
