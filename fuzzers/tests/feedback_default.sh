#!/usr/bin/env bash
# ctest feedback.default: in a libFuzzer build fuzz_bind feeds the
# interleaving feedback to libFuzzer unless BINDRACE_FEEDBACK=0.  Seen from
# outside as libFuzzer's feature count after loading the seeds (-runs=0):
# the default must equal BINDRACE_FEEDBACK=1's and exceed =0's.
#   feedback_default.sh FUZZ_BIND SEED_DIR WORKDIR
set -u
fb=$1 seeds=$2 w=$3
features() {	# env assignment or "": the ft: figure of the INITED line
	rm -rf "$w/c"; mkdir -p "$w/c"
	env $1 "$fb" -runs=0 "$w/c" "$seeds" 2>&1 |
		awk '/INITED/ { for (i = 1; i < NF; i++) if ($i == "ft:") print $(i + 1) }'
}
def=$(features "")
on=$(features BINDRACE_FEEDBACK=1)
off=$(features BINDRACE_FEEDBACK=0)
echo "features: default $def, BINDRACE_FEEDBACK=1 $on, =0 $off"
[ -n "$def" ] && [ -n "$on" ] && [ -n "$off" ] || { echo "FAIL: no INITED line"; exit 1; }
[ "$def" -eq "$on" ] || { echo "FAIL: the default is not feedback on"; exit 1; }
[ "$on" -gt "$off" ] || { echo "FAIL: BINDRACE_FEEDBACK=0 does not turn it off"; exit 1; }
