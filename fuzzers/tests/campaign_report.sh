#!/usr/bin/env bash
# ctest campaign_report.fuzz_bind: fuzz.sh's fallback for findings a replay
# does not reproduce reads the campaign's own report of the artifact.  Both
# log shapes (libFuzzer's crash handler on, as under ASan, and off, as
# fuzz.sh runs TSan targets) must give the signature a replay gives.  Also
# the summary's exec count across restarts.
#   campaign_report.sh TOP FUZZ_TARGET BINDRACE INPUT WORKDIR
set -u
top=$1 target=$2 br=$3 input=$4 w=$5
# shellcheck source=../../scripts/lib/campaign.sh
. "$top/scripts/lib/campaign.sh"
rm -rf "$w"; mkdir -p "$w/art" "$w/logs"
want=$("$br" run "$input" 2>&1 | "$br" signature /dev/stdin)
[ "$want" != UNREPRODUCED ] || { echo "FAIL: $input does not report"; exit 1; }
rc=0
for abrt in 1 0; do
	rm -f "$w"/art/*
	"$target" -handle_abrt=$abrt -artifact_prefix="$w/art/" "$input" > "$w/logs/fuzz-$abrt.log" 2>&1
	art=$(ls "$w"/art/crash-* 2>/dev/null | head -1)
	[ -n "$art" ] || { echo "FAIL: handle_abrt=$abrt: no artifact"; rc=1; continue; }
	if ! campaign_report "$w/logs" "$art" > "$w/section-$abrt.txt"; then
		echo "FAIL: handle_abrt=$abrt: no report of $art in the logs"; rc=1; continue
	fi
	got=$("$br" signature "$w/section-$abrt.txt")
	if [ "$got" != "$want" ]; then
		echo "FAIL: handle_abrt=$abrt: '$got', want '$want'"; rc=1
	else
		echo "ok: handle_abrt=$abrt: $got"
	fi
	rm -f "$w/logs/fuzz-$abrt.log"
done
# Execs: a restart with final stats counts those, one that died without
# them its last status line.
printf 'INFO: Seed: 1\n#10\tpulse\n#20\tNEW\nstat::number_of_executed_units: 25\nINFO: Seed: 2\n#5\tpulse\n#7\tNEW\n' > "$w/execs.log"
n=$(campaign_execs "$w/execs.log")
if [ "$n" = 32 ]; then echo "ok: campaign_execs: 32"; else echo "FAIL: campaign_execs gave $n, want 32"; rc=1; fi
# An artifact no log wrote is not found.
campaign_report "$w/logs" "$w/art/crash-none" > /dev/null && { echo "FAIL: found a report of nothing"; rc=1; }
exit $rc
