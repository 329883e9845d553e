# shellcheck shell=bash
# The fuzz targets, the preset each is fuzzed in by default, as the main
# job runs them (fuzz.sh without --sanitizer), and the backend it runs
# programs on: the one table that fuzz.sh and the speed benchmarks read
# (ctest scripts.targets checks it against fuzzers/CMakeLists.txt and the
# targets' sources).
target_table=(
	# target		preset		backend
	"fuzz_bind		fuzz-asan	fibers"
	"fuzz_bind_threads	fuzz-tsan	threads"
)

target_field() {	# target column (1: preset, 2: backend); status 1 if not a target
	local row
	local -a f
	for row in "${target_table[@]}"; do
		read -r -a f <<< "$row"
		[ "${f[0]}" = "$1" ] && { echo "${f[$2]}"; return 0; }
	done
	return 1
}

# Every target, in the table's order.
target_names() {
	local row
	for row in "${target_table[@]}"; do
		echo "${row%%[[:space:]]*}"
	done
}

# The message for a name that is not a target, naming those that are.
target_unknown() {	# what name
	local names
	names=$(target_names | paste -sd, - | sed 's/,/, /g')
	echo "$1: '$2' is not a fuzz target ($names)"
}

target_preset() { target_field "$1" 1; }	# target: its preset; nothing printed, status 1, if not a target
target_backend() { target_field "$1" 2; }	# target: fibers or threads; status 1 if not a target
