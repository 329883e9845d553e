// SPDX-License-Identifier: MIT
/*
 * Device links (the link half of drivers/base/core.c): creation, the
 * managed-link state machine driven by probe and unbind, sync_state, and
 * release through device_link_wq after a modelled SRCU grace period.
 */

#include <stdio.h>

#include <linux/delay.h>
#include <linux/device.h>
#include <linux/slab.h>
#include <bindrace/oracle.h>
#include "base.h"

#define DL_MANAGED_LINK_FLAGS (DL_FLAG_AUTOREMOVE_CONSUMER | \
			       DL_FLAG_AUTOREMOVE_SUPPLIER | \
			       DL_FLAG_AUTOPROBE_CONSUMER | \
			       DL_FLAG_SYNC_STATE_ONLY | \
			       DL_FLAG_INFERRED | \
			       DL_FLAG_CYCLE)
#define DL_ADD_VALID_FLAGS (DL_MANAGED_LINK_FLAGS | DL_FLAG_STATELESS | \
			    DL_FLAG_PM_RUNTIME | DL_FLAG_RPM_ACTIVE)

static DEFINE_MUTEX(device_links_lock);
struct workqueue_struct *device_link_wq;

/* The SRCU grace period before a removed link's references go. */
#define DEVICE_LINK_GRACE_MS	1

void device_links_write_lock(void)
{
	mutex_lock(&device_links_lock);
}

void device_links_write_unlock(void)
{
	mutex_unlock(&device_links_lock);
}

static void device_link_release_fn(struct work_struct *work)
{
	struct device_link *link = container_of(work, struct device_link, rm_work);

	/* synchronize_srcu(&device_links_srcu): readers finish first. */
	msleep(DEVICE_LINK_GRACE_MS);
	put_device(link->consumer);
	put_device(link->supplier);
	kfree(link);
	br_obj_dec(BR_OBJ_DEVICE_LINK);
}

static void devlink_dev_release(struct device *dev)
{
	struct device_link *link = container_of(dev, struct device_link, link_dev);

	INIT_WORK(&link->rm_work, device_link_release_fn);
	/* The final puts may sleep: a worker does them, never this context. */
	queue_work(device_link_wq, &link->rm_work);
}

static void __device_link_del(struct kref *kref)
{
	struct device_link *link = container_of(kref, struct device_link, kref);

	list_del(&link->s_node);
	list_del(&link->c_node);
	device_unregister(&link->link_dev);
}

static void device_link_put_kref(struct device_link *link)
{
	if (link->flags & DL_FLAG_STATELESS)
		kref_put(&link->kref, __device_link_del);
	else if (!device_is_registered(link->consumer))
		kref_put(&link->kref, __device_link_del);
	else
		WARN(1, "Unable to drop a managed device link reference\n");
}

static void device_link_drop_managed(struct device_link *link)
{
	link->flags &= ~DL_FLAG_MANAGED;
	WRITE_ONCE(link->status, DL_STATE_NONE);
	kref_put(&link->kref, __device_link_del);
}

/* The flags that mark how a link was made, not what it orders. */
#define DL_MARKER_FLAGS		(DL_FLAG_INFERRED | \
				 DL_FLAG_CYCLE | \
				 DL_FLAG_MANAGED)

/* fw_devlink's links that only hold sync_state() back: no dependency. */
static inline bool device_link_flag_is_sync_state_only(u32 flags)
{
	return (flags & ~DL_MARKER_FLAGS) == DL_FLAG_SYNC_STATE_ONLY;
}

/*
 * Is @dev @target itself, or above it through ->parent and supplier links?
 * Both are complete for a device still inside device_add(): past
 * device_pm_add() it can be linked, but it is not yet on its parent's
 * klist_children, so the walk down from @dev misses it and everything
 * below it.  Mainline walks up ->parent only (device_is_ancestor()), which
 * misses such a child in the middle of the path: parent -> child (still
 * adding) -> the child's consumer (repro/device-is-dependent-unlisted-child).
 * bindrace: the depth bound stops a walk inside a cycle that an earlier,
 * suppressed no-cycle report (below) let stay; no chain of the model's
 * devices is that deep.
 */
#define DL_UPSTREAM_MAX_DEPTH	64

static bool __device_is_upstream(struct device *dev, struct device *target, int depth)
{
	struct device_link *link;

	for (; target; target = target->parent) {
		if (target == dev || depth >= DL_UPSTREAM_MAX_DEPTH)
			return true;
		list_for_each_entry(link, &target->links.suppliers, c_node) {
			if (device_link_flag_is_sync_state_only(link->flags))
				continue;
			if (__device_is_upstream(dev, link->supplier, depth + 1))
				return true;
		}
	}
	return false;
}

static bool device_is_upstream(struct device *dev, struct device *target)
{
	return __device_is_upstream(dev, target, 0);
}

static bool device_is_dependent(struct device *dev, void *target)
{
	struct device_link *link;
	struct klist_iter i;
	struct klist_node *n;
	bool ret = false;

	if (device_is_upstream(dev, target))
		return true;
	if (dev->p) {
		klist_iter_init(&dev->p->klist_children, &i);
		while (!ret && (n = klist_next(&i)))
			ret = device_is_dependent(to_device_private_parent(n)->device, target);
		klist_iter_exit(&i);
		if (ret)
			return true;
	}
	list_for_each_entry(link, &dev->links.consumers, s_node) {
		if (device_link_flag_is_sync_state_only(link->flags))
			continue;
		if (link->consumer == target || device_is_dependent(link->consumer, target))
			return true;
	}
	return false;
}

/*
 * bindrace oracle (one more than reference §6 lists): ->parent and the
 * links that are not sync-state-only form no cycle.  device_is_dependent()
 * is there to refuse every link that would close one, and mainline's walks
 * of this graph (device_is_dependent(), device_reorder_to_tail()) recurse
 * with no visited set: a cycle that slips through shows only when a later
 * walk happens to enter it and runs out of stack
 * (repro/device-is-dependent-*).  The graph had no cycle before @link, so
 * a new one runs through it: is its consumer above its supplier?  A
 * bug.patch changes the refusal (the call in device_is_dependent()), not
 * this check.
 */
static void device_link_check_acyclic(struct device_link *link)
{
	if (device_link_flag_is_sync_state_only(link->flags) ||
	    !device_is_upstream(link->consumer, link->supplier))
		return;
	bindrace_report(REPORT_INVARIANT, "device link closes a dependency cycle",
			"link %s -> %s: the consumer is already above the supplier through ->parent or supplier links\n",
			dev_name(link->supplier), dev_name(link->consumer));
}

static void device_link_init_status(struct device_link *link,
				    struct device *consumer, struct device *supplier)
{
	switch (supplier->links.status) {
	case DL_DEV_PROBING:
		link->status = consumer->links.status == DL_DEV_PROBING ?
			       DL_STATE_CONSUMER_PROBE : DL_STATE_DORMANT;
		break;
	case DL_DEV_DRIVER_BOUND:
		switch (consumer->links.status) {
		case DL_DEV_PROBING:
			link->status = DL_STATE_CONSUMER_PROBE;
			break;
		case DL_DEV_DRIVER_BOUND:
			link->status = DL_STATE_ACTIVE;
			break;
		default:
			link->status = DL_STATE_AVAILABLE;
			break;
		}
		break;
	case DL_DEV_UNBINDING:
		link->status = DL_STATE_SUPPLIER_UNBIND;
		break;
	default:
		link->status = DL_STATE_DORMANT;
		break;
	}
}

struct device_link *device_link_add(struct device *consumer, struct device *supplier,
				    u32 flags)
{
	struct device_link *link;

	if (!consumer || !supplier || consumer == supplier ||
	    flags & ~DL_ADD_VALID_FLAGS ||
	    (flags & DL_FLAG_STATELESS && flags & DL_MANAGED_LINK_FLAGS) ||
	    (flags & DL_FLAG_AUTOPROBE_CONSUMER &&
	     flags & (DL_FLAG_AUTOREMOVE_CONSUMER | DL_FLAG_AUTOREMOVE_SUPPLIER)))
		return NULL;
	if (!(flags & DL_FLAG_STATELESS))
		flags |= DL_FLAG_MANAGED;

	device_links_write_lock();
	mutex_lock(&dpm_list_mtx);
	/*
	 * The supplier must be past device_pm_add; no cycles.  bindrace: and
	 * the consumer not past device_links_purge().  Mainline accepts it (a
	 * consumer need not be registered), so a caller that looked the
	 * consumer up before its device_del() leaves a link nothing purges,
	 * and an AUTOPROBE_CONSUMER one lists the deleted device when the
	 * supplier binds (repro/link-added-to-purged-consumer).
	 */
	if (!supplier->power.in_dpm_list || consumer->links.purged ||
	    device_is_dependent(consumer, supplier)) {
		link = NULL;
		goto out;
	}
	list_for_each_entry(link, &supplier->links.consumers, s_node) {
		if (link->consumer != consumer)
			continue;
		if (flags & DL_FLAG_STATELESS) {
			kref_get(&link->kref);
			link->flags |= DL_FLAG_STATELESS;
			goto out;
		}
		/*
		 * Mainline: a stateless link made managed takes one reference
		 * for the managed side, which device_link_drop_managed() puts;
		 * a managed link asked for again takes none.  Without that
		 * reference the drop freed a link its stateless creator still
		 * held (repro/link-managed-merge-without-ref).
		 */
		if (!(link->flags & DL_FLAG_MANAGED)) {
			kref_get(&link->kref);
			link->flags |= DL_FLAG_MANAGED;
			device_link_init_status(link, consumer, supplier);
		}
		link->flags |= flags & (DL_FLAG_AUTOREMOVE_CONSUMER |
					DL_FLAG_AUTOREMOVE_SUPPLIER |
					DL_FLAG_AUTOPROBE_CONSUMER);
		goto out;
	}

	link = kzalloc(sizeof(*link), GFP_KERNEL);
	if (!link)
		goto out;
	br_obj_inc(BR_OBJ_DEVICE_LINK);
	refcount_set(&link->rpm_active, 1);
	get_device(supplier);
	link->supplier = supplier;
	INIT_LIST_HEAD(&link->s_node);
	get_device(consumer);
	link->consumer = consumer;
	INIT_LIST_HEAD(&link->c_node);
	link->flags = flags;
	kref_init(&link->kref);

	device_initialize(&link->link_dev);
	link->link_dev.release = devlink_dev_release;
	link->link_dev.power.no_pm = true;
	/* e020ff611ba9: bus-qualified names cannot collide across buses. */
	if (dev_set_name(&link->link_dev, "%s:%s--%s:%s",
			 supplier->bus ? supplier->bus->name : "", dev_name(supplier),
			 consumer->bus ? consumer->bus->name : "", dev_name(consumer)) ||
	    device_add(&link->link_dev)) {
		put_device(&link->link_dev);
		link = NULL;
		goto out;
	}
	if (flags & DL_FLAG_MANAGED)
		device_link_init_status(link, consumer, supplier);
	else
		link->status = DL_STATE_NONE;
	list_add_tail(&link->s_node, &supplier->links.consumers);
	list_add_tail(&link->c_node, &consumer->links.suppliers);
	device_link_check_acyclic(link);
out:
	mutex_unlock(&dpm_list_mtx);
	device_links_write_unlock();
	return link;
}

void device_link_del(struct device_link *link)
{
	device_links_write_lock();
	device_link_put_kref(link);
	device_links_write_unlock();
}

void device_link_remove(void *consumer, struct device *supplier)
{
	struct device_link *link;

	if (WARN_ON(consumer == supplier))
		return;
	device_links_write_lock();
	list_for_each_entry(link, &supplier->links.consumers, s_node) {
		if (link->consumer == consumer) {
			device_link_put_kref(link);
			break;
		}
	}
	device_links_write_unlock();
}

void device_link_wait_removal(void)
{
	/* Every reference held by a removed link is gone after this. */
	flush_workqueue(device_link_wq);
}

static void device_links_missing_supplier(struct device *dev)
{
	struct device_link *link;

	list_for_each_entry(link, &dev->links.suppliers, c_node) {
		if (link->status != DL_STATE_CONSUMER_PROBE)
			continue;
		if (link->supplier->links.status == DL_DEV_DRIVER_BOUND)
			WRITE_ONCE(link->status, DL_STATE_AVAILABLE);
		else
			WRITE_ONCE(link->status, DL_STATE_DORMANT);
	}
}

int device_links_check_suppliers(struct device *dev)
{
	struct device_link *link;
	int ret = 0;

	device_links_write_lock();
	list_for_each_entry(link, &dev->links.suppliers, c_node) {
		if (!(link->flags & DL_FLAG_MANAGED))
			continue;
		if (link->status != DL_STATE_AVAILABLE &&
		    !(link->flags & DL_FLAG_SYNC_STATE_ONLY)) {
			device_links_missing_supplier(dev);
			ret = -EPROBE_DEFER;
			goto out;
		}
		WRITE_ONCE(link->status, DL_STATE_CONSUMER_PROBE);
	}
	dev->links.status = DL_DEV_PROBING;
out:
	device_links_write_unlock();
	return ret;
}

void device_links_force_bind(struct device *dev)
{
	struct device_link *link, *ln;

	device_links_write_lock();
	list_for_each_entry_safe(link, ln, &dev->links.suppliers, c_node) {
		if (!(link->flags & DL_FLAG_MANAGED))
			continue;
		if (link->status != DL_STATE_AVAILABLE) {
			device_link_drop_managed(link);
			continue;
		}
		WRITE_ONCE(link->status, DL_STATE_CONSUMER_PROBE);
	}
	dev->links.status = DL_DEV_PROBING;
	device_links_write_unlock();
}

static bool dev_has_sync_state(struct device *dev)
{
	return dev->driver && dev->driver->sync_state;
}

/* Links lock held: queue @dev's sync_state once all its consumers are active. */
static void __device_links_queue_sync_state(struct device *dev, struct list_head *list)
{
	struct device_link *link;

	if (!dev_has_sync_state(dev))
		return;
	if (dev_state_synced(dev) || !list_empty(&dev->links.defer_sync))
		return;
	list_for_each_entry(link, &dev->links.consumers, s_node) {
		if (!(link->flags & DL_FLAG_MANAGED))
			continue;
		if (link->status != DL_STATE_ACTIVE)
			return;
	}
	/* Written under the links lock, not the device lock (reference §3a). */
	dev_set_state_synced(dev, true);
	get_device(dev);
	list_add_tail(&dev->links.defer_sync, list);
}

static void device_links_flush_sync_list(struct list_head *list, struct device *dont_lock_dev)
{
	struct device *dev, *tmp;

	list_for_each_entry_safe(dev, tmp, list, links.defer_sync) {
		list_del_init(&dev->links.defer_sync);
		if (dev != dont_lock_dev)
			device_lock(dev);
		if (dev_has_sync_state(dev))
			dev->driver->sync_state(dev);
		if (dev != dont_lock_dev)
			device_unlock(dev);
		put_device(dev);
	}
}

void device_links_driver_bound(struct device *dev)
{
	struct device_link *link, *ln;
	LIST_HEAD(sync_list);

	device_links_write_lock();
	list_for_each_entry(link, &dev->links.consumers, s_node) {
		if (!(link->flags & DL_FLAG_MANAGED))
			continue;
		/* Added by a consumer probing meanwhile: may be ahead of us. */
		if (link->status == DL_STATE_CONSUMER_PROBE ||
		    link->status == DL_STATE_ACTIVE)
			continue;
		WARN_ON(link->status != DL_STATE_DORMANT);
		WRITE_ONCE(link->status, DL_STATE_AVAILABLE);
		if (link->flags & DL_FLAG_AUTOPROBE_CONSUMER)
			driver_deferred_probe_add(link->consumer);
	}
	list_for_each_entry_safe(link, ln, &dev->links.suppliers, c_node) {
		struct device *supplier;

		if (!(link->flags & DL_FLAG_MANAGED))
			continue;
		supplier = link->supplier;
		if (link->flags & DL_FLAG_SYNC_STATE_ONLY) {
			device_link_drop_managed(link);
		} else {
			WARN_ON(link->status != DL_STATE_CONSUMER_PROBE);
			WRITE_ONCE(link->status, DL_STATE_ACTIVE);
		}
		__device_links_queue_sync_state(supplier, &sync_list);
	}
	__device_links_queue_sync_state(dev, &sync_list);
	dev->links.status = DL_DEV_DRIVER_BOUND;
	device_links_write_unlock();
	device_links_flush_sync_list(&sync_list, dev);
}

static void __device_links_no_driver(struct device *dev)
{
	struct device_link *link, *ln;

	list_for_each_entry_safe(link, ln, &dev->links.suppliers, c_node) {
		if (!(link->flags & DL_FLAG_MANAGED))
			continue;
		if (link->flags & DL_FLAG_AUTOREMOVE_CONSUMER) {
			device_link_drop_managed(link);
			continue;
		}
		if (link->status != DL_STATE_CONSUMER_PROBE &&
		    link->status != DL_STATE_ACTIVE)
			continue;
		if (link->supplier->links.status == DL_DEV_DRIVER_BOUND) {
			WRITE_ONCE(link->status, DL_STATE_AVAILABLE);
		} else {
			WARN_ON(!(link->flags & DL_FLAG_SYNC_STATE_ONLY));
			WRITE_ONCE(link->status, DL_STATE_DORMANT);
		}
	}
	dev->links.status = DL_DEV_NO_DRIVER;
}

void device_links_no_driver(struct device *dev)
{
	struct device_link *link;

	device_links_write_lock();
	list_for_each_entry(link, &dev->links.consumers, s_node) {
		if (!(link->flags & DL_FLAG_MANAGED))
			continue;
		/* Added by a probing consumer while we probed: now dormant. */
		if (link->status == DL_STATE_CONSUMER_PROBE ||
		    link->status == DL_STATE_ACTIVE)
			WRITE_ONCE(link->status, DL_STATE_DORMANT);
	}
	__device_links_no_driver(dev);
	device_links_write_unlock();
}

void device_links_driver_cleanup(struct device *dev)
{
	struct device_link *link, *ln;

	device_links_write_lock();
	list_for_each_entry_safe(link, ln, &dev->links.consumers, s_node) {
		if (!(link->flags & DL_FLAG_MANAGED))
			continue;
		WARN_ON(link->flags & DL_FLAG_AUTOREMOVE_CONSUMER);
		WARN_ON(link->status != DL_STATE_SUPPLIER_UNBIND);
		/*
		 * Mainline writes DORMANT into a dropped link too: its release
		 * work may already be running, and the grace period it waits
		 * for does not wait for this writer (repro/links-cleanup-
		 * write-after-drop).
		 */
		if (link->status == DL_STATE_SUPPLIER_UNBIND &&
		    link->flags & DL_FLAG_AUTOREMOVE_SUPPLIER) {
			device_link_drop_managed(link);
			continue;
		}
		WRITE_ONCE(link->status, DL_STATE_DORMANT);
	}
	list_del_init(&dev->links.defer_sync);
	__device_links_no_driver(dev);
	device_links_write_unlock();
}

/*
 * A consumer whose link already says SUPPLIER_UNBIND but which is still
 * bound or probing: another release of the supplier's driver is unbinding
 * it with the supplier unlocked.  Mainline counts such a link as idle, so
 * a second release (unbind_store or device_del racing driver_detach) went
 * on to remove the supplier first: repro/links-second-unbind-skips-consumer.
 */
static bool device_link_consumer_unbinding(struct device_link *link)
{
	enum dl_dev_state st = link->consumer->links.status;

	return link->status == DL_STATE_SUPPLIER_UNBIND && st != DL_DEV_NO_DRIVER;
}

bool device_links_busy(struct device *dev)
{
	struct device_link *link;
	bool ret = false;

	device_links_write_lock();
	list_for_each_entry(link, &dev->links.consumers, s_node) {
		if (!(link->flags & DL_FLAG_MANAGED))
			continue;
		if (link->status == DL_STATE_CONSUMER_PROBE ||
		    link->status == DL_STATE_ACTIVE ||
		    device_link_consumer_unbinding(link)) {
			ret = true;
			break;
		}
		WRITE_ONCE(link->status, DL_STATE_SUPPLIER_UNBIND);
	}
	dev->links.status = DL_DEV_UNBINDING;
	device_links_write_unlock();
	return ret;
}

void device_links_unbind_consumers(struct device *dev)
{
	struct device_link *link;

start:
	device_links_write_lock();
	list_for_each_entry(link, &dev->links.consumers, s_node) {
		enum device_link_state status;
		bool unbind;

		if (!(link->flags & DL_FLAG_MANAGED) ||
		    link->flags & DL_FLAG_SYNC_STATE_ONLY)
			continue;
		status = link->status;
		if (status == DL_STATE_CONSUMER_PROBE) {
			device_links_write_unlock();
			wait_for_device_probe();
			goto start;
		}
		/*
		 * Another release of @dev's driver (driver_detach vs device_del
		 * or unbind_store) may have finished while this one ran a
		 * consumer's release unlocked: the links are DORMANT now, and a
		 * late SUPPLIER_UNBIND would outlive the unbind (a WARN in
		 * device_links_purge or the next device_links_driver_bound).
		 * Mainline lacks this check: repro/links-unbind-consumers-late-write.
		 */
		if (dev->links.status != DL_DEV_UNBINDING)
			break;
		/* A release already under way: this one waits on its lock. */
		unbind = status == DL_STATE_ACTIVE || device_link_consumer_unbinding(link);
		WRITE_ONCE(link->status, DL_STATE_SUPPLIER_UNBIND);
		if (unbind) {
			struct device *consumer = link->consumer;

			get_device(consumer);
			device_links_write_unlock();
			device_release_driver_internal(consumer, NULL, consumer->parent);
			put_device(consumer);
			goto start;
		}
	}
	device_links_write_unlock();
}

void device_links_check_consumers_unbound(struct device *dev)
{
	struct device_link *link;

	device_links_write_lock();
	list_for_each_entry(link, &dev->links.consumers, s_node) {
		enum dl_dev_state st = link->consumer->links.status;

		if (!(link->flags & DL_FLAG_MANAGED))
			continue;
		/*
		 * A consumer still probing is left to the kernel's own WARN in
		 * device_links_driver_cleanup(): its probe may have added the
		 * link while this supplier was already unbinding.
		 */
		if (st == DL_DEV_DRIVER_BOUND || st == DL_DEV_UNBINDING)
			bindrace_report(REPORT_INVARIANT, "supplier unbound before its consumer",
					"remove of %s while its consumer %s is still bound (link state %d)\n",
					dev_name(dev), dev_name(link->consumer), link->status);
	}
	device_links_write_unlock();
}

void device_links_purge(struct device *dev)
{
	struct device_link *link, *ln;

	if (dev->release == devlink_dev_release)
		return;
	device_links_write_lock();
	dev->links.purged = true;
	list_for_each_entry_safe(link, ln, &dev->links.suppliers, c_node) {
		WARN_ON(link->status == DL_STATE_ACTIVE);
		__device_link_del(&link->kref);
	}
	list_for_each_entry_safe(link, ln, &dev->links.consumers, s_node) {
		WARN_ON(link->status != DL_STATE_DORMANT && link->status != DL_STATE_NONE);
		__device_link_del(&link->kref);
	}
	device_links_write_unlock();
}

void device_links_init(void)
{
	/* Allocated at init: failing here must break the core, not links (seed 003). */
	if (!device_link_wq)
		device_link_wq = alloc_workqueue("device_link_wq", 0, 0);
	BUG_ON(!device_link_wq);
}

void device_links_reset(void)
{
	mutex_init(&device_links_lock);
}
