// SPDX-License-Identifier: MIT
/* Bring-up of the driver core (driver_init) and the reset between runs. */

#include <linux/async.h>
#include <linux/device.h>
#include <linux/slab.h>
#include <linux/timer.h>
#include <linux/workqueue.h>
#include "base.h"

void driver_core_init(void)
{
	workqueue_init_early();
	async_init();
	device_links_init();
	deferred_probe_init();
}

/*
 * Return every piece of global state to its initial value, so a fuzzer can
 * run millions of programs in one process.  Objects owned by the caller
 * (devices, drivers) are not touched: tearing them down is the caller's job
 * and the accounting (bindrace/stats.h) says whether it did.
 */
void driver_core_reset(void)
{
	/*
	 * Queues first: a cancelled run may leave static work items queued,
	 * and driver_core_init() re-initialises them (INIT_WORK).
	 */
	async_reset();
	workqueue_reset();
	timers_reset();
	driver_core_init();
	bus_reset_all();
	driver_deferred_probe_reset();
	device_links_reset();
	device_pm_reset();
	klist_reset();
	lockdep_reset();
	fault_inject_set_nth(0);
	br_obj_reset();
}
