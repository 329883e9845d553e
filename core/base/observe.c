// SPDX-License-Identifier: MIT
/*
 * The harness's view of a device (bindrace/oracle.h).  Built without TSan
 * (core/CMakeLists.txt, runtime_sources): the feedback samples between
 * schedule points with plain loads, and a TSan access here would pair with
 * the model's own locked writes as a race.  No attribute on the function
 * does it: clang does not inline an instrumented helper (list_empty())
 * into an uninstrumented caller, so the helper's read stays visible.
 */

#include <bindrace/oracle.h>
#include <linux/device.h>
#include "base.h"

unsigned int device_lifecycle_state(struct device *dev)
{
	unsigned int state = 0;

	if (!dev->p)
		return 0;
	if (dev->p->dead)
		state |= DEV_STATE_DEAD;
	if (dev->flags & BIT(DEV_FLAG_CAN_MATCH))
		state |= DEV_STATE_CAN_MATCH;
	if (!list_empty(&dev->p->deferred_probe))
		state |= DEV_STATE_DEFERRED;
	if (dev->driver)
		state |= DEV_STATE_BOUND;
	return state;
}
