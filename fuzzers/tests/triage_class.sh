#!/usr/bin/env bash
# ctest triage.class: how scripts/fuzz.sh files a campaign's signature
# (scripts/lib/campaign.sh, triage_class): known when an open or kept entry
# has it, "again" when only entries that replay clean (triaged, or fixed in
# the model) have it, new otherwise; and on the real repro/, the signature
# of a bug the model fixes is "again", not known.
#   triage_class.sh TOP WORKDIR
set -u
top=$1 w=$2
# shellcheck source=../../scripts/lib/campaign.sh
. "$top/scripts/lib/campaign.sh"
rm -rf "$w"; mkdir -p "$w"
entry() {	# id signature [status]
	mkdir -p "$w/$1"
	echo "$2" > "$w/$1/signature"
	[ $# -lt 3 ] || echo "$3" > "$w/$1/status"
}
entry a-open "WARNING: A" "open: found by fuzz.sh"
entry b-kept "WARNING: B" "kept: kernel race, in known.supp"
entry c-fixed "WARNING: C"
touch "$w/c-fixed/bug.patch"
entry d-clean "WARNING: D"
entry e-open "WARNING: D" "open: found by fuzz.sh"
rc=0
check() {	# signature want
	local got
	got=$(triage_class "$w" "$1")
	[ "$got" = "$2" ] || { echo "FAIL: '$1': got '$got', want '$2'"; rc=1; }
}
check "WARNING: A" "known a-open"
check "WARNING: B" "known b-kept"
check "WARNING: C" "again c-fixed"
check "WARNING: D" "known e-open"
check "WARNING: E" "new"
check "WARNING: A at x" "new"
sig=$(cat "$top/repro/links-unbind-consumers-late-write/signature")
got=$(triage_class "$top/repro" "$sig")
[ "$got" = "again links-unbind-consumers-late-write" ] ||
	{ echo "FAIL: repro/: '$sig' gave '$got'"; rc=1; }
[ $rc -eq 0 ] && echo PASS
exit $rc
