/* SPDX-License-Identifier: MIT */
#ifndef _BINDRACE_BASE_H
#define _BINDRACE_BASE_H

/* Private structures and internal calls of the driver core (base.h). */

#include <bindrace/report.h>
#include <bindrace/stats.h>
#include <linux/device.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

struct subsys_private {
	struct kobject subsys;
	struct klist klist_devices;
	struct klist klist_drivers;
	struct mutex mutex;
	unsigned int drivers_autoprobe:1;
	const struct bus_type *bus;
	struct list_head node;		/* bus_list */
};

struct driver_private {
	struct kobject kobj;
	struct klist klist_devices;
	struct klist_node knode_bus;
	struct device_driver *driver;
	/* bindrace: kernfs active refs of the bind/unbind files. */
	atomic_t bind_active;
	bool bind_removed;
	struct wait_queue_head bind_drain;
};

struct device_private {
	struct klist klist_children;
	struct klist_node knode_parent;
	struct klist_node knode_driver;
	struct klist_node knode_bus;
	struct list_head deferred_probe;
	const struct device_driver *async_driver;
	char *deferred_probe_reason;
	/* bindrace: trigger count when its deferral began (liveness oracle) */
	int defer_snapshot;
	struct device *device;
	/* device_add()'s reference on the parent, dropped by release (core.c) */
	bool parent_ref;
	/* bindrace: device_del() ran (the once-per-device_add invariant) */
	bool deleted;
	/* bindrace: device_del() took it off the deferred lists for good (mutex) */
	bool deferred_closed;
	u8 dead:1;
};

#define to_device_private_parent(obj) \
	container_of(obj, struct device_private, knode_parent)
#define to_device_private_driver(obj) \
	container_of(obj, struct device_private, knode_driver)
#define to_device_private_bus(obj) \
	container_of(obj, struct device_private, knode_bus)

/* Annotated accesses: the fields races are about are schedule points. */
static inline const struct device_driver *dev_async_driver(struct device *dev)
{
	sched_point(SP_ASYNC_DRIVER, dev);
	return dev->p->async_driver;
}

static inline void dev_set_async_driver(struct device *dev,
					const struct device_driver *drv)
{
	sched_point(SP_ASYNC_DRIVER, dev);
	dev->p->async_driver = drv;
}

static inline bool dev_dead(struct device *dev)
{
	sched_point(SP_DEAD, dev);
	return dev->p->dead;
}

static inline struct device_driver *dev_driver(struct device *dev)
{
	sched_point(SP_DEV_DRIVER, dev);
	return dev->driver;
}

/* bus.c */
struct subsys_private *bus_to_subsys(const struct bus_type *bus);
void subsys_put(struct subsys_private *sp);
int bus_add_device(struct device *dev);
void bus_probe_device(struct device *dev);
void bus_remove_device(struct device *dev);
int bus_add_driver(struct device_driver *drv);
void bus_remove_driver(struct device_driver *drv);
void bus_reset_all(void);

/* dd.c */
int driver_probe_device(const struct device_driver *drv, struct device *dev);
void driver_detach(const struct device_driver *drv);
void device_release_driver_internal(struct device *dev,
				    const struct device_driver *drv,
				    struct device *parent);
void driver_deferred_probe_add(struct device *dev);
void driver_deferred_probe_del(struct device *dev);
void driver_deferred_probe_close(struct device *dev);
int driver_deferred_probe_check_state(struct device *dev);
void driver_deferred_probe_reset(void);
void deferred_probe_init(void);

static inline int driver_match_device(const struct device_driver *drv,
				      struct device *dev)
{
	return drv->bus->match ? drv->bus->match(dev, drv) : 1;
}

/* The 2026 fix (dc23806a7c47): match under the device lock. */
static inline int driver_match_device_locked(const struct device_driver *drv,
					     struct device *dev)
{
	int ret;

	device_lock(dev);
	ret = driver_match_device(drv, dev);
	device_unlock(dev);
	return ret;
}

static inline bool driver_allows_async_probing(const struct device_driver *drv)
{
	return drv->probe_type == PROBE_PREFER_ASYNCHRONOUS;
}

/* core.c */
int device_private_init(struct device *dev);
void device_pm_add(struct device *dev);
void device_pm_remove(struct device *dev);
void device_pm_reset(void);
void device_links_reset(void);
extern struct workqueue_struct *device_link_wq;
extern struct mutex dpm_list_mtx;

/* links.c: the link state machine hooks of dd.c. */
/* Static in the kernel; unit tests hold it to open a window. */
void device_links_write_lock(void);
void device_links_write_unlock(void);
int device_links_check_suppliers(struct device *dev);
void device_links_force_bind(struct device *dev);
void device_links_driver_bound(struct device *dev);
void device_links_no_driver(struct device *dev);
bool device_links_busy(struct device *dev);
void device_links_unbind_consumers(struct device *dev);
void device_links_driver_cleanup(struct device *dev);
void device_links_purge(struct device *dev);
void device_links_init(void);

/* Checkers of the model (reference §6). */
#define dev_invariant(cond, dev, fmt, ...) ({				\
	bool __bad = !!(cond);						\
	if (unlikely(__bad))						\
		bindrace_report(REPORT_INVARIANT, fmt, "device %s (%s:%d)\n", \
				dev_name(dev), __FILE__, __LINE__);	\
	__bad;								\
})

#endif
