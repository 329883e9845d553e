// SPDX-License-Identifier: MIT
/*
 * drivers/base/core.c: device lifetime (initialize, add, del, release),
 * reference counting, devres, the lockless uevent reader.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <linux/device.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include "base.h"

struct devres_node {
	struct list_head entry;
	void (*action)(void *);
	void *data;
};

DEFINE_MUTEX(dpm_list_mtx);
static LIST_HEAD(dpm_list);

static struct device *kobj_to_dev(struct kobject *kobj)
{
	return container_of(kobj, struct device, kobj);
}

/* Runs on the final put_device() (kobject release). */
static void device_release(struct kobject *kobj)
{
	struct device *dev = kobj_to_dev(kobj);
	struct device_private *p = dev->p;
	struct device *parent = p && p->parent_ref ? dev->parent : NULL;

	/* Release callbacks may sleep: the final put needs process context. */
	might_sleep();

	devres_release_all(dev);
	/*
	 * Reference §6.4: a device on a deferred list holds no reference.
	 * Unlocked: the final put may run under deferred_probe_mutex
	 * (deferred_probe_work_func()), and only a listed node has writers.
	 */
	if (p && !list_empty(&p->deferred_probe)) {
		bindrace_report(REPORT_INVARIANT, "device freed while on a deferred probe list",
				"device %s\n", dev_name(dev));
		list_del_init(&p->deferred_probe);
	}
	kfree(dev->driver_override);
	dev->driver_override = NULL;
	lockdep_unregister_key(&dev->mutex_key);
	br_obj_dec(BR_OBJ_DEVICE);
	if (dev->release)
		dev->release(dev);
	else
		WARN(1, "Device '%s' does not have a release() function", kobject_name(kobj) ?: "?");
	if (p) {
		kfree(p->deferred_probe_reason);
		kfree(p);
		br_obj_dec(BR_OBJ_DEVICE_PRIVATE);
	}
	put_device(parent);
}

static const struct kobj_type device_ktype = {
	.release = device_release,
};

int dev_set_name(struct device *dev, const char *fmt, ...)
{
	va_list ap;
	int err;

	va_start(ap, fmt);
	err = kobject_set_name_vargs(&dev->kobj, fmt, ap);
	va_end(ap);
	return err;
}

void device_initialize(struct device *dev)
{
	kobject_init(&dev->kobj, &device_ktype);
	lockdep_register_key(&dev->mutex_key, "&dev->mutex");
	__mutex_init(&dev->mutex, "&dev->mutex", &dev->mutex_key);
	INIT_LIST_HEAD(&dev->devres_head);
	INIT_LIST_HEAD(&dev->links.consumers);
	INIT_LIST_HEAD(&dev->links.suppliers);
	INIT_LIST_HEAD(&dev->links.defer_sync);
	dev->links.status = DL_DEV_NO_DRIVER;
	INIT_LIST_HEAD(&dev->power.entry);
	dev->power.in_dpm_list = false;
	dev->numa_node = -1;
	br_obj_inc(BR_OBJ_DEVICE);
}

static void klist_children_get(struct klist_node *n)
{
	struct device_private *p = to_device_private_parent(n);

	get_device(p->device);
}

static void klist_children_put(struct klist_node *n)
{
	struct device_private *p = to_device_private_parent(n);

	put_device(p->device);
}

int device_private_init(struct device *dev)
{
	dev->p = kzalloc(sizeof(*dev->p), GFP_KERNEL);
	if (!dev->p)
		return -ENOMEM;
	br_obj_inc(BR_OBJ_DEVICE_PRIVATE);
	dev->p->device = dev;
	klist_init(&dev->p->klist_children, klist_children_get, klist_children_put);
	INIT_LIST_HEAD(&dev->p->deferred_probe);
	return 0;
}

void device_pm_add(struct device *dev)
{
	if (dev->power.no_pm)
		return;
	mutex_lock(&dpm_list_mtx);
	list_add_tail(&dev->power.entry, &dpm_list);
	dev->power.in_dpm_list = true;
	mutex_unlock(&dpm_list_mtx);
}

/* Between runs: a cancelled run may leave freed devices on the list. */
void device_pm_reset(void)
{
	INIT_LIST_HEAD(&dpm_list);
	mutex_init(&dpm_list_mtx);
}

void device_pm_remove(struct device *dev)
{
	mutex_lock(&dpm_list_mtx);
	if (dev->power.in_dpm_list)
		list_del_init(&dev->power.entry);
	dev->power.in_dpm_list = false;
	mutex_unlock(&dpm_list_mtx);
}

int device_add(struct device *dev)
{
	struct device *parent = NULL;
	int error = -EINVAL;

	dev = get_device(dev);
	if (!dev)
		goto done;
	if (WARN(!dev->kobj.state_initialized, "device_add before device_initialize"))
		goto done;
	if (!dev->p) {
		error = device_private_init(dev);
		if (error)
			goto done;
	}
	if (dev->init_name) {
		error = dev_set_name(dev, "%s", dev->init_name);
		dev->init_name = NULL;
	}
	if (!kobject_name(&dev->kobj) || !kobject_name(&dev->kobj)[0]) {
		error = error ?: -EINVAL;
		goto name_error;
	}
	if (error)
		goto name_error;

	parent = get_device(dev->parent);
	error = kobject_add(&dev->kobj, parent ? &parent->kobj : NULL);
	if (error)
		goto Error;
	lockdep_set_key_name(&dev->mutex_key, dev_name(dev));
	if (parent)
		lockdep_set_parent_key(&dev->mutex_key, &parent->mutex_key);

	error = bus_add_device(dev);
	if (error)
		goto BusError;
	device_pm_add(dev);

	/* The 2026 fix (B16): only now may a driver probe the device. */
	dev_set_ready_to_probe(dev, true);
	bus_probe_device(dev);

	if (parent)
		klist_add_tail(&dev->p->knode_parent, &parent->p->klist_children);
	error = 0;
	goto done;

BusError:
	kobject_del(&dev->kobj);
Error:
	put_device(parent);
name_error:
	kfree(dev->p);
	dev->p = NULL;
	br_obj_dec(BR_OBJ_DEVICE_PRIVATE);
done:
	put_device(dev);
	return error;
}

int device_register(struct device *dev)
{
	device_initialize(dev);
	return device_add(dev);
}

struct device *get_device(struct device *dev)
{
	return dev ? kobj_to_dev(kobject_get(&dev->kobj)) : NULL;
}

void put_device(struct device *dev)
{
	if (dev)
		kobject_put(&dev->kobj);
}

unsigned int device_refcount(struct device *dev)
{
	return kref_read(&dev->kobj.kref);
}

/*
 * Claim the death of a device; only the first caller gets true.  Must be
 * called with the device lock held (00289cd87676).
 */
bool kill_device(struct device *dev)
{
	device_lock_assert(dev);
	if (dev_dead(dev))
		return false;
	sched_point(SP_DEAD, dev);
	dev->p->dead = true;
	return true;
}

void device_del(struct device *dev)
{
	struct device *parent;
	bool again;

	if (WARN(!dev || !dev->p, "device_del of a device that was never added"))
		return;
	parent = dev->parent;

	device_lock(dev);
	/* A subsystem may have claimed death already (nd_device_unregister). */
	kill_device(dev);
	again = dev->p->deleted;
	dev->p->deleted = true;
	device_unlock(dev);
	/*
	 * bindrace: the kernel trusts its callers here; a second device_del
	 * would tear down freed state.  Refuse it loudly instead.
	 */
	if (WARN(again, "device_del(%s) of a dead device", dev_name(dev)))
		return;

	if (parent)
		klist_del(&dev->p->knode_parent);
	bus_remove_device(dev);
	device_pm_remove(dev);
	/*
	 * bindrace: mainline takes the device off the deferred lists before
	 * purging its links, and until the purge a supplier binding under
	 * the links lock puts an AUTOPROBE_CONSUMER back on the pending list
	 * (device_links_driver_bound()), which pins nothing: the device is
	 * freed while listed (repro/links-bound-requeues-deleted-consumer).
	 * Purge first, and device_link_add() refuses a purged consumer: then
	 * nothing can list it again (driver_deferred_probe_add() checks).
	 */
	device_links_purge(dev);
	driver_deferred_probe_close(dev);
	devres_release_all(dev);
	kobject_del(&dev->kobj);
	/*
	 * The kernel drops the parent here, and kobject_del() just dropped
	 * the other reference: a deleted device then pins nothing while
	 * paths holding only the device still lock dev->parent
	 * (__driver_attach, its async helper, driver_detach).  The model
	 * keeps device_add()'s reference until the device is released
	 * (repro/parent-freed-before-child).
	 */
	dev->p->parent_ref = parent != NULL;
}

void device_unregister(struct device *dev)
{
	device_del(dev);
	put_device(dev);
}

/* Each child is pinned by the klist iterator while @fn runs. */
int device_for_each_child(struct device *parent, void *data,
			  int (*fn)(struct device *dev, void *data))
{
	struct klist_iter i;
	struct klist_node *n;
	int error = 0;

	if (!parent || !parent->p)
		return 0;
	klist_iter_init(&parent->p->klist_children, &i);
	while (!error && (n = klist_next(&i)))
		error = fn(to_device_private_parent(n)->device, data);
	klist_iter_exit(&i);
	return error;
}

/*
 * The uevent DRIVER= line.  Lockless on dev->driver (READ_ONCE), holding
 * the bus's klist_drivers lock so the driver cannot go away (18daa52418e7).
 */
int dev_uevent(struct device *dev, char *buf, size_t len)
{
	const struct device_driver *drv;
	struct subsys_private *sp;

	buf[0] = 0;
	if (!dev->bus)
		return 0;
	sp = bus_to_subsys(dev->bus);
	if (!sp)
		return 0;
	spin_lock(&sp->klist_drivers.k_lock);
	sched_point(SP_DEV_DRIVER, dev);
	drv = READ_ONCE(dev->driver);
	if (drv)
		snprintf(buf, len, "DRIVER=%s", drv->name);
	spin_unlock(&sp->klist_drivers.k_lock);
	subsys_put(sp);
	return 0;
}

int devm_add_action(struct device *dev, void (*action)(void *), void *data)
{
	struct devres_node *node = kzalloc(sizeof(*node), GFP_KERNEL);

	if (!node)
		return -ENOMEM;
	node->action = action;
	node->data = data;
	list_add_tail(&node->entry, &dev->devres_head);
	return 0;
}

/* Run devm actions newest first.  Callers hold the device lock or own dev. */
void devres_release_all(struct device *dev)
{
	while (!list_empty(&dev->devres_head)) {
		struct devres_node *node = list_last_entry(&dev->devres_head,
							   struct devres_node, entry);

		list_del(&node->entry);
		node->action(node->data);
		kfree(node);
	}
}
