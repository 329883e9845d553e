#!/usr/bin/env bash
# ctest report.taint: a known finding (BINDRACE_SUPPRESSIONS) taints its
# run, and what the run reports after it is suppressed too, as its
# consequence; what came before it, and the next run, are reported as
# usual.  The input is repro/purge-warn-after-known-bound-warn: the known
# WARN in device_links_driver_bound(), then a WARN in device_links_purge()
# that follows from it (the 30-minute campaign of session 19 stopped on it).
#   report_taint.sh FUZZ_BIND TOP WORKDIR
set -u
fb=$1 top=$2 w=$3
rm -rf "$w"; mkdir -p "$w"
in=$top/repro/purge-warn-after-known-bound-warn/input.bin
other=$top/repro/link-added-while-supplier-unbinds/input.bin
echo 'WARNING: WARN in device_links_driver_bound*' > "$w/bound.supp"
echo 'WARNING: WARN in device_links_purge*' > "$w/purge.supp"
rc=0
run() {	# suppressions files... -> output in $out, status in $st
	local supp=$1
	shift
	out=$(BINDRACE_SUPPRESSIONS=$supp "$fb" "$@" 2>&1)
	st=$?
}
# Without suppressions the run stops at the known WARN: the input still has it.
run "" "$in"
[ $st -ne 0 ] && grep -q "bindrace: WARNING: WARN in device_links_driver_bound" <<< "$out" ||
	{ echo "FAIL: no suppressions: want the WARN in device_links_driver_bound, got ($st): $out"; rc=1; }
# Suppressed, it taints the run: the purge WARN after it is not reported.
run "$w/bound.supp" "$in"
[ $st -eq 0 ] && ! grep -q "bindrace: WARNING" <<< "$out" ||
	{ echo "FAIL: known WARN suppressed: want a clean run, got ($st): $out"; rc=1; }
# The next run in the same process starts untainted: its own WARN is reported.
run "$w/bound.supp" "$in" "$other"
[ $st -ne 0 ] && grep -q "bindrace: WARNING: WARN in device_links_driver_cleanup" <<< "$out" &&
	! grep -q "WARN in device_links_purge" <<< "$out" ||
	{ echo "FAIL: next run: want its WARN in device_links_driver_cleanup only, got ($st): $out"; rc=1; }
# The taint starts at the known finding: a report before it is still one.
run "$w/purge.supp" "$in"
[ $st -ne 0 ] && grep -q "bindrace: WARNING: WARN in device_links_driver_bound" <<< "$out" ||
	{ echo "FAIL: suppressing the later WARN must not hide the earlier, got ($st): $out"; rc=1; }
[ $rc -eq 0 ] && echo PASS
exit $rc
