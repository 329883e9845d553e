# shellcheck shell=bash
# The execs of a one-job campaign's log: per restart (each starts with
# "INFO: Seed:"), its final stats, or its last '#N' line if it died
# without them (an abort under -handle_abrt=0, a watchdog kill); summed.
campaign_execs() {	# log
	awk '
		function flush() { n += (stat != "" ? stat : last); stat = ""; last = 0 }
		/^INFO: Seed:/ { flush() }
		/^#[0-9]+/ { last = substr($1, 2) + 0 }
		/^stat::number_of_executed_units:/ { stat = $2 + 0 }
		END { flush(); print n + 0 }' "$1"
}

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

# How triage files a campaign's signature against the entries under
# REPRODIR: "known ID" if an open entry (still reporting) or a kept one (a
# kernel race) has it; "again ID" if only an entry that replays clean has
# it (triaged, or a bug the model fixes): the clean model giving that
# signature is a regression or another cause, so it is a new finding;
# "new" otherwise.  Session 19's campaign called a WARN in
# device_links_purge() "known" because links-unbind-consumers-late-write,
# fixed in the model, has that signature, and summed 0 new findings.
triage_class() {	# reprodir signature
	local d id again=""
	for d in "$1"/*/; do
		[ -f "$d/signature" ] && [ "$(cat "$d/signature")" = "$2" ] || continue
		id=$(basename "$d")
		case "$(cat "$d/status" 2>/dev/null)" in
		open*|kept*) echo "known $id"; return ;;
		*) again=${again:-$id} ;;
		esac
	done
	if [ -n "$again" ]; then echo "again $again"; else echo new; fi
}
