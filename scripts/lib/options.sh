# shellcheck shell=bash
# A fuzz target's libFuzzer options, from BIN.options (OSS-Fuzz format,
# written by the build beside the binary): the [libfuzzer] section as
# -key=value flags, a dict path made absolute.  One source for fuzz.sh,
# hunt, bench-bugs, bench-fuzz and the smoke tests.
#
# fuzz_options ARRAY BIN   sets ARRAY to the flags; a missing or malformed
#                          file is an error (message on stderr, status 1).
fuzz_options() {
	local -n _flags=$1
	local bin=$2 f=$2.options dir section="" key val line
	dir=$(dirname "$bin")
	_flags=()
	[ -f "$f" ] || { echo "options: $f is missing (rebuild the preset)" >&2; return 1; }
	while IFS= read -r line || [ -n "$line" ]; do
		line=${line%%#*}
		line=$(echo "$line" | tr -d '[:space:]')
		[ -n "$line" ] || continue
		case "$line" in
		\[*\]) section=${line#[}; section=${section%]}; continue ;;
		esac
		[ "$section" = libfuzzer ] || continue
		key=${line%%=*}; val=${line#*=}
		[ "$key" != "$line" ] && [ -n "$key" ] || { echo "options: $f: bad line '$line'" >&2; return 1; }
		[ "$key" = dict ] && val=$dir/$val
		_flags+=("-$key=$val")
	done < "$f"
}

# afl_env ARRAY BIN        sets ARRAY to the environment afl-fuzz needs for
#                          BIN: the structure-aware mutator built beside it
#                          (fuzzers/mutator/afl.c), unless BINDRACE_MUTATOR=0;
#                          a missing library is an error.
afl_env() {
	local -n _env=$1
	local lib
	lib=$(dirname "$2")/libbindrace_afl_mutator.so
	_env=()
	[ "${BINDRACE_MUTATOR:-1}" != 0 ] || return 0
	[ -f "$lib" ] || { echo "options: $lib is missing (rebuild the afl preset)" >&2; return 1; }
	_env=("AFL_CUSTOM_MUTATOR_LIBRARY=$lib")
}

# Run as a script: options.sh --exec BIN ARGS... runs BIN with its options
# first, then ARGS (ctest's smoke runs).
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	[ "${1:-}" = --exec ] && [ $# -ge 2 ] || { echo "usage: options.sh --exec BIN [ARGS...]" >&2; exit 2; }
	bin=$2; shift 2
	fuzz_options flags "$bin" || exit 2
	exec "$bin" "${flags[@]}" "$@"
fi
