# shellcheck shell=bash
# A campaign's own report of one artifact, for findings that a replay does
# not reproduce (threads: timing).  Prints the report lines of the first
# libFuzzer log under LOGDIR (not its replay/ folder) that wrote ARTIFACT,
# and fails if none did.  Two shapes: the harness's own "crash input
# written to A" line comes before the report (fuzzers/artifact/), and
# libFuzzer's "Test unit written to A" after it.
campaign_report() {	# logdir artifact
	local f
	for f in "$1"/*.log; do
		[ -f "$f" ] || continue
		awk -v a="$2" '
			function edge() { return /^INFO: Seed:/ || /^#[0-9]+[ \t]/ || /written to / }
			index($0, "crash input written to " a) { grab = 1; buf = ""; next }
			grab && edge() { printf "%s", buf; found = 1; exit }
			index($0, "Test unit written to " a) { printf "%s", buf; found = 1; exit }
			edge() { buf = ""; next }
			{ buf = buf $0 "\n" }
			END { if (!found && grab) { printf "%s", buf; found = 1 }; exit !found }' "$f" && return 0
	done
	return 1
}
