// SPDX-License-Identifier: MIT
/*
 * drivers/base/dd.c: binding devices to drivers.  Probe (sync and async,
 * device- and driver-initiated), release, deferred probe and the probe
 * count behind wait_for_device_probe().
 */

#include <bindrace/oracle.h>
#include <bindrace/report.h>
#include <bindrace/sched.h>
#include <linux/device.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include "base.h"

static DEFINE_MUTEX(deferred_probe_mutex);
static LIST_HEAD(deferred_probe_pending_list);
static LIST_HEAD(deferred_probe_active_list);
static atomic_t deferred_trigger_count = ATOMIC_INIT(0);
/*
 * Re-triggers by a probe that deferred while a trigger ran (bookkeeping
 * for the livelock report, not a kernel counter: a plain builtin, so it
 * adds no schedule point).
 */
static unsigned int deferred_retrigger_count;
static bool driver_deferred_probe_enable = true;	/* past late_initcall */
static bool defer_all_probes;
static struct work_struct deferred_probe_work;

static atomic_t probe_count = ATOMIC_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(probe_waitqueue);

/* CONFIG_DEBUG_TEST_DRIVER_REMOVE: probe, remove, probe again. */
bool debug_test_driver_remove;

static void deferred_probe_work_func(struct work_struct *work)
{
	struct device_private *private;
	struct device *dev;

	mutex_lock(&deferred_probe_mutex);
	while (!list_empty(&deferred_probe_active_list)) {
		private = list_first_entry(&deferred_probe_active_list,
					   struct device_private, deferred_probe);
		dev = private->device;
		sched_point(SP_DEFERRED, dev);
		list_del_init(&private->deferred_probe);
		get_device(dev);
		kfree(dev->p->deferred_probe_reason);
		dev->p->deferred_probe_reason = NULL;
		/* Drop the mutex while probing: probe paths take it. */
		mutex_unlock(&deferred_probe_mutex);
		bus_probe_device(dev);
		mutex_lock(&deferred_probe_mutex);
		put_device(dev);
	}
	mutex_unlock(&deferred_probe_mutex);
}

void driver_deferred_probe_add(struct device *dev)
{
	if (!dev_can_match(dev))
		return;
	mutex_lock(&deferred_probe_mutex);
	sched_point(SP_DEFERRED, dev);
	/* Reference §6.4: a listing after device_del() pins nothing. */
	dev_invariant(dev->p->deferred_closed, dev,
		      "deferred probe listed a device after its device_del()");
	if (list_empty(&dev->p->deferred_probe)) {
		list_add_tail(&dev->p->deferred_probe, &deferred_probe_pending_list);
		dev->p->defer_snapshot = atomic_read(&deferred_trigger_count);
	}
	mutex_unlock(&deferred_probe_mutex);
}

/* bindrace: a probe that began at trigger @snapshot deferred @dev. */
static void deferred_probe_note_start(struct device *dev, int snapshot)
{
	mutex_lock(&deferred_probe_mutex);
	if (!list_empty(&dev->p->deferred_probe) && snapshot < dev->p->defer_snapshot)
		dev->p->defer_snapshot = snapshot;
	mutex_unlock(&deferred_probe_mutex);
}

void driver_deferred_probe_check_liveness(void)
{
	struct device_private *p;
	int count;

	/* Quiescence: no probe in flight, the deferred work idle. */
	do {
		wait_for_device_probe();
	} while (work_pending(&deferred_probe_work) || atomic_read(&probe_count));
	mutex_lock(&deferred_probe_mutex);
	count = atomic_read(&deferred_trigger_count);
	list_for_each_entry(p, &deferred_probe_pending_list, deferred_probe) {
		if (p->defer_snapshot != count)
			bindrace_report(REPORT_INVARIANT, "deferred device missed a trigger",
					"device %s began deferring at trigger %d; triggers ran up to %d\n"
					"and nothing retried it: it stays deferred for good\n",
					dev_name(p->device), p->defer_snapshot, count);
	}
	mutex_unlock(&deferred_probe_mutex);
}

static void __driver_deferred_probe_del(struct device *dev, bool closing)
{
	mutex_lock(&deferred_probe_mutex);
	sched_point(SP_DEFERRED, dev);
	if (!list_empty(&dev->p->deferred_probe))
		list_del_init(&dev->p->deferred_probe);
	kfree(dev->p->deferred_probe_reason);
	dev->p->deferred_probe_reason = NULL;
	if (closing)
		dev->p->deferred_closed = true;
	mutex_unlock(&deferred_probe_mutex);
}

void driver_deferred_probe_del(struct device *dev)
{
	__driver_deferred_probe_del(dev, false);
}

/*
 * bindrace: device_del()'s call.  From here on nothing may list @dev (the
 * lists pin nothing); driver_deferred_probe_add() checks that under the
 * mutex, at the listing itself.
 */
void driver_deferred_probe_close(struct device *dev)
{
	__driver_deferred_probe_del(dev, true);
}

bool driver_deferred_probe_pending(struct device *dev)
{
	bool ret;

	mutex_lock(&deferred_probe_mutex);
	ret = dev->p && !list_empty(&dev->p->deferred_probe);
	mutex_unlock(&deferred_probe_mutex);
	return ret;
}

void driver_deferred_probe_trigger(void)
{
	if (!driver_deferred_probe_enable)
		return;
	/*
	 * A successful probe means something may now be ready: move all
	 * pending devices to the active list and run the work.  The trigger
	 * count lets a racing probe notice it missed one (58b116bce136).
	 */
	mutex_lock(&deferred_probe_mutex);
	atomic_inc(&deferred_trigger_count);
	list_splice_tail_init(&deferred_probe_pending_list, &deferred_probe_active_list);
	mutex_unlock(&deferred_probe_mutex);
	queue_work(system_unbound_wq, &deferred_probe_work);
}

void device_block_probing(void)
{
	WRITE_ONCE(defer_all_probes, true);
	wait_for_device_probe();
}

void device_unblock_probing(void)
{
	WRITE_ONCE(defer_all_probes, false);
	driver_deferred_probe_trigger();
}

int driver_deferred_probe_check_state(struct device *dev)
{
	return -EPROBE_DEFER;
}

bool device_is_bound(struct device *dev)
{
	return dev->p && klist_node_attached(&dev->p->knode_driver);
}

static void driver_bound(struct device *dev)
{
	if (device_is_bound(dev)) {
		pr_warn("%s: device %s already bound\n", __func__, dev_name(dev));
		return;
	}
	dev_invariant(dev_dead(dev), dev, "driver bound after kill_device");
	klist_add_tail(&dev->p->knode_driver, &dev->driver->p->klist_devices);
	br_obj_inc(BR_OBJ_BOUND);
	device_links_driver_bound(dev);
	/* Now that this device is bound, others may be able to probe. */
	driver_deferred_probe_del(dev);
	driver_deferred_probe_trigger();
}

static int driver_sysfs_add(struct device *dev)
{
	return 0;
}

static void driver_sysfs_remove(struct device *dev)
{
}

int device_bind_driver(struct device *dev)
{
	int ret = driver_sysfs_add(dev);

	if (!ret) {
		device_links_force_bind(dev);
		driver_bound(dev);
	}
	return ret;
}

static void device_remove(struct device *dev)
{
	if (dev->bus && dev->bus->remove)
		dev->bus->remove(dev);
	else if (dev->driver->remove)
		dev->driver->remove(dev);
}

static void device_unbind_cleanup(struct device *dev)
{
	devres_release_all(dev);
	device_set_driver(dev, NULL);
	dev_set_drvdata(dev, NULL);
}

static int call_driver_probe(struct device *dev, const struct device_driver *drv)
{
	int ret = 0;

	if (dev->bus->probe)
		ret = dev->bus->probe(dev);
	else if (drv->probe)
		ret = drv->probe(dev);
	if (ret && ret != -EPROBE_DEFER && ret != -ENODEV && ret != -ENXIO)
		pr_warn("%s: probe with driver %s failed with error %d\n",
			dev_name(dev), drv->name, ret);
	return ret;
}

static int really_probe(struct device *dev, const struct device_driver *drv)
{
	bool test_remove = debug_test_driver_remove && !drv->suppress_bind_attrs;
	int link_ret, ret;

	if (READ_ONCE(defer_all_probes))
		return -EPROBE_DEFER;
	link_ret = device_links_check_suppliers(dev);
	if (link_ret == -EPROBE_DEFER)
		return link_ret;
	dev_invariant(dev_dead(dev), dev, "probe started after kill_device");
	dev_invariant(!dev_ready_to_probe(dev), dev, "probe started before device_add reached bus_probe_device");
	if (!list_empty(&dev->devres_head)) {
		pr_err("%s: Resources present before probing\n", dev_name(dev));
		ret = -EBUSY;
		goto done;
	}

re_probe:
	device_set_driver(dev, (struct device_driver *)drv);
	ret = driver_sysfs_add(dev);
	if (ret)
		goto sysfs_failed;
	br_obj_inc(BR_OBJ_PROBE);
	ret = call_driver_probe(dev, drv);
	br_obj_dec(BR_OBJ_PROBE);
	if (ret) {
		if (link_ret == -EAGAIN)
			ret = -EPROBE_DEFER;
		/* Probe errors go back positive, to tell them from others. */
		ret = -ret;
		goto probe_failed;
	}
	if (test_remove) {
		test_remove = false;
		device_remove(dev);
		driver_sysfs_remove(dev);
		device_unbind_cleanup(dev);
		goto re_probe;
	}
	driver_bound(dev);
	goto done;

probe_failed:
	driver_sysfs_remove(dev);
sysfs_failed:
	device_links_no_driver(dev);
	device_unbind_cleanup(dev);
done:
	return ret;
}

static int __driver_probe_device(const struct device_driver *drv, struct device *dev)
{
	if (dev_dead(dev) || !device_is_registered(dev))
		return -ENODEV;
	if (dev_driver(dev))
		return -EBUSY;
	dev_set_can_match(dev, true);
	/* a2225b6e834a: not before device_add() reached bus_probe_device(). */
	if (!dev_ready_to_probe(dev))
		return -EPROBE_DEFER;
	return really_probe(dev, drv);
}

int driver_probe_device(const struct device_driver *drv, struct device *dev)
{
	int trigger_count = atomic_read(&deferred_trigger_count);
	int ret;

	atomic_inc(&probe_count);
	ret = __driver_probe_device(drv, dev);
	if (ret == -EPROBE_DEFER || ret == EPROBE_DEFER) {
		driver_deferred_probe_add(dev);
		deferred_probe_note_start(dev, trigger_count);
		/* Did a trigger run while we probed?  Then re-trigger. */
		if (trigger_count != atomic_read(&deferred_trigger_count) &&
		    !READ_ONCE(defer_all_probes)) {
			__atomic_fetch_add(&deferred_retrigger_count, 1, __ATOMIC_RELAXED);
			driver_deferred_probe_trigger();
		}
	}
	atomic_dec(&probe_count);
	wake_up_all(&probe_waitqueue);
	return ret;
}

int driver_probe_done(void)
{
	return atomic_read(&probe_count) ? -EBUSY : 0;
}

void wait_for_device_probe(void)
{
	/* Wait for the deferred probe work, then for probes in flight. */
	flush_work(&deferred_probe_work);
	wait_event(probe_waitqueue, atomic_read(&probe_count) == 0);
	async_synchronize_full();
}

static void __device_driver_lock(struct device *dev, struct device *parent)
{
	if (parent && dev->bus->need_parent_lock)
		device_lock(parent);
	device_lock(dev);
}

static void __device_driver_unlock(struct device *dev, struct device *parent)
{
	device_unlock(dev);
	if (parent && dev->bus->need_parent_lock)
		device_unlock(parent);
}

struct device_attach_data {
	struct device *dev;
	bool check_async;	/* skip drivers whose async mode != want_async */
	bool want_async;
	bool have_async;	/* an async-capable driver matched */
};

static int __device_attach_driver(struct device_driver *drv, void *_data)
{
	struct device_attach_data *data = _data;
	struct device *dev = data->dev;
	bool async_allowed;
	int ret;

	ret = driver_match_device(drv, dev);
	if (ret == 0) {
		return 0;
	} else if (ret == -EPROBE_DEFER) {
		/* Cannot match now: stop, and try the whole bus again later. */
		dev_set_can_match(dev, true);
		driver_deferred_probe_add(dev);
		return ret;
	} else if (ret < 0) {
		return ret;
	}

	async_allowed = driver_allows_async_probing(drv);
	if (async_allowed)
		data->have_async = true;
	if (data->check_async && async_allowed != data->want_async)
		return 0;
	ret = driver_probe_device(drv, dev);
	if (ret < 0)
		return ret;
	return ret == 0;
}

static void __device_attach_async_helper(void *_dev, async_cookie_t cookie)
{
	struct device *dev = _dev;
	struct device_attach_data data = {
		.dev = dev,
		.check_async = true,
		.want_async = true,
	};

	device_lock(dev);
	/* 3451a495ef24: the device may have died since we were scheduled. */
	if (dev_dead(dev) || dev_driver(dev))
		goto out_unlock;
	bus_for_each_drv(dev->bus, NULL, &data, __device_attach_driver);
out_unlock:
	device_unlock(dev);
	put_device(dev);
}

static int __device_attach(struct device *dev, bool allow_async)
{
	bool async = false;
	int ret = 0;

	device_lock(dev);
	/* 654888327e9f: deferred probe reaches here for dead devices too. */
	if (dev_dead(dev))
		goto out_unlock;
	if (dev_driver(dev)) {
		if (device_is_bound(dev)) {
			ret = 1;
			goto out_unlock;
		}
		ret = device_bind_driver(dev);
		if (ret == 0) {
			ret = 1;
		} else {
			device_set_driver(dev, NULL);
			ret = 0;
		}
	} else {
		struct device_attach_data data = {
			.dev = dev,
			.check_async = allow_async,
			.want_async = false,
		};

		ret = bus_for_each_drv(dev->bus, NULL, &data, __device_attach_driver);
		if (!ret && allow_async && data.have_async) {
			/* Probe asynchronously in the second pass. */
			get_device(dev);
			async = true;
		}
	}
out_unlock:
	device_unlock(dev);
	/* b232b02bf3c2: schedule outside the lock (sync fallback takes it). */
	if (async)
		async_schedule_dev(__device_attach_async_helper, dev);
	return ret;
}

/*
 * bindrace: entry points check for a device that was never added (no
 * device_private), which the kernel would dereference; a WARN instead.
 */
static bool device_unusable(struct device *dev)
{
	return WARN(!dev || !dev->p, "%s on a device that was never added", __func__);
}

int device_attach(struct device *dev)
{
	if (device_unusable(dev))
		return -ENODEV;
	return __device_attach(dev, false);
}

void device_initial_probe(struct device *dev)
{
	__device_attach(dev, true);
}

int device_driver_attach(const struct device_driver *drv, struct device *dev)
{
	int ret;

	if (device_unusable(dev) || WARN_ON(!drv || !drv->p))
		return -ENODEV;
	__device_driver_lock(dev, dev->parent);
	ret = __driver_probe_device(drv, dev);
	__device_driver_unlock(dev, dev->parent);
	/* Manual binding: probe errors as plain negative errnos. */
	if (ret > 0)
		ret = -ret;
	if (ret == -EPROBE_DEFER)
		return -EAGAIN;
	return ret;
}

static void __driver_attach_async_helper(void *_dev, async_cookie_t cookie)
{
	struct device *dev = _dev;
	const struct device_driver *drv;

	__device_driver_lock(dev, dev->parent);
	drv = dev_async_driver(dev);
	dev_set_async_driver(dev, NULL);
	driver_probe_device(drv, dev);
	__device_driver_unlock(dev, dev->parent);
	put_device(dev);
}

static int __driver_attach(struct device *dev, void *data)
{
	const struct device_driver *drv = data;
	bool async = false;
	int ret;

	/* dc23806a7c47: match under the device lock (driver_override). */
	ret = driver_match_device_locked(drv, dev);
	if (ret == 0) {
		return 0;
	} else if (ret == -EPROBE_DEFER) {
		/*
		 * The kernel adds with no lock and no dead check (reference
		 * B23b): a device_del() between the match and the add leaves
		 * a deleted device on the pending list, which pins nothing
		 * (repro/deferred-add-after-del).  Add only a live device,
		 * under the lock device_del() kills it under.
		 */
		device_lock(dev);
		if (!dev_dead(dev)) {
			dev_set_can_match(dev, true);
			driver_deferred_probe_add(dev);
		}
		device_unlock(dev);
		return 0;
	} else if (ret < 0) {
		return 0;
	}

	if (driver_allows_async_probing(drv)) {
		/*
		 * Only one driver-initiated async attach may be pending per
		 * device; it is recorded under the device lock.
		 */
		device_lock(dev);
		if (!dev_driver(dev) && !dev_async_driver(dev)) {
			get_device(dev);
			dev_set_async_driver(dev, drv);
			async = true;
		}
		device_unlock(dev);
		/* 70fe758352ca: schedule outside the lock. */
		if (async)
			async_schedule_dev(__driver_attach_async_helper, dev);
		return 0;
	}

	__device_driver_lock(dev, dev->parent);
	driver_probe_device(drv, dev);
	__device_driver_unlock(dev, dev->parent);
	return 0;
}

int driver_attach(const struct device_driver *drv)
{
	return bus_for_each_dev(drv->bus, NULL, (void *)drv, __driver_attach);
}

static void __device_release_driver(struct device *dev, struct device *parent)
{
	struct device_driver *drv = dev_driver(dev);

	if (!drv)
		return;
	while (device_links_busy(dev)) {
		__device_driver_unlock(dev, parent);
		device_links_unbind_consumers(dev);
		__device_driver_lock(dev, parent);
		/* A concurrent release may have won while we waited. */
		if (dev_driver(dev) != drv)
			return;
	}
	driver_sysfs_remove(dev);
	device_remove(dev);
	device_unbind_cleanup(dev);
	device_links_driver_cleanup(dev);
	if (klist_node_attached(&dev->p->knode_driver))
		br_obj_dec(BR_OBJ_BOUND);
	klist_remove(&dev->p->knode_driver);
}

void device_release_driver_internal(struct device *dev,
				    const struct device_driver *drv,
				    struct device *parent)
{
	if (device_unusable(dev))
		return;
	__device_driver_lock(dev, parent);
	if (!drv || drv == dev_driver(dev))
		__device_release_driver(dev, parent);
	__device_driver_unlock(dev, parent);
}

void device_release_driver(struct device *dev)
{
	/* No parent lock: callers (device_del) already hold what they need. */
	device_release_driver_internal(dev, NULL, NULL);
}

void device_driver_detach(struct device *dev)
{
	device_release_driver_internal(dev, NULL, dev->parent);
}

void driver_detach(const struct device_driver *drv)
{
	struct device_private *dev_prv;
	struct device *dev;

	/* Flush async attaches that hold drv in async_driver (v5.1 move). */
	if (driver_allows_async_probing(drv))
		async_synchronize_full();

	for (;;) {
		spin_lock(&drv->p->klist_devices.k_lock);
		if (list_empty(&drv->p->klist_devices.k_list)) {
			spin_unlock(&drv->p->klist_devices.k_lock);
			break;
		}
		dev_prv = list_last_entry(&drv->p->klist_devices.k_list,
					  struct device_private, knode_driver.n_node);
		dev = dev_prv->device;
		get_device(dev);
		spin_unlock(&drv->p->klist_devices.k_lock);
		device_release_driver_internal(dev, drv, dev->parent);
		put_device(dev);
	}
}

/*
 * Probes that defer while another's trigger runs re-trigger each other
 * (58b116bce136's snapshot), and with async probes overlapping that need
 * not end: reference B10's known side effect.  Name it in a livelock's
 * title, so that it can be told from the livelocks that are bugs.
 */
#define DEFERRED_RETRIGGER_LOOP	100

static const char *deferred_probe_livelock_cause(void)
{
	if (__atomic_load_n(&deferred_retrigger_count, __ATOMIC_RELAXED) <
	    DEFERRED_RETRIGGER_LOOP)
		return NULL;
	return "deferred probe re-triggers itself";
}

void deferred_probe_init(void)
{
	INIT_WORK(&deferred_probe_work, deferred_probe_work_func);
	sched_set_livelock_cause(deferred_probe_livelock_cause);
}

void driver_deferred_probe_reset(void)
{
	INIT_LIST_HEAD(&deferred_probe_pending_list);
	INIT_LIST_HEAD(&deferred_probe_active_list);
	atomic_set(&deferred_trigger_count, 0);
	__atomic_store_n(&deferred_retrigger_count, 0, __ATOMIC_RELAXED);
	atomic_set(&probe_count, 0);
	init_waitqueue_head(&probe_waitqueue);
	mutex_init(&deferred_probe_mutex);
	defer_all_probes = false;
	debug_test_driver_remove = false;
	deferred_probe_init();
}
