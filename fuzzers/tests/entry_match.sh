#!/usr/bin/env bash
# ctest entry_match.signatures: every repro entry's recorded signature is
# one of its own findings by the globs scripts/bench-bugs counts with (its
# match file, else one made from the signature).  A signature replayed anew
# while an old match file stayed behind fails here, not as a bench run
# that counts every find as "other".
#   entry_match.sh TOP
set -u
top=$1
# shellcheck source=../../scripts/lib/entry.sh
. "$top/scripts/lib/entry.sh"
rc=0 n=0
for e in "$top"/repro/*/; do
	id=$(basename "$e")
	[ -f "$e/signature" ] || continue
	sig=$(head -1 "$e/signature")
	n=$((n + 1))
	matches "$id" "$sig" || { echo "FAIL: $id: signature '$sig' matches none of its globs:"; match_globs "$id" | sed 's/^/    /'; rc=1; }
done
[ "$n" -gt 0 ] || { echo "FAIL: no entry has a signature"; exit 1; }
[ "$rc" = 0 ] && echo "entry_match: $n entries, each signature matches its globs"
exit $rc
