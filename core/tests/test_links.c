// SPDX-License-Identifier: MIT
/* Device links: probe gating, forced consumer unbind, release, sync_state. */

#include <string.h>

#include <linux/delay.h>
#include <linux/slab.h>
#include "../base/base.h"
#include "test.h"

static void body_supplier_first(void *arg)
{
	struct tdrv sup_drv, con_drv;
	struct device *sup, *con;
	struct device_link *link;

	tdrv_init(&sup_drv, "sup", PROBE_DEFAULT_STRATEGY);
	tdrv_init(&con_drv, "con", PROBE_DEFAULT_STRATEGY);
	sup = tdev_alloc("sup.0", NULL, NULL);
	con = tdev_alloc("con.0", NULL, NULL);
	CHECK_EQ(device_add(sup), 0);
	CHECK_EQ(device_add(con), 0);
	link = device_link_add(con, sup, DL_FLAG_AUTOREMOVE_SUPPLIER);
	CHECK(link != NULL);
	CHECK_EQ(link->status, DL_STATE_DORMANT);
	/* The consumer's driver comes first: it must wait for the supplier. */
	CHECK_EQ(driver_register(&con_drv.drv), 0);
	CHECK(!con->driver);
	CHECK_EQ(con_drv.probes, 0);
	CHECK(driver_deferred_probe_pending(con));
	CHECK_EQ(driver_register(&sup_drv.drv), 0);
	wait_for_device_probe();
	CHECK(sup->driver == &sup_drv.drv);
	CHECK(con->driver == &con_drv.drv);
	CHECK_EQ(order_len(), 2);
	CHECK(!strcmp(order_get(0), "sup.0"));
	CHECK(!strcmp(order_get(1), "con.0"));
	CHECK_EQ(link->status, DL_STATE_ACTIVE);
	CHECK_EQ(sup->links.status, DL_DEV_DRIVER_BOUND);

	device_unregister(con);
	device_unregister(sup);
	driver_unregister(&con_drv.drv);
	driver_unregister(&sup_drv.drv);
	device_link_wait_removal();
	CHECK_EQ(br_obj_live(BR_OBJ_DEVICE_LINK), 0);
}

BR_TEST(links_supplier_probes_before_consumer)
{
	CHECK_EQ(br_run(body_supplier_first, NULL), SCHED_OK);
}

static void body_unbind_supplier(void *arg)
{
	struct tdrv sup_drv, con_drv;
	struct device *sup, *con;
	struct device_link *link;

	tdrv_init(&sup_drv, "sup", PROBE_DEFAULT_STRATEGY);
	tdrv_init(&con_drv, "con", PROBE_DEFAULT_STRATEGY);
	CHECK_EQ(driver_register(&sup_drv.drv), 0);
	CHECK_EQ(driver_register(&con_drv.drv), 0);
	sup = tdev_alloc("sup.0", NULL, NULL);
	con = tdev_alloc("con.0", NULL, NULL);
	CHECK_EQ(device_add(sup), 0);
	CHECK_EQ(device_add(con), 0);
	link = device_link_add(con, sup, 0);
	CHECK(link && link->status == DL_STATE_ACTIVE);
	/* Unbinding the supplier unbinds its active consumer first. */
	CHECK_EQ(unbind_store(&sup_drv.drv, "sup.0", 5), 5);
	CHECK(!sup->driver);
	CHECK(!con->driver);
	CHECK_EQ(con_drv.removes, 1);
	CHECK_EQ(link->status, DL_STATE_DORMANT);
	/* The consumer cannot bind again until the supplier does. */
	CHECK_EQ(bind_store(&con_drv.drv, "con.0", 5), -EAGAIN);
	CHECK_EQ(bind_store(&sup_drv.drv, "sup.0", 5), 5);
	wait_for_device_probe();
	CHECK_EQ(bind_store(&con_drv.drv, "con.0", 5), 5);
	CHECK_EQ(link->status, DL_STATE_ACTIVE);
	/* A managed link cannot be dropped while the consumer is registered. */
	device_link_del(link);
	CHECK_EQ(report_count(REPORT_WARN), 1);
	device_unregister(con);
	device_unregister(sup);
	driver_unregister(&con_drv.drv);
	driver_unregister(&sup_drv.drv);
	device_link_wait_removal();
}

BR_TEST(links_supplier_unbind_unbinds_consumer)
{
	report_capture_begin();
	CHECK_EQ(br_run(body_unbind_supplier, NULL), SCHED_OK);
	CHECK(report_seen("Unable to drop a managed device link reference"));
}

static void body_stateless_release(void *arg)
{
	struct device *sup, *con, *ghost;
	struct device_link *link, *again;
	unsigned int sup_ref, con_ref;

	sup = tdev_alloc("sup.0", NULL, NULL);
	con = tdev_alloc("con.0", NULL, NULL);
	ghost = tdev_alloc("ghost.0", NULL, NULL);
	CHECK_EQ(device_add(sup), 0);
	CHECK_EQ(device_add(con), 0);
	sup_ref = device_refcount(sup);
	con_ref = device_refcount(con);
	/* Invalid requests. */
	CHECK(!device_link_add(con, con, DL_FLAG_STATELESS));
	CHECK(!device_link_add(con, sup, DL_FLAG_STATELESS | DL_FLAG_AUTOPROBE_CONSUMER));
	CHECK(!device_link_add(con, sup, DL_FLAG_AUTOPROBE_CONSUMER |
					 DL_FLAG_AUTOREMOVE_CONSUMER));
	CHECK(!device_link_add(con, sup, 1u << 20));
	CHECK(!device_link_add(con, ghost, DL_FLAG_STATELESS));	/* not added */
	link = device_link_add(con, sup, DL_FLAG_STATELESS);
	CHECK(link && link->status == DL_STATE_NONE);
	again = device_link_add(con, sup, DL_FLAG_STATELESS);
	CHECK(again == link);
	/* A cycle is refused. */
	CHECK(!device_link_add(sup, con, DL_FLAG_STATELESS));
	CHECK_EQ(device_refcount(sup), sup_ref + 1);
	device_link_del(link);
	CHECK_EQ(br_obj_live(BR_OBJ_DEVICE_LINK), 1);
	device_link_remove(con, sup);
	/* Release runs on device_link_wq after a grace period. */
	CHECK_EQ(device_refcount(sup), sup_ref + 1);
	device_link_wait_removal();
	CHECK_EQ(br_obj_live(BR_OBJ_DEVICE_LINK), 0);
	CHECK_EQ(device_refcount(sup), sup_ref);
	CHECK_EQ(device_refcount(con), con_ref);
	device_unregister(con);
	device_unregister(sup);
	put_device(ghost);
}

BR_TEST(links_stateless_release_after_wait_removal)
{
	CHECK_EQ(br_run(body_stateless_release, NULL), SCHED_OK);
}

static int synced;

static void sup_sync_state(struct device *dev)
{
	device_lock_assert(dev);
	synced++;
}

static void body_sync_state(void *arg)
{
	struct tdrv sup_drv, con_drv;
	struct device *sup, *con1, *con2;

	synced = 0;
	tdrv_init(&sup_drv, "sup", PROBE_DEFAULT_STRATEGY);
	sup_drv.drv.sync_state = sup_sync_state;
	tdrv_init(&con_drv, "con", PROBE_DEFAULT_STRATEGY);
	sup = tdev_alloc("sup.0", NULL, NULL);
	con1 = tdev_alloc("con.1", NULL, NULL);
	con2 = tdev_alloc("con.2", NULL, NULL);
	CHECK_EQ(device_add(sup), 0);
	CHECK_EQ(device_add(con1), 0);
	CHECK_EQ(device_add(con2), 0);
	CHECK(device_link_add(con1, sup, DL_FLAG_AUTOPROBE_CONSUMER));
	CHECK(device_link_add(con2, sup, DL_FLAG_AUTOPROBE_CONSUMER));
	CHECK_EQ(driver_register(&sup_drv.drv), 0);
	CHECK_EQ(synced, 0);	/* consumers not bound yet */
	CHECK(!dev_state_synced(sup));
	CHECK_EQ(driver_register(&con_drv.drv), 0);
	wait_for_device_probe();
	CHECK(con1->driver && con2->driver);
	CHECK_EQ(synced, 1);
	CHECK(dev_state_synced(sup));
	device_unregister(con1);
	device_unregister(con2);
	device_unregister(sup);
	driver_unregister(&con_drv.drv);
	driver_unregister(&sup_drv.drv);
	device_link_wait_removal();
}

BR_TEST(links_sync_state_after_all_consumers_bind)
{
	CHECK_EQ(br_run(body_sync_state, NULL), SCHED_OK);
}

static void body_autoremove_consumer(void *arg)
{
	struct tdrv sup_drv, con_drv;
	struct device *sup, *con;

	tdrv_init(&sup_drv, "sup", PROBE_DEFAULT_STRATEGY);
	tdrv_init(&con_drv, "con", PROBE_DEFAULT_STRATEGY);
	CHECK_EQ(driver_register(&sup_drv.drv), 0);
	CHECK_EQ(driver_register(&con_drv.drv), 0);
	sup = tdev_alloc("sup.0", NULL, NULL);
	con = tdev_alloc("con.0", NULL, NULL);
	CHECK_EQ(device_add(sup), 0);
	CHECK_EQ(device_add(con), 0);
	CHECK(device_link_add(con, sup, DL_FLAG_AUTOREMOVE_CONSUMER));
	CHECK_EQ(list_count_nodes(&sup->links.consumers), 1);
	/* The consumer unbinds: its AUTOREMOVE_CONSUMER link goes away. */
	device_driver_detach(con);
	CHECK_EQ(list_count_nodes(&sup->links.consumers), 0);
	device_link_wait_removal();
	CHECK_EQ(br_obj_live(BR_OBJ_DEVICE_LINK), 0);
	device_unregister(con);
	device_unregister(sup);
	driver_unregister(&con_drv.drv);
	driver_unregister(&sup_drv.drv);
}

BR_TEST(links_autoremove_consumer_on_unbind)
{
	CHECK_EQ(br_run(body_autoremove_consumer, NULL), SCHED_OK);
}

/*
 * A child inside device_add() probes before it joins its parent's
 * klist_children.  A link made then, from a device the parent already
 * consumes to the child, would close the cycle parent -> child -> y ->
 * parent; device_is_dependent() must see the parent through ->parent
 * (mainline's device_is_ancestor(), repro/device-is-dependent-no-ancestor).
 */
static struct device *cycle_p, *cycle_y;
static struct device_link *cycle_link;

/* The cycle tests' devices: p and y added; x comes later, under p. */
static void cycle_begin(struct tdrv *x_drv, void (*hook)(struct device *dev))
{
	tdrv_init(x_drv, "x", PROBE_FORCE_SYNCHRONOUS);
	x_drv->probe_hook = hook;
	CHECK_EQ(driver_register(&x_drv->drv), 0);
	cycle_p = tdev_alloc("p.0", NULL, NULL);
	cycle_y = tdev_alloc("y.0", NULL, NULL);
	CHECK_EQ(device_add(cycle_p), 0);
	CHECK_EQ(device_add(cycle_y), 0);
}

/* x under p: its probe (the hook) runs before it joins p's children. */
static struct device *cycle_add_child(struct tdrv *x_drv)
{
	struct device *x = tdev_alloc("x.0", cycle_p, NULL);

	CHECK_EQ(device_add(x), 0);
	CHECK_EQ(x_drv->probes, 1);
	return x;
}

static void cycle_end(struct tdrv *x_drv, struct device *x)
{
	device_unregister(x);
	device_unregister(cycle_y);
	device_unregister(cycle_p);
	driver_unregister(&x_drv->drv);
	device_link_wait_removal();
	CHECK_EQ(br_obj_live(BR_OBJ_DEVICE_LINK), 0);
}

static void link_y_to_probing_child(struct device *dev)
{
	cycle_link = device_link_add(cycle_y, dev, DL_FLAG_STATELESS);
}

static void body_no_cycle_through_adding_child(void *arg)
{
	struct device_link *py;
	struct device *x;
	struct tdrv x_drv;

	cycle_begin(&x_drv, link_y_to_probing_child);
	py = device_link_add(cycle_p, cycle_y, DL_FLAG_STATELESS);
	CHECK(py != NULL);
	cycle_link = (void *)1;
	x = cycle_add_child(&x_drv);
	CHECK(cycle_link == NULL);
	/* A link from the parent to its (now listed) child is refused too. */
	CHECK(device_link_add(cycle_p, x, DL_FLAG_STATELESS) == NULL);

	device_link_del(py);
	cycle_end(&x_drv, x);
}

BR_TEST(links_no_cycle_through_adding_child)
{
	CHECK_EQ(br_run(body_no_cycle_through_adding_child, NULL), SCHED_OK);
}

/*
 * The same child, in the middle of the path: while it probes inside
 * device_add() (not yet on its parent's klist_children), y becomes its
 * consumer and then the parent asks to consume y.  That closes parent ->
 * child -> y -> parent, which mainline's device_is_ancestor() does not see
 * (it walks up from y, whose ->parent chain is empty); a later walk into
 * the cycle recurses until the stack overflows
 * (repro/device-is-dependent-unlisted-child).
 */
static struct device_link *cycle_parent_link;

static void links_through_probing_child(struct device *dev)
{
	cycle_link = device_link_add(cycle_y, dev, DL_FLAG_STATELESS);
	cycle_parent_link = device_link_add(cycle_p, cycle_y, DL_FLAG_STATELESS);
}

static void body_no_cycle_through_middle_child(void *arg)
{
	struct device *x;
	struct tdrv x_drv;

	cycle_begin(&x_drv, links_through_probing_child);
	x = cycle_add_child(&x_drv);
	CHECK(cycle_link != NULL);
	CHECK(cycle_parent_link == NULL);

	/* With the cycle, the next walk into it would never end. */
	if (cycle_parent_link)
		device_link_del(cycle_parent_link);
	device_link_del(cycle_link);
	cycle_end(&x_drv, x);
}

BR_TEST(links_no_cycle_through_adding_middle_child)
{
	CHECK_EQ(br_run(body_no_cycle_through_middle_child, NULL), SCHED_OK);
}

/*
 * A sync-state-only link orders nothing (fw_devlink's, mainline's
 * device_link_flag_is_sync_state_only()): the dependency walks skip it,
 * markers (MANAGED, INFERRED, CYCLE) or not, so a link it would close a
 * cycle with is made, and the no-cycle oracle stays quiet.
 */
static void body_sync_state_only_orders_nothing(void *arg)
{
	struct device *p = tdev_alloc("p.0", NULL, NULL);
	struct device *y = tdev_alloc("y.0", NULL, NULL);
	struct device *x = tdev_alloc("x.0", p, NULL);
	struct device_link *sso, *xy;

	CHECK_EQ(device_add(p), 0);
	CHECK_EQ(device_add(y), 0);
	CHECK_EQ(device_add(x), 0);
	sso = device_link_add(p, y, DL_FLAG_SYNC_STATE_ONLY | DL_FLAG_INFERRED);
	CHECK(sso != NULL);
	CHECK_EQ(sso->flags, DL_FLAG_SYNC_STATE_ONLY | DL_FLAG_INFERRED | DL_FLAG_MANAGED);
	/* p -> x (child) -> y -> p only through the sync-state-only link. */
	xy = device_link_add(y, x, DL_FLAG_STATELESS);
	CHECK(xy != NULL);
	/* Without it, the same link would be a cycle: refused. */
	CHECK(device_link_add(p, y, DL_FLAG_STATELESS) == NULL);
	CHECK_EQ(report_count_all(), 0);

	if (xy)
		device_link_del(xy);
	device_unregister(x);
	device_unregister(y);
	device_unregister(p);
	device_link_wait_removal();
	CHECK_EQ(br_obj_live(BR_OBJ_DEVICE_LINK), 0);
	CHECK_EQ(report_count_all(), 0);
}

BR_TEST(links_sync_state_only_orders_nothing)
{
	CHECK_EQ(br_run(body_sync_state_only_orders_nothing, NULL), SCHED_OK);
}

/*
 * A supplier unbinds with an idle AUTOREMOVE_SUPPLIER consumer link: the
 * link is dropped, and its release work (after a grace period that does
 * not wait for the links lock's holder) frees it.  Nothing may touch the
 * link after the drop: under TSan the late write mainline has shows up as
 * a race with the worker's kfree (repro/links-cleanup-write-after-drop).
 */
static void body_cleanup_drops_idle_link(void *arg)
{
	struct tdrv sup_drv;
	struct device *sup, *con;
	struct device_link *link;

	tdrv_init(&sup_drv, "sup", PROBE_FORCE_SYNCHRONOUS);
	CHECK_EQ(driver_register(&sup_drv.drv), 0);
	sup = tdev_alloc("sup.0", NULL, NULL);
	con = tdev_alloc("con.0", NULL, NULL);
	CHECK_EQ(device_add(sup), 0);
	CHECK_EQ(device_add(con), 0);
	CHECK(sup->driver == &sup_drv.drv);
	link = device_link_add(con, sup, DL_FLAG_AUTOREMOVE_SUPPLIER);
	CHECK(link != NULL);
	CHECK_EQ(link->status, DL_STATE_AVAILABLE);
	device_driver_detach(sup);
	CHECK(!sup->driver);
	CHECK(list_empty(&sup->links.consumers));
	device_link_wait_removal();
	CHECK_EQ(br_obj_live(BR_OBJ_DEVICE_LINK), 0);

	device_unregister(con);
	device_unregister(sup);
	driver_unregister(&sup_drv.drv);
}

BR_TEST(links_cleanup_drops_idle_autoremove_link)
{
	CHECK_EQ(br_run(body_cleanup_drops_idle_link, NULL), SCHED_OK);
}

static void unregister_fn(void *arg)
{
	device_unregister(arg);
}

/*
 * A consumer being deleted while its supplier binds: the supplier's
 * device_links_driver_bound() puts an AUTOPROBE_CONSUMER on the pending
 * list under the links lock.  Holding that lock here stops device_del()
 * at its links purge, and the add it then makes (what a binding supplier
 * does) must not outlive device_del(): the list pins nothing, so the
 * device would be freed while listed
 * (repro/links-bound-requeues-deleted-consumer).
 */
static void body_bound_requeues_deleted_consumer(void *arg)
{
	struct tdrv con_drv;
	struct device *sup, *con;
	struct task *t;

	tdrv_init(&con_drv, "con", PROBE_FORCE_SYNCHRONOUS);
	sup = tdev_alloc("sup.0", NULL, NULL);
	con = tdev_alloc("con.0", NULL, NULL);
	CHECK_EQ(device_add(sup), 0);
	CHECK_EQ(device_add(con), 0);
	CHECK(device_link_add(con, sup, DL_FLAG_AUTOPROBE_CONSUMER) != NULL);
	/* No supplier driver: the consumer's probe defers. */
	CHECK_EQ(driver_register(&con_drv.drv), 0);
	CHECK(driver_deferred_probe_pending(con));

	get_device(con);
	device_links_write_lock();
	t = sched_spawn("del", unregister_fn, con);
	msleep(1);	/* device_del() runs until the links lock stops it */
	driver_deferred_probe_add(con);
	device_links_write_unlock();
	sched_join(t);
	CHECK(!driver_deferred_probe_pending(con));
	put_device(con);

	device_unregister(sup);
	driver_unregister(&con_drv.drv);
	device_link_wait_removal();
}

BR_TEST(links_bound_cannot_requeue_deleted_consumer)
{
	CHECK_EQ(br_run(body_bound_requeues_deleted_consumer, NULL), SCHED_OK);
}

/*
 * A caller that looked the consumer up before its device_del() (as a
 * supplier-side driver does with bus_find_device()) and links it after:
 * the purge has run, so such a link would outlive the consumer's
 * device_del() and, AUTOPROBE_CONSUMER, list the deleted device when the
 * supplier binds (repro/link-added-to-purged-consumer).  The model refuses it.
 */
static void body_link_to_purged_consumer(void *arg)
{
	struct device *sup, *con;

	sup = tdev_alloc("sup.0", NULL, NULL);
	con = tdev_alloc("con.0", NULL, NULL);
	CHECK_EQ(device_add(sup), 0);
	CHECK_EQ(device_add(con), 0);
	get_device(con);
	device_unregister(con);
	CHECK(!device_link_add(con, sup, DL_FLAG_AUTOPROBE_CONSUMER));
	CHECK(!device_link_add(con, sup, DL_FLAG_STATELESS));
	CHECK(list_empty(&sup->links.consumers));
	put_device(con);
	/* A consumer not yet added may still be linked (mainline). */
	con = tdev_alloc("con.1", NULL, NULL);
	CHECK(device_link_add(con, sup, DL_FLAG_STATELESS) != NULL);
	CHECK_EQ(device_add(con), 0);
	device_unregister(con);
	CHECK(list_empty(&sup->links.consumers));
	device_unregister(sup);
	device_link_wait_removal();
}

BR_TEST(links_add_refuses_purged_consumer)
{
	report_capture_begin();
	CHECK_EQ(br_run(body_link_to_purged_consumer, NULL), SCHED_OK);
	CHECK_EQ(report_count_all(), 0);
}

/*
 * A stateless link asked for again as managed: the managed side takes its
 * own reference (mainline), so dropping it (AUTOREMOVE_CONSUMER, the
 * consumer's probe failed) leaves the creator's link in place, and the
 * creator's delete frees it (repro/link-managed-merge-without-ref).
 */
static void body_managed_merge_keeps_stateless_ref(void *arg)
{
	struct tdrv sup_drv, con_drv;
	struct device *sup, *con;
	struct device_link *link;

	tdrv_init(&sup_drv, "sup", PROBE_FORCE_SYNCHRONOUS);
	tdrv_init(&con_drv, "con", PROBE_FORCE_SYNCHRONOUS);
	con_drv.probe_ret[0] = -ENODEV;
	con_drv.nr_probe_ret = 1;
	CHECK_EQ(driver_register(&sup_drv.drv), 0);
	sup = tdev_alloc("sup.0", NULL, NULL);
	con = tdev_alloc("con.0", NULL, NULL);
	CHECK_EQ(device_add(sup), 0);
	CHECK_EQ(device_add(con), 0);
	link = device_link_add(con, sup, DL_FLAG_STATELESS);
	CHECK(link != NULL);
	CHECK(device_link_add(con, sup, DL_FLAG_AUTOREMOVE_CONSUMER) == link);
	/* The consumer's probe fails: its AUTOREMOVE_CONSUMER side is dropped. */
	CHECK_EQ(driver_register(&con_drv.drv), 0);
	CHECK(!con->driver);
	CHECK(!list_empty(&sup->links.consumers));
	report_capture_begin();
	device_link_del(link);
	CHECK_EQ(report_count_all(), 0);
	CHECK(list_empty(&sup->links.consumers));
	device_link_wait_removal();
	CHECK_EQ(br_obj_live(BR_OBJ_DEVICE_LINK), 0);

	device_unregister(con);
	device_unregister(sup);
	driver_unregister(&con_drv.drv);
	driver_unregister(&sup_drv.drv);
}

BR_TEST(links_managed_merge_keeps_stateless_ref)
{
	CHECK_EQ(br_run(body_managed_merge_keeps_stateless_ref, NULL), SCHED_OK);
}
