# shellcheck shell=bash
# Configure (if needed) and build a preset of the checkout in the current
# directory, quietly; messages name the calling script.  ninja prints the compiler's errors on stdout, so a
# plain `cmake --build >/dev/null` under `set -e` stopped a script with
# no message at all.  On failure: what failed and the build's last lines,
# on stderr, and status 1.

build_preset() {	# preset [target...]
	local who=${0##*/} preset=$1 log st=0
	shift
	log=$(mktemp)
	{ [ -f "build/$preset/build.ninja" ] || cmake --preset "$preset"; } >"$log" 2>&1 &&
		cmake --build "build/$preset" ${1:+--target "$@"} >>"$log" 2>&1 || st=1
	if [ $st -ne 0 ]; then
		echo "$who: building preset $preset in $PWD failed; its last lines:" >&2
		tail -n 25 "$log" | sed 's/^/  /' >&2
	fi
	rm -f "$log"
	return $st
}
