#!/usr/bin/env bash
# ctest scripts.help: every script that has a --help prints its whole head
# comment with it (from the line after '#!' to the last '#' line before
# the code), exits 0, and prints no code.  bench-corpus's fixed line range
# had dropped its last line.
#   scripts_help.sh TOP
set -u
top=$1
rc=0 n=0
for f in "$top"/scripts/*; do
	[ -f "$f" ] && grep -q 'script_help "\$0"' "$f" || continue
	n=$((n + 1))
	# The head comment, read line by line (not the helper's awk).
	want=()
	while IFS= read -r line; do
		[[ $line == '#'* ]] || break
		line=${line#\#}; line=${line# }
		want+=("$line")
	done < <(tail -n +2 "$f")
	out=$(bash "$f" --help 2>&1)
	st=$?
	name=${f##*/}
	[ $st -eq 0 ] || { echo "FAIL: $name --help exited $st"; rc=1; continue; }
	mapfile -t got <<< "$out"
	[ "${#got[@]}" -eq "${#want[@]}" ] ||
		{ echo "FAIL: $name --help printed ${#got[@]} lines, its head comment has ${#want[@]}"; rc=1; }
	[ "${got[0]}" = "${want[0]}" ] && [ "${got[-1]}" = "${want[-1]}" ] ||
		{ echo "FAIL: $name --help does not run from its comment's first line to its last"; rc=1; }
	grep -qE '^(#!|set -|top=)' <<< "$out" && { echo "FAIL: $name --help prints code"; rc=1; }
done
[ $n -ge 10 ] || { echo "FAIL: only $n scripts with --help found"; rc=1; }
[ $rc -eq 0 ] && echo "PASS ($n scripts)"
exit $rc
