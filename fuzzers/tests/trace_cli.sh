#!/usr/bin/env bash
# ctest trace.cli: `bindrace run --trace` prints a per-task timeline (each
# op's begin and end with its index, the probe and remove calls inside, lock
# acquire and release, task switches), the same one every run; and
# `--trace-json` writes Chrome trace events (valid JSON, every begin ended,
# the same ops in the same order); a trace file it cannot write is exit 2.
#   trace_cli.sh BINDRACE JSON_EVENTS_CMAKE WORKDIR
set -u
br=$1 events=$2 w=$3
rm -rf "$w"; mkdir -p "$w"
cat > "$w/prog.txt" <<'PROG'
tasks 2
driver 0 probe_type=default match=all results=0,0,0,0 probe=none remove=none arg=0
t0 driver_register(drv=0, bus=0)
t1 device_add(dev=1, parent=none, bus=0)
t1 device_del(dev=1)
t0 driver_unregister(drv=0)
PROG
rc=0
fail() { echo "FAIL: $*"; rc=1; }

"$br" run "$w/prog.txt" --trace > "$w/a.txt" || fail "--trace exited $?"
"$br" run "$w/prog.txt" --trace --trace-json "$w/t.json" > "$w/b.txt" || fail "--trace-json exited $?"
cmp -s "$w/a.txt" "$w/b.txt" || fail "two runs printed different timelines"
# The timeline's lines: point, task, what.
want() {	# regex
	grep -Eq "$1" "$w/a.txt" || fail "no line matching '$1'"
}
for op in "t0 +>> driver_register op 0" "t1 +>> device_add op 1" "t1 +<< device_add op 1" \
	  "t1 +>> device_del op 2" "t0 +<< driver_unregister op 3"; do
	want "^ +[0-9]+  $op$"
done
want "^ +[0-9]+  t1 +>> probe dev1$"
want "^ +[0-9]+  t1 +<< remove dev1$"
want "^ +[0-9]+  t[01] +mutex_lock .+"
want "^ +[0-9]+  t[01] +mutex_unlock .+"
want "^ +[0-9]+  --- switch to t1$"
want "^ +[0-9]+  t1 +p->dead dev1$"
want "clean, [0-9]+ schedule points"
# The timeline's ops, begins and ends, in order, against the JSON's.
grep -E "  (>>|<<) " "$w/a.txt" |
	awk '{ ph = $3 == ">>" ? "B" : "E"; $1 = $2 = $3 = ""; sub(/^ +/, ""); print $0 " " ph }' > "$w/text-ops"
if cmake -DFILE="$w/t.json" -P "$events" > "$w/json-out" 2>&1; then
	grep -v '^events ' "$w/json-out" > "$w/json-ops"
	cmp -s "$w/text-ops" "$w/json-ops" || { fail "the JSON's ops differ from the timeline's"; diff "$w/text-ops" "$w/json-ops"; }
	read -r _ n _ b _ e < <(grep '^events ' "$w/json-out")
	[ "$b" = 6 ] && [ "$e" = 6 ] || fail "JSON: $b begins and $e ends, not 6 and 6 (4 ops, a probe, a remove)"
	[ "$n" -gt 20 ] || fail "JSON: only $n events"
else
	fail "--trace-json wrote no valid JSON: $(cat "$w/json-out")"
fi
"$br" run "$w/prog.txt" --trace-json "$w/no/such/dir/t.json" > "$w/err" 2>&1
st=$?
[ $st -eq 2 ] || fail "an unwritable trace file gave exit $st, not 2"
grep -q "cannot write the trace" "$w/err" || fail "no message for the unwritable trace file"
[ $rc -eq 0 ] && echo PASS
exit $rc
