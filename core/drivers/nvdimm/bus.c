// SPDX-License-Identifier: MIT
/*
 * drivers/nvdimm/bus.c, the one piece of it the model keeps: how libnvdimm
 * unregisters a namespace-like child, the user that kill_device() was
 * made for (reference §4 B5).  Two paths may ask for the same device's
 * death: the device's own sysfs store, under its lock, which must defer
 * the work (ND_ASYNC), and its parent's teardown (ND_SYNC).  Only the one
 * that claims death with kill_device() may call device_unregister().
 */

#include <linux/device.h>
#include <linux/nd.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

struct nd_unregister_work {
	struct work_struct work;
	struct device *dev;
};

static void nd_async_device_unregister(struct work_struct *work)
{
	struct nd_unregister_work *w = container_of(work, struct nd_unregister_work, work);

	device_unregister(w->dev);
	put_device(w->dev);
	kfree(w);
}

/* Wait for queued unregistrations (bus teardown; the model's quiesce). */
void nd_synchronize(void)
{
	flush_workqueue(system_wq);
}

void nd_device_unregister(struct device *dev, enum nd_async_mode mode)
{
	struct nd_unregister_work *w;
	bool killed;

	switch (mode) {
	case ND_ASYNC:
		/*
		 * bindrace: mainline hands this to async_schedule_domain(),
		 * which runs it inline when it cannot queue (no memory, too
		 * much pending): device_del() then takes the device lock this
		 * caller holds (repro/nd-async-unregister-inline-under-lock).
		 * The model allocates first, so that it never has to run it
		 * here, and queues work that cannot fail.
		 */
		w = kzalloc(sizeof(*w), GFP_KERNEL);
		if (!w)
			return;
		/* The caller holds the device lock; only the winner defers. */
		if (!kill_device(dev)) {
			kfree(w);
			return;
		}
		get_device(dev);
		w->dev = dev;
		INIT_WORK(&w->work, nd_async_device_unregister);
		queue_work(system_wq, &w->work);
		break;
	case ND_SYNC:
		device_lock(dev);
		killed = kill_device(dev);
		device_unlock(dev);
		/* The async path already owns the unregistration. */
		if (!killed)
			return;
		/*
		 * The kernel calls nd_synchronize() here, for registrations
		 * still queued; the model registers children synchronously,
		 * and a parent waiting with its lock held would deadlock against
		 * a child's release on a bus that takes the parent lock.
		 */
		device_unregister(dev);
		break;
	}
}
