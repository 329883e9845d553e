#!/usr/bin/env bash
# bindrace's main job: a fuzzing campaign with triage.
#
#   scripts/fuzz.sh [--engine libfuzzer|afl] [--target T]... [--sanitizer asan|tsan]
#                   [--jobs N] [--time DURATION] [--out DIR]
#
# Defaults: fuzz_bind under ASan and fuzz_bind_threads under TSan, with
# libFuzzer, on all cores, for 10 minutes.  Builds what is missing, shows
# progress, then triages: groups crashes by signature, minimizes one per
# group and writes repro/<id>/ for each group not seen before.  Ends with a
# summary table.  Corpora persist in DIR (default fuzz-out/); artifacts and
# repro entries are never overwritten.  --engine afl runs AFL++ on fuzz_bind
# (afl preset, ASan) with the structure-aware mutator (BINDRACE_MUTATOR=0:
# without): one main and N-1 secondary instances.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
# shellcheck source=lib/help.sh
. "$top/scripts/lib/help.sh"
# shellcheck source=lib/targets.sh
. "$top/scripts/lib/targets.sh"
# shellcheck source=lib/entry.sh
. "$top/scripts/lib/entry.sh"
# shellcheck source=lib/options.sh
. "$top/scripts/lib/options.sh"
# shellcheck source=lib/campaign.sh
. "$top/scripts/lib/campaign.sh"
# shellcheck source=lib/build.sh
. "$top/scripts/lib/build.sh"
# shellcheck source=lib/outdir.sh
. "$top/scripts/lib/outdir.sh"

die() { echo "fuzz.sh: $*" >&2; exit 2; }

engine=libfuzzer
targets=()
sanitizer=""
jobs=$(nproc)
duration=600
out=$top/fuzz-out

parse_time() {
	local t=$1
	case "$t" in
	*[!0-9smh]*|"") die "--time: '$t' is not a duration (600, 600s, 10m, 1h)" ;;
	*h) echo $(( ${t%h} * 3600 )) ;;
	*m) echo $(( ${t%m} * 60 )) ;;
	*s) echo "${t%s}" ;;
	*) echo "$t" ;;
	esac
}

while [ $# -gt 0 ]; do
	case "$1" in
	--engine) [ $# -ge 2 ] || die "--engine needs a value"; engine=$2; shift 2 ;;
	--target) [ $# -ge 2 ] || die "--target needs a value"; targets+=("$2"); shift 2 ;;
	--sanitizer) [ $# -ge 2 ] || die "--sanitizer needs a value"; sanitizer=$2; shift 2 ;;
	--jobs) [ $# -ge 2 ] || die "--jobs needs a value"; jobs=$2; shift 2 ;;
	--time) [ $# -ge 2 ] || die "--time needs a value"; duration=$(parse_time "$2"); shift 2 ;;
	--out) [ $# -ge 2 ] || die "--out needs a value"; out=$(realpath -m "$2"); shift 2 ;;
	-h|--help) script_help "$0"; exit 0 ;;
	*) die "unknown option '$1' (see --help)" ;;
	esac
done

case "$engine" in
libfuzzer|afl) ;;
*) die "--engine must be libfuzzer or afl, not '$engine'" ;;
esac
case "$jobs" in ''|*[!0-9]*|0) die "--jobs must be a positive number, not '$jobs'" ;; esac
[ "$duration" -gt 0 ] || die "--time must be positive"
if [ ${#targets[@]} -eq 0 ]; then
	mapfile -t targets < <(target_names)
	[ "$engine" = afl ] && targets=(fuzz_bind)
fi
for t in "${targets[@]}"; do
	target_preset "$t" >/dev/null || die "$(target_unknown --target "$t")"
done
case "$sanitizer" in ""|asan|tsan) ;; *) die "--sanitizer must be asan or tsan, not '$sanitizer'" ;; esac
if [ "$engine" = afl ]; then
	# The afl preset is fuzz_bind under ASan; a TSan AFL++ build is not set up.
	for t in "${targets[@]}"; do
		[ "$t" = fuzz_bind ] || die "--engine afl runs fuzz_bind only (the afl preset is ASan; $t needs TSan)"
	done
	case "$sanitizer" in ""|asan) sanitizer=asan ;; *) die "--engine afl: the afl preset is ASan only" ;; esac
	command -v afl-fuzz >/dev/null || die "--engine afl needs afl-fuzz (apt-get install afl++)"
fi
out_dir_make "$out"

san_of() {
	local p

	if [ -n "$sanitizer" ]; then echo "$sanitizer"; return; fi
	p=$(target_preset "$1")
	echo "${p#fuzz-}"
}

# ---- build ----
bash scripts/setup.sh >/dev/null
# The preset a target's binaries come from.
preset_of() { [ "$engine" = afl ] && echo afl || echo "fuzz-$(san_of "$1")"; }
# Its work directory under --out.
work_of() { [ "$engine" = afl ] && echo "$out/$1-afl" || echo "$out/$1-$(san_of "$1")"; }

for t in "${targets[@]}"; do
	preset=$(preset_of "$t")
	echo "fuzz.sh: building $preset"
	build_preset "$preset" || exit 2
done

export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:dedup_token_length=3}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1:suppressions=$top/fuzzers/tsan.supp}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
# Known findings (documented repro entries) do not stop the campaign.
export BINDRACE_SUPPRESSIONS=${BINDRACE_SUPPRESSIONS:-$top/fuzzers/known.supp}

# ---- fuzz ----
per=$(( jobs / ${#targets[@]} )); [ "$per" -ge 1 ] || per=1
pids=()
if [ "$engine" = afl ]; then
	t=fuzz_bind; w=$(work_of "$t")
	mkdir -p "$w/out" "$w/logs"
	echo "fuzz.sh: $t (AFL++, ASan) on $per job(s) for ${duration}s, output $w/out"
	afl_env aenv "$top/build/afl/bin/$t" || die "no AFL++ mutator library"
	for j in $(seq 1 "$per"); do
		role=(-S "sec$j"); [ "$j" -eq 1 ] && role=(-M main)
		env "${aenv[@]}" AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 AFL_AUTORESUME=1 \
		AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
		ASAN_OPTIONS=abort_on_error=1:detect_leaks=0:symbolize=0 \
			afl-fuzz -i "$top/build/afl/corpus/$t" -o "$w/out" "${role[@]}" -V "$duration" \
			-x "$top/build/afl/bin/$t.dict" \
			-- "$top/build/afl/bin/$t" > "$w/logs/afl-$j.log" 2>&1 &
		pids+=($!)
	done
fi
for t in "${targets[@]}"; do
	[ "$engine" = libfuzzer ] || break
	san=$(san_of "$t")
	w=$out/$t-$san
	mkdir -p "$w/corpus" "$w/artifacts" "$w/logs"
	bin=$top/build/fuzz-$san/bin/$t
	seeds=$top/build/fuzz-$san/corpus/$t
	echo "fuzz.sh: $t ($san) on $per job(s) for ${duration}s, corpus $w/corpus"
	fuzz_options common "$bin" || die "no options for $bin"
	common+=(-print_final_stats=1 -artifact_prefix="$w/artifacts/")
	# Under TSan with pool threads alive, libFuzzer's SIGABRT handler can
	# deadlock: the harness writes a model report's input itself
	# (fuzzers/artifact/), so an abort just ends the process.
	[ "$san" = tsan ] && common+=(-handle_abrt=0)
	if [ "$per" -gt 1 ]; then
		( cd "$w/logs" && exec "$bin" -fork="$per" -ignore_crashes=1 -ignore_ooms=1 \
			-ignore_timeouts=1 -max_total_time="$duration" "${common[@]}" \
			"$w/corpus" "$seeds" > "$w/logs/fuzz.log" 2>&1 ) &
	else
		# One job: plain libFuzzer (fork mode costs a lot per exec), restarted
		# after each crash until the time is up.
		( cd "$w/logs" && end=$(( $(date +%s) + duration )) && : > "$w/logs/fuzz.log" &&
		  while left=$(( end - $(date +%s) )); [ "$left" -gt 0 ]; do
			"$bin" -max_total_time="$left" "${common[@]}" "$w/corpus" "$seeds" \
				>> "$w/logs/fuzz.log" 2>&1 || true
		  done ) &
	fi
	pids+=($!)
done

# AFL++: a field of every instance's fuzzer_stats, summed.
afl_stat() {	# workdir field
	cat "$1"/out/*/fuzzer_stats 2>/dev/null | awk -v f="$2" '$1 == f && $3 ~ /^[0-9.]+$/ { n += $3 } END { printf "%d", n }'
}

status_line() {
	if [ "$engine" = afl ]; then
		echo "execs $(afl_stat "$1" execs_done), corpus $(afl_stat "$1" corpus_count), exec/s $(afl_stat "$1" execs_per_sec), crashes $(afl_stat "$1" saved_crashes)"
		return
	fi
	local log=$1/logs/fuzz.log line
	line=$(grep -aE '^#[0-9]+' "$log" 2>/dev/null | tail -1)
	[ -n "$line" ] || { echo "starting"; return; }
	field() { sed -nE "s/.*$1:? ([0-9]+).*/\\1/p" <<< "$line"; }
	echo "execs $(sed -E 's/^#([0-9]+).*/\1/' <<< "$line"), cov $(field cov), corpus $(field corp), exec/s $(field 'exec\/s'), artifacts $(find "$1/artifacts" -maxdepth 1 -type f ! -name '*.log' 2>/dev/null | wc -l)"
}

# A fuzzer whose log has not moved for this long is stuck (seen: a TSan
# build deadlocked in libFuzzer's crash handler with pool threads around):
# kill it; one-job mode starts it again.
STALL_SECS=180
declare -A last_size last_move

start=$(date +%s)
while :; do
	alive=0
	for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
	[ $alive -eq 1 ] || break
	sleep 30
	now=$(( $(date +%s) - start ))
	for t in "${targets[@]}"; do
		w=$(work_of "$t")
		echo "fuzz.sh: [${now}s] $t: $(status_line "$w")"
		[ "$engine" = libfuzzer ] || continue
		size=$(stat -c %s "$w/logs/fuzz.log" 2>/dev/null || echo 0)
		if [ "$size" != "${last_size[$t]:-}" ]; then
			last_size[$t]=$size; last_move[$t]=$now
		elif [ $(( now - ${last_move[$t]:-$now} )) -ge "$STALL_SECS" ]; then
			echo "fuzz.sh: [${now}s] $t: no progress for ${STALL_SECS}s, killing the stuck fuzzer"
			pkill -KILL -f -- "-artifact_prefix=$w/artifacts/" || true
			last_move[$t]=$now
		fi
	done
done
for p in "${pids[@]}"; do wait "$p" || true; done

# ---- triage ----
# Signatures come from `bindrace signature` (fuzzers/tools/signature.c).
signature_of() { "$top/build/$(preset_of "$1")/bin/bindrace" signature "$2"; }

# Crash inputs a campaign left: libFuzzer artifacts, or AFL++'s crashes/.
artifacts_of() {	# target
	if [ "$engine" = afl ]; then
		find "$(work_of "$1")/out" -path '*/crashes/id:*' -type f 2>/dev/null | sort
	else
		find "$(work_of "$1")/artifacts" -maxdepth 1 -type f ! -name '*.log' 2>/dev/null | sort
	fi
}

# Threads-backend findings depend on timing: replay them more often.
replays_of() { [ "$(target_backend "$1")" = threads ] && echo 50 || echo 3; }

declare -A group_file group_target group_count group_from_log
new_total=0
for t in "${targets[@]}"; do
	bin=$top/build/$(preset_of "$t")/bin/$t
	mkdir -p "$(work_of "$t")/logs/replay"
	while IFS= read -r a; do
		[ -n "$a" ] || continue
		log=$(work_of "$t")/logs/replay/$(basename "$a" | tr -c 'A-Za-z0-9._\n-' _).log
		if [ ! -f "$log" ]; then
			if [ "$engine" = afl ]; then
				timeout 300 "$top/build/afl/bin/bindrace" run "$a" > "$log" 2>&1 || true
			else
				timeout 600 "$bin" -runs="$(replays_of "$t")" "$a" > "$log" 2>&1 || true
			fi
		fi
		sig=$(signature_of "$t" "$log")
		from_log=""
		# Timing-dependent (threads): the campaign's own report names it.
		if [ "$sig" = UNREPRODUCED ] && [ "$engine" = libfuzzer ] &&
		   campaign_report "$(work_of "$t")/logs" "$a" > "$log.campaign"; then
			sig=$(signature_of "$t" "$log.campaign")
			from_log=1
		fi
		key="$t|$sig"
		group_count[$key]=$(( ${group_count[$key]:-0} + 1 ))
		[ -n "${group_file[$key]:-}" ] || { group_file[$key]=$a; group_target[$key]=$t; }
		[ -z "$from_log" ] || group_from_log[$key]=1
	done <<< "$(artifacts_of "$t")"
done

declare -A new_by_target
for key in "${!group_file[@]}"; do
	t=${group_target[$key]}; sig=${key#*|}; a=${group_file[$key]}
	san=$(san_of "$t"); preset=$(preset_of "$t"); bin=$top/build/$preset/bin/$t
	read -r class cid <<< "$(triage_class repro "$sig")"
	if [ "$class" = known ]; then
		echo "fuzz.sh: known   [$t] $sig (${group_count[$key]} artifact(s), repro/$cid)"
		continue
	fi
	id=$t-$(printf '%s' "$sig" | sha1sum | cut -c1-10)
	dir=repro/$id
	if [ -e "$dir" ]; then
		echo "fuzz.sh: seen    [$t] $sig -> $dir (left as it is)"
		continue
	fi
	echo "fuzz.sh: NEW     [$t] $sig (${group_count[$key]} artifact(s)), minimizing into $dir"
	[ "$class" != again ] || echo "fuzz.sh:         the signature of repro/$cid, which replays clean: a regression, or another cause"
	be=$(target_backend "$t")
	fz=$bin; [ "$engine" = afl ] && fz=-	# -minimize_crash is libFuzzer's
	status="open: found by fuzz.sh on $(date -u +%Y-%m-%d), not triaged"
	[ -z "${group_from_log[$key]:-}" ] ||
		status+="; replays did not reproduce it, the signature is from the campaign's log"
	[ "$class" != again ] || status+="; the signature of repro/$cid, which replays clean"
	ENTRY_BACKEND=$be entry_write "$dir" "$a" "$sig" "$preset" \
		"$top/build/$preset/bin/bindrace" "$fz" "$status" || true
	new_by_target[$t]=$(( ${new_by_target[$t]:-0} + 1 ))
	new_total=$(( new_total + 1 ))
done

# ---- summary ----
echo
printf '%-20s %-6s %12s %10s %10s %14s\n' target san execs exec/s corpus new-findings
for t in "${targets[@]}"; do
	san=$(san_of "$t"); w=$(work_of "$t")
	if [ "$engine" = afl ]; then
		execs=$(afl_stat "$w" execs_done)
		printf '%-20s %-6s %12s %10s %10s %14s\n' "$t" afl "$execs" "$(( execs / duration ))" \
			"$(afl_stat "$w" corpus_count)" "${new_by_target[$t]:-0}"
		continue
	fi
	log=$w/logs/fuzz.log
	# Plain runs: per restart (each starts with "INFO: Seed:"), its final
	# stats, or its last '#N' line if it died without them; summed.  Fork
	# mode: the parent's last '#N' line.
	if [ "$per" -gt 1 ]; then
		execs=$(grep -aE '^#[0-9]+' "$log" | tail -1 | sed -E 's/^#([0-9]+).*/\1/')
	else
		execs=$(campaign_execs "$log")
	fi
	execs=${execs:-0}
	rate=$(( execs / duration ))
	corpus=$(find "$w/corpus" -type f | wc -l)
	printf '%-20s %-6s %12s %10s %10s %14s\n' "$t" "$san" "$execs" "$rate" "$corpus" "${new_by_target[$t]:-0}"
done
echo
echo "fuzz.sh: $new_total new finding(s); artifacts under $out, new repro entries under repro/"
