# shellcheck shell=bash
# The fuzz targets and the preset each is fuzzed in by default, as the
# main job runs them (fuzz.sh without --sanitizer): the one table that
# fuzz.sh and the speed benchmarks read.
target_preset() {	# target: its preset; nothing printed, status 1, if not a target
	case "$1" in
	fuzz_bind) echo fuzz-asan ;;
	fuzz_bind_threads) echo fuzz-tsan ;;
	*) return 1 ;;
	esac
}
