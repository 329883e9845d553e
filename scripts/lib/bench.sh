# shellcheck shell=bash
# What the speed benchmarks (bench-fuzz, bench-profile, bench-replay,
# bench-start) share: the presets built, each target's preset
# (lib/targets.sh), the fuzzers' environment as a campaign runs them, and a
# median.  Callers set $top (the checkout) and run from it.

# shellcheck source=targets.sh
. "$(dirname "${BASH_SOURCE[0]}")/targets.sh"
# shellcheck source=build.sh
. "$(dirname "${BASH_SOURCE[0]}")/build.sh"

bench_build() {	# preset...
	local p
	bash "$top/scripts/setup.sh" >/dev/null
	for p in "$@"; do
		build_preset "$p" || exit 2
	done
}

bench_env() {
	export BINDRACE_SUPPRESSIONS=$top/fuzzers/known.supp
	export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1
	export TSAN_OPTIONS=halt_on_error=1:suppressions=$top/fuzzers/tsan.supp
}

# ns for a cache line's round trip between two CPUs now (the dev build's
# bindrace_bench_core --xcpu), or "?".  The threads backend's cost partly
# follows it, and it moves as the host places the virtual CPUs (README).
bench_xcpu() {
	local b=$top/build/dev/bin/bindrace_bench_core

	[ -x "$b" ] && "$b" --xcpu 3 2>/dev/null || echo "?"
}

bench_sorted() {	# "v1 v2 ...": the numbers, one a line, smallest first
	tr ' ' '\n' <<< "$1" | grep . | sort -n
}

bench_median() {	# "v1 v2 ...": the median of the numbers
	bench_sorted "$1" |
		awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

bench_range() {	# "v1 v2 ...": the lowest and the highest, as "lo-hi"
	bench_sorted "$1" | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print lo "-" hi }'
}
