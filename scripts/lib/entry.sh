# shellcheck shell=bash
# Writing a repro entry from a finding: one place for fuzz.sh triage and
# hunt.  Minimizes with `bindrace minimize` (ops, tasks, schedule, then
# behaviours and arguments), then libFuzzer's -minimize_crash on the bytes,
# keeping the smaller input only while the signature stays the same.
# Never overwrites: an existing input.bin stops it.

# The kind of finding entry ID records, as globs: its match file, or
# else one made from its signature.  Needs $top.
match_globs() {	# id
	local e=$top/repro/$1
	if [ -f "$e/match" ]; then grep -v '^#' "$e/match"; return; fi
	sed -E '1!d; s/^(ASAN|TSAN): ([^ ]+).*/?SAN: \2*/; t; s/ (at|in) .*//; s/$/*/' "$e/signature"
}

# Is SIGNATURE a finding of entry ID (one of its match globs)?
matches() {	# id signature
	local g
	while IFS= read -r g; do
		[ -n "$g" ] || continue
		# shellcheck disable=SC2053
		[[ "$2" == $g ]] && return 0
	done <<< "$(match_globs "$1")"
	return 1
}

# known.supp may list the kind of finding being looked for (an open entry
# with the same signature): write a copy to OUT without the lines GLOBS
# (a file, one glob a line) lists.
supp_without() {	# out globs-file
	grep -vxF -f "$2" "$top/fuzzers/known.supp" > "$1" || true
}

# tsan.supp keeps a block per kept kernel race, its comment naming the
# entry ("# repro/ID: ..."): write a copy to OUT without entry ID's block,
# so that hunting or replaying that race is not suppressed.
tsan_supp_without() {	# out id
	awk -v tag="repro/$2:" 'BEGIN { RS = ""; ORS = "\n\n" } !index($0, tag)' \
		"$top/fuzzers/tsan.supp" > "$1"
}

# The first program in DIR whose replay with BINDRACE shows a finding of
# entry ID (its file name; nothing if none does): a seed corpus that would
# hand a fuzzer the repro itself.  Replays without known.supp's lines for
# the entry, as the fuzzing that looks for it does.
seed_showing() {	# id bindrace dir
	local id=$1 br=$2 f sig log supp
	log=$(mktemp); supp=$(mktemp)
	supp_without "$supp" <(match_globs "$id")
	for f in "$3"/*; do
		[ -f "$f" ] || continue
		BINDRACE_SUPPRESSIONS=$supp timeout 120 "$br" run "$f" > "$log" 2>&1 || true
		sig=$("$br" signature "$log")
		if [ "$sig" != UNREPRODUCED ] && matches "$id" "$sig"; then
			rm -f "$log" "$supp"; basename "$f"; return
		fi
	done
	rm -f "$log" "$supp"
}

# entry_write DIR INPUT SIGNATURE PRESET BINDRACE FUZZ_BIN [STATUS]
# ENTRY_BACKEND=threads replays on the threads backend (several runs each);
# ENTRY_MIN_BUDGET bounds bindrace minimize (seconds, default 300).
entry_write() {
	local dir=$1 in=$2 sig=$3 preset=$4 br=$5 fz=$6 status=${7:-} w
	local be=(--backend "${ENTRY_BACKEND:-fibers}")
	[ ! -e "$dir/input.bin" ] || { echo "entry: $dir/input.bin exists, left as it is" >&2; return 1; }
	mkdir -p "$dir"
	w=$(mktemp -d)
	if ! "$br" minimize "$in" "${be[@]}" --expect "$sig" --budget "${ENTRY_MIN_BUDGET:-300}" \
			-q -o "$w/min.bin" 2> "$w/min.log"; then
		cp "$in" "$w/min.bin"	# does not replay alone: keep the artifact
	fi
	# FUZZ_BIN "-": no libFuzzer binary (AFL++ campaigns).
	[ "$fz" = - ] || "$fz" -minimize_crash=1 -runs=2000 -exact_artifact_path="$w/min2.bin" \
		"$w/min.bin" > "$w/min2.log" 2>&1 || true
	if [ -s "$w/min2.bin" ] && [ "$(stat -c %s "$w/min2.bin")" -lt "$(stat -c %s "$w/min.bin")" ]; then
		timeout 300 "$br" run "$w/min2.bin" "${be[@]}" > "$w/min2.run" 2>&1 || true
		"$br" signature --expect "$sig" "$w/min2.run" >/dev/null 2>&1 && cp "$w/min2.bin" "$w/min.bin"
	fi
	# Stored canonical (every byte in range), so appending to the op or
	# action tables leaves the program the same (prog.h).
	"$br" decode "$w/min.bin" > "$w/min.txt"
	"$br" encode "$w/min.txt" -o "$w/canon.bin" > /dev/null
	cp -n "$w/canon.bin" "$dir/input.bin"
	cp "$w/min.txt" "$dir/program.txt"
	printf '%s\n' "$sig" > "$dir/signature"
	echo "$preset" > "$dir/preset"
	timeout 300 "$br" run "$dir/input.bin" "${be[@]}" > "$w/final.log" 2>&1 || true
	{ echo "$sig"; echo; echo "\$ bindrace run input.bin   # $preset build"; cat "$w/final.log"; } > "$dir/report.txt"
	[ -z "$status" ] || echo "$status" > "$dir/status"
	rm -rf "$w"
}
