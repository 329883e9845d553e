// SPDX-License-Identifier: MIT
/* The fuzz buses and drivers, and what their probe and remove callbacks do. */

#include <stdio.h>
#include <string.h>

#include <linux/async.h>
#include <linux/delay.h>
#include <linux/nd.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <bindrace/oracle.h>
#include "exec.h"
#include "world.h"

struct world world;

static int fuzz_match(struct device *dev, const struct device_driver *drv);

struct bus_type fuzz_buses[PROG_NR_BUSES] = {
	{ .name = "fbus", .match = fuzz_match },
	/* Like USB: probe and release also take the parent's lock. */
	{ .name = "fbus_locked", .match = fuzz_match, .need_parent_lock = true },
};

static struct fuzz_drv *to_fuzz_drv(const struct device_driver *drv)
{
	return container_of(drv, struct fuzz_drv, drv);
}

static const struct prog_behaviour *behaviour(const struct device_driver *drv)
{
	return &world.prog->beh[to_fuzz_drv(drv)->slot];
}

/* Slot of a device (a child created by a probe has its parent's slot). */
static int dev_slot(struct device *dev)
{
	return container_of(dev, struct fuzz_dev, dev)->slot;
}

static int fuzz_match(struct device *dev, const struct device_driver *drv)
{
	const struct prog_behaviour *b = behaviour(drv);
	int override = device_match_driver_override(dev, drv);
	bool by_name;

	if (override >= 0)
		return override;
	by_name = dev_slot(dev) % PROG_NR_DRVS == to_fuzz_drv(drv)->slot;
	switch (b->match) {
	case M_ALL:
		return 1;
	case M_DEFER:
		return by_name ? -EPROBE_DEFER : 0;
	case M_ERROR:
		return by_name ? -ENODEV : 0;
	default:
		return by_name;
	}
}

static void fuzz_async_fn(void *data, async_cookie_t cookie)
{
	msleep(1);
}

/*
 * Waits and driver unregistration asked for by a probe or remove run from
 * a work item: done from the callback itself (device lock held, counted
 * in probe_count, maybe an async entry) they wait for themselves, the B19
 * hazard that a well-behaved driver avoids.  The item owns nothing of the
 * device, so it may outlive it.
 */
struct deferred_action {
	struct work_struct work;
	int action;
	int arg;
};

static void deferred_action_fn(struct work_struct *work)
{
	struct deferred_action *da = container_of(work, struct deferred_action, work);

	switch (da->action) {
	case ACT_ASYNC_SYNC:
		async_synchronize_full();
		break;
	case ACT_WAIT_PROBE:
		wait_for_device_probe();
		break;
	case ACT_UNREG_DRV:
		world_unregister_driver(da->arg % PROG_NR_DRVS);
		break;
	}
	kfree(da);
	__atomic_fetch_sub(&world.actions_pending, 1, __ATOMIC_RELEASE);
}

static void defer_action(int action, int arg)
{
	struct deferred_action *da = kzalloc(sizeof(*da), GFP_KERNEL);

	if (!da)
		return;
	da->action = action;
	da->arg = arg;
	__atomic_fetch_add(&world.actions_pending, 1, __ATOMIC_RELAXED);
	INIT_WORK(&da->work, deferred_action_fn);
	queue_work(system_long_wq, &da->work);
}

static void fuzz_dev_release(struct device *dev)
{
	kfree(container_of(dev, struct fuzz_dev, dev));
}

struct fuzz_dev *fuzz_dev_alloc(int slot, const char *name, struct device *parent,
				       const struct bus_type *bus)
{
	struct fuzz_dev *fd = kzalloc(sizeof(*fd), GFP_KERNEL);

	if (!fd)
		return NULL;
	fd->slot = slot;
	fd->serial = __atomic_add_fetch(&world.next_serial, 1, __ATOMIC_RELAXED);
	device_initialize(&fd->dev);
	fd->dev.bus = bus;
	fd->dev.parent = parent;
	fd->dev.release = fuzz_dev_release;
	if (dev_set_name(&fd->dev, "%s", name)) {
		put_device(&fd->dev);
		return NULL;
	}
	return fd;
}

/* Devices a program added under a parent belong to their slots. */
static bool probe_made(struct device *child)
{
	return container_of(child, struct fuzz_dev, dev)->is_child;
}

/*
 * A child is unregistered the libnvdimm way (reference §4 B5): by its
 * parent's teardown (ND_SYNC, like nd_region_remove) or by userspace
 * through its own sysfs attribute (ND_ASYNC, op delete_child), whichever
 * claims its death first.
 */
static int child_unregister(struct device *child, void *data)
{
	if (probe_made(child))
		nd_device_unregister(child, ND_SYNC);
	return 0;
}

/* Called with the parent's lock held (probe or remove). */
static void unregister_child(struct device *dev)
{
	struct fuzz_dev *fd = container_of(dev, struct fuzz_dev, dev);

	if (!fd->has_child)
		return;
	fd->has_child = false;
	device_for_each_child(dev, NULL, child_unregister);
}

/* The child's delete store: it runs under the child's lock (kernfs pins it). */
static int delete_store(struct device *child, void *data)
{
	if (!probe_made(child))
		return 0;
	device_lock(child);
	nd_device_unregister(child, ND_ASYNC);
	device_unlock(child);
	return 1;
}

void world_delete_child(int slot)
{
	struct device *dev = world_find_device(slot);

	device_for_each_child(dev, NULL, delete_store);
	put_device(dev);
}

/*
 * The fuzz driver's add_link action, under the device-link contract: a
 * consumer links to a supplier whose resources it got (its probe
 * succeeded), never to itself or its own descendant (see exec.c); when the
 * supplier is not there, the consumer defers.
 */
static int probe_link(struct device *dev, struct device *other)
{
	struct device_link *link;

	if (!other || other == dev || world_is_ancestor(dev, other))
		return 0;
	if (!__atomic_load_n(&container_of(other, struct fuzz_dev, dev)->provides,
			     __ATOMIC_ACQUIRE))
		return -EPROBE_DEFER;
	link = device_link_add(dev, other, DL_FLAG_AUTOREMOVE_CONSUMER);
	if (link && READ_ONCE(link->status) != DL_STATE_CONSUMER_PROBE &&
	    READ_ONCE(link->status) != DL_STATE_ACTIVE)
		return -EPROBE_DEFER;
	return 0;
}

/*
 * Runs in probe (device lock held) or remove.  Returns what probe must
 * return instead of its scripted result (0: keep it).
 */
int world_run_action(struct device *dev, int action, int arg, bool in_probe, int result)
{
	struct fuzz_dev *fd = container_of(dev, struct fuzz_dev, dev);
	struct device *other;
	char name[32];
	int ret = 0;

	switch (action) {
	case ACT_SLEEP:
		msleep(arg % 20 + 1);
		break;
	case ACT_YIELD:
		for (int i = 0; i <= arg % 4; i++)
			cond_resched();
		break;
	case ACT_ASYNC_WORK:
		async_schedule(fuzz_async_fn, NULL);
		break;
	case ACT_CHILD:
		/*
		 * One level: a child matching its parent's driver would
		 * recurse.  And only from a probe that will succeed: a child
		 * that binds triggers deferred probing, and a probe that then
		 * defers again loops forever (reference §2.9).
		 */
		if (!in_probe || result || fd->has_child || fd->is_child)
			break;
		snprintf(name, sizeof(name), "%s.c", dev_name(dev));
		struct fuzz_dev *child = fuzz_dev_alloc(fd->slot, name, dev,
							&fuzz_buses[arg % PROG_NR_BUSES]);

		if (!child)
			break;
		child->is_child = true;
		if (device_add(&child->dev)) {
			put_device(&child->dev);
			break;
		}
		/* Its reference goes to whoever unregisters it. */
		fd->has_child = true;
		break;
	case ACT_LINK:
		if (!in_probe)
			break;
		other = world_find_device(arg % PROG_NR_DEVS);
		ret = probe_link(dev, other);
		put_device(other);
		break;
	case ACT_ASYNC_SYNC:
	case ACT_WAIT_PROBE:
		defer_action(action, arg);
		break;
	case ACT_UNREG_DEV:
		/* The legitimate case: a driver removes the child it created. */
		unregister_child(dev);
		break;
	case ACT_UNREG_DRV:
		if (arg % PROG_NR_DRVS != to_fuzz_drv(dev->driver)->slot)
			defer_action(action, arg);
		break;
	default:
		break;
	}
	return ret;
}

static int fuzz_probe(struct device *dev)
{
	struct fuzz_dev *fd = container_of(dev, struct fuzz_dev, dev);
	struct fuzz_drv *fdrv = to_fuzz_drv(dev->driver);
	const struct prog_behaviour *b = behaviour(dev->driver);
	int n = __atomic_fetch_add(&fdrv->probes, 1, __ATOMIC_RELAXED);
	int ret = prog_result_values[n < PROG_NR_RESULT_SEQ ? b->results[n] : RES_OK];

	exec_event("probe", dev_name(dev), true);
	/*
	 * Like any driver, set its private data first.  The core clears it
	 * after unbind or a failed probe, so a probe never finds any there
	 * (reference V4: a pending driver kept in driver_data breaks that).
	 */
	WARN(dev_get_drvdata(dev), "probe of %s found stale driver data", dev_name(dev));
	dev_set_drvdata(dev, &fd->priv);
	ret = world_run_action(dev, b->probe_action, b->action_arg, true, ret) ?: ret;
	/* A well-behaved driver undoes what a failed probe created. */
	if (ret)
		unregister_child(dev);
	else
		__atomic_store_n(&container_of(dev, struct fuzz_dev, dev)->provides, 1,
				 __ATOMIC_RELEASE);
	exec_event("probe", dev_name(dev), false);
	return ret;
}

static int fuzz_remove(struct device *dev)
{
	const struct prog_behaviour *b = behaviour(dev->driver);

	exec_event("remove", dev_name(dev), true);
	WARN(dev_get_drvdata(dev) != &container_of(dev, struct fuzz_dev, dev)->priv,
	     "remove of %s found foreign driver data", dev_name(dev));
	device_links_check_consumers_unbound(dev);
	__atomic_store_n(&container_of(dev, struct fuzz_dev, dev)->provides, 0, __ATOMIC_RELEASE);
	world_run_action(dev, b->remove_action, b->action_arg, false, 0);
	unregister_child(dev);
	exec_event("remove", dev_name(dev), false);
	return 0;
}

bool world_is_ancestor(struct device *anc, struct device *dev)
{
	for (dev = dev->parent; dev; dev = dev->parent)
		if (dev == anc)
			return true;
	return false;
}

struct device *world_find_device(int slot)
{
	for (int b = 0; b < PROG_NR_BUSES; b++) {
		struct device *dev = bus_find_device_by_name(&fuzz_buses[b], NULL,
							     world.devs[slot].name);

		if (dev)
			return dev;
	}
	return NULL;
}

void world_unregister_driver(int slot)
{
	struct fuzz_drv *fdrv = &world.drvs[slot];
	int live = SLOT_LIVE;

	if (!__atomic_compare_exchange_n(&fdrv->state, &live, SLOT_BUSY, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return;
	/* kernfs drain: no bind/unbind write runs on the files any more. */
	wait_event(fdrv->files_drain, atomic_read(&fdrv->files_active) == 0);
	driver_unregister(&fdrv->drv);
	__atomic_store_n(&fdrv->state, SLOT_FREE, __ATOMIC_RELEASE);
}

void world_setup(const struct prog *p)
{
	memset(&world, 0, sizeof(world));
	world.prog = p;
	for (int i = 0; i < PROG_NR_DEVS; i++)
		snprintf(world.devs[i].name, sizeof(world.devs[i].name), "dev%d", i);
	for (int i = 0; i < PROG_NR_DRVS; i++) {
		struct fuzz_drv *fdrv = &world.drvs[i];
		const struct prog_behaviour *b = &p->beh[i];

		fdrv->slot = i;
		snprintf(fdrv->name, sizeof(fdrv->name), "drv%d", i);
		fdrv->drv.name = fdrv->name;
		fdrv->drv.probe = fuzz_probe;
		fdrv->drv.remove = fuzz_remove;
		fdrv->drv.probe_type = b->probe_type == PT_ASYNC ? PROBE_PREFER_ASYNCHRONOUS :
				       b->probe_type == PT_SYNC ? PROBE_FORCE_SYNCHRONOUS :
				       PROBE_DEFAULT_STRATEGY;
		init_waitqueue_head(&fdrv->files_drain);
	}
}

/* Inside the run, after the program: take everything down. */
void world_teardown(void)
{
	/*
	 * A deferred action may be unregistering a driver that the loop then
	 * finds busy and skips: wait for the actions, and for any that the
	 * removals here queue, before the oracle counts what is left.
	 */
	do {
		for (int i = 0; i < PROG_NR_DRVS; i++)
			world_unregister_driver(i);
		flush_workqueue(system_long_wq);
	} while (__atomic_load_n(&world.actions_pending, __ATOMIC_ACQUIRE));
	for (int i = PROG_NR_DEVS - 1; i >= 0; i--) {
		struct dev_slot *s = &world.devs[i];

		if (s->state == SLOT_LIVE) {
			device_unregister(s->dev);
			s->state = SLOT_FREE;
		}
	}
	for (int i = 0; i < world.nr_zombies; i++)
		put_device(world.zombies[i]);
	world.nr_zombies = 0;
	for (int t = 0; t < PROG_MAX_TASKS; t++) {
		while (world.nr_refs[t])
			put_device(world.refs[t][--world.nr_refs[t]]);
	}
	memset(world.stateless, 0, sizeof(world.stateless));
}

/* An entry: consumer serial (24 bits), supplier serial (24), count (16). */
#define LEDGER_SERIAL_MASK	0xffffffull
#define LEDGER_COUNT_MASK	0xffffull

static uint64_t ledger_key(struct device *con, struct device *sup)
{
	uint64_t c = container_of(con, struct fuzz_dev, dev)->serial & LEDGER_SERIAL_MASK;
	uint64_t s = container_of(sup, struct fuzz_dev, dev)->serial & LEDGER_SERIAL_MASK;

	return c << 40 | s << 16;
}

static uint64_t *ledger_entry(struct device *con, struct device *sup)
{
	return &world.stateless[container_of(con, struct fuzz_dev, dev)->slot]
			       [container_of(sup, struct fuzz_dev, dev)->slot];
}

void world_link_made(struct device *con, struct device *sup)
{
	uint64_t *e = ledger_entry(con, sup), key = ledger_key(con, sup);
	uint64_t old = __atomic_load_n(e, __ATOMIC_RELAXED), new;

	do {
		/* An entry for other devices is stale: start a new count. */
		new = (old & ~LEDGER_COUNT_MASK) == key ? old + 1 : key + 1;
	} while (!__atomic_compare_exchange_n(e, &old, new, false, __ATOMIC_RELAXED,
					      __ATOMIC_RELAXED));
}

bool world_link_claim(struct device *con, struct device *sup)
{
	uint64_t *e = ledger_entry(con, sup), key = ledger_key(con, sup);
	uint64_t old = __atomic_load_n(e, __ATOMIC_RELAXED);

	do {
		if ((old & ~LEDGER_COUNT_MASK) != key || !(old & LEDGER_COUNT_MASK))
			return false;
	} while (!__atomic_compare_exchange_n(e, &old, old - 1, false, __ATOMIC_RELAXED,
					      __ATOMIC_RELAXED));
	return true;
}
