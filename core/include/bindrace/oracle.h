/* SPDX-License-Identifier: MIT */
#ifndef _BINDRACE_ORACLE_H
#define _BINDRACE_ORACLE_H

struct device;

/*
 * Checks of the model's own state that the harness runs (reference §6),
 * beyond what the model checks as it goes: at quiescence, or from the
 * fuzz drivers' callbacks.
 */

/*
 * Liveness of deferred probing (reference B10, §6.9): wait until no probe
 * runs and the deferred work is idle, then report every device left on the
 * pending list although a trigger ran after its deferral began: nothing
 * will ever retry it.
 */
void driver_deferred_probe_check_liveness(void);

/*
 * Device links order unbinding: a supplier's driver goes only after every
 * consumer bound through a managed link has unbound (reference §2.5).  A
 * driver's remove callback calls this for its device: it reports each
 * such consumer that is still bound.
 */
void device_links_check_consumers_unbound(struct device *dev);

/*
 * Where @dev is in its life, for the fuzzer's model-state features
 * (fuzzers/feedback.c): plain reads, no schedule point and no TSan
 * access, so only where one task runs at a time (fibers).
 */
#define DEV_STATE_DEAD		(1u << 0)	/* kill_device() ran */
#define DEV_STATE_CAN_MATCH	(1u << 1)
#define DEV_STATE_DEFERRED	(1u << 2)	/* on a deferred probe list */
#define DEV_STATE_BOUND		(1u << 3)
unsigned int device_lifecycle_state(struct device *dev);

#endif
