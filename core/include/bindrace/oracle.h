/* SPDX-License-Identifier: MIT */
#ifndef _BINDRACE_ORACLE_H
#define _BINDRACE_ORACLE_H

/*
 * Checks of the model's own state that the harness runs at quiescence
 * (reference §6), beyond what the model checks as it goes.
 */

/*
 * Liveness of deferred probing (reference B10, §6.9): wait until no probe
 * runs and the deferred work is idle, then report every device left on the
 * pending list although a trigger ran after its deferral began: nothing
 * will ever retry it.
 */
void driver_deferred_probe_check_liveness(void);

#endif
