// SPDX-License-Identifier: MIT
/*
 * drivers/nvdimm/bus.c, the one piece of it the model keeps: how libnvdimm
 * unregisters a namespace-like child, the user that kill_device() was
 * made for (reference §4 B5).  Two paths may ask for the same device's
 * death: the device's own sysfs store, under its lock, which must defer
 * the work (ND_ASYNC), and its parent's teardown (ND_SYNC).  Only the one
 * that claims death with kill_device() may call device_unregister().
 */

#include <linux/async.h>
#include <linux/device.h>
#include <linux/nd.h>

/*
 * Exclusive in the kernel; registered here so that the model's quiesce
 * (async_synchronize_full) waits for pending unregistrations.
 */
static ASYNC_DOMAIN(nd_async_domain);

static void nd_async_device_unregister(void *d, async_cookie_t cookie)
{
	struct device *dev = d;

	device_unregister(dev);
	put_device(dev);
}

void nd_device_unregister(struct device *dev, enum nd_async_mode mode)
{
	bool killed;

	switch (mode) {
	case ND_ASYNC:
		/* The caller holds the device lock; only the winner defers. */
		if (!kill_device(dev))
			return;
		get_device(dev);
		async_schedule_domain(nd_async_device_unregister, dev, &nd_async_domain);
		break;
	case ND_SYNC:
		device_lock(dev);
		killed = kill_device(dev);
		device_unlock(dev);
		/* The async path already owns the unregistration. */
		if (!killed)
			return;
		/*
		 * The kernel flushes nd_async_domain here (nd_synchronize) for
		 * registrations still queued; the model registers children
		 * synchronously, and a parent holding its lock while waiting
		 * would deadlock against a child's release on a bus that takes
		 * the parent lock.
		 */
		device_unregister(dev);
		break;
	}
}
