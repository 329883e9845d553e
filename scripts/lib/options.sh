# shellcheck shell=bash
# A fuzz target's libFuzzer options, from BIN.options (OSS-Fuzz format,
# written by the build beside the binary): the [libfuzzer] section as
# -key=value flags, a dict path made absolute.  One source for fuzz.sh,
# hunt, bench-bugs and bench-fuzz.
#
# fuzz_options BIN   prints one flag per line; a missing file is an error.
fuzz_options() {
	local bin=$1 f=$1.options dir section="" key val
	dir=$(dirname "$bin")
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
		echo "-$key=$val"
	done < "$f"
}

# Run as a script: options.sh --exec BIN ARGS... runs BIN with its options
# first, then ARGS (ctest's smoke runs).
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	[ "${1:-}" = --exec ] && [ $# -ge 2 ] || { echo "usage: options.sh --exec BIN [ARGS...]" >&2; exit 2; }
	bin=$2; shift 2
	opts=$(fuzz_options "$bin") || exit 2
	mapfile -t flags <<< "$opts"
	exec "$bin" "${flags[@]}" "$@"
fi
