# shellcheck shell=bash
# A script's --out directory: created, or refused with a message naming it
# and status 2 (a file in its place gave raw mkdir errors, status 1, and
# fuzz.sh had built everything first).  Call it before any long work.

out_dir_make() {	# dir
	local who=${0##*/}

	if [ -e "$1" ] && [ ! -d "$1" ]; then
		echo "$who: --out: '$1' exists and is not a directory" >&2
		exit 2
	fi
	if ! mkdir -p "$1" 2>/dev/null || [ ! -w "$1" ]; then
		echo "$who: --out: cannot create or write to '$1'" >&2
		exit 2
	fi
}
