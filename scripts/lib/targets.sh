# shellcheck shell=bash
# The fuzz targets, the preset each is fuzzed in by default, as the main
# job runs them (fuzz.sh without --sanitizer), and the backend it runs
# programs on: the one table that fuzz.sh and the speed benchmarks read
# (ctest scripts.targets checks it against fuzzers/CMakeLists.txt and the
# targets' sources).
target_preset() {	# target: its preset; nothing printed, status 1, if not a target
	case "$1" in
	fuzz_bind) echo fuzz-asan ;;
	fuzz_bind_threads) echo fuzz-tsan ;;
	*) return 1 ;;
	esac
}

target_backend() {	# target: fibers or threads; status 1 if not a target
	case "$1" in
	fuzz_bind) echo fibers ;;
	fuzz_bind_threads) echo threads ;;
	*) return 1 ;;
	esac
}
