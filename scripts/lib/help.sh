# shellcheck shell=bash
# A script's --help: its head comment (every '#' line after the '#!' line,
# up to the first line that is not a comment), without the '# '.  One
# place, so no script prints a fixed line range that drifts from its
# comment (bench-corpus's had lost its last line).
script_help() {	# script
	awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$1"
}
