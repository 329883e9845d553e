/* SPDX-License-Identifier: MIT */
#ifndef _BINDRACE_LINUX_DEVICE_H
#define _BINDRACE_LINUX_DEVICE_H

/*
 * The driver core's objects and entry points (include/linux/device.h,
 * device/bus.h, device/driver.h), kernel names throughout.
 */

#include <linux/async.h>
#include <linux/bitops.h>
#include <linux/bug.h>
#include <linux/compiler.h>
#include <linux/klist.h>
#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/workqueue.h>

struct device;
struct device_driver;
struct device_private;
struct driver_private;
struct subsys_private;

struct bus_type {
	const char *name;
	/* > 0 match, 0 no match, -EPROBE_DEFER or another error */
	int (*match)(struct device *dev, const struct device_driver *drv);
	int (*probe)(struct device *dev);
	void (*remove)(struct device *dev);
	bool need_parent_lock;
};

enum probe_type {
	PROBE_DEFAULT_STRATEGY,
	PROBE_PREFER_ASYNCHRONOUS,
	PROBE_FORCE_SYNCHRONOUS,
};

struct device_driver {
	const char *name;
	const struct bus_type *bus;
	bool suppress_bind_attrs;
	enum probe_type probe_type;
	int (*probe)(struct device *dev);
	void (*sync_state)(struct device *dev);
	int (*remove)(struct device *dev);
	struct driver_private *p;
};

enum dl_dev_state {
	DL_DEV_NO_DRIVER = 0,
	DL_DEV_PROBING,
	DL_DEV_DRIVER_BOUND,
	DL_DEV_UNBINDING,
};

struct dev_links_info {
	struct list_head suppliers;
	struct list_head consumers;
	struct list_head defer_sync;
	enum dl_dev_state status;
	/* bindrace: device_links_purge() ran (links write lock held) */
	bool purged;
};

struct dev_pm_info {
	struct list_head entry;		/* on the dpm list once device_pm_add ran */
	bool in_dpm_list;
	bool no_pm;			/* device_set_pm_not_required() */
};

/*
 * Flag word, atomic bit operations (the 2026 conversion of the bitfields
 * that shared a memory location, reference §3a).  Accessors below.
 */
enum device_flags {
	DEV_FLAG_READY_TO_PROBE,
	DEV_FLAG_CAN_MATCH,
	DEV_FLAG_STATE_SYNCED,
	DEV_FLAG_OFFLINE_DISABLED,
	DEV_FLAG_OFFLINE,
	DEV_FLAG_OF_NODE_REUSED,
	DEV_FLAG_DMA_COHERENT,
	DEV_FLAG_DMA_IOMMU,
};

struct devres_node;

struct device {
	struct kobject kobj;
	struct device *parent;
	struct device_private *p;
	const char *init_name;
	const struct bus_type *bus;
	struct device_driver *driver;
	void *driver_data;
	struct mutex mutex;
	struct lock_class_key mutex_key;	/* bindrace: a lockdep class per device */
	struct dev_links_info links;
	struct dev_pm_info power;
	struct list_head devres_head;
	const char *driver_override;
	int numa_node;
	unsigned long flags;
	void (*release)(struct device *dev);
};

#define DEVICE_FLAG_ACCESSORS(name, bit)				\
static inline bool dev_##name(const struct device *dev)		\
{									\
	sched_point(SP_FLAGS, &dev->flags);				\
	return test_bit(bit, &dev->flags);				\
}									\
static inline void dev_set_##name(struct device *dev, bool value)	\
{									\
	assign_bit(bit, &dev->flags, value);				\
}

DEVICE_FLAG_ACCESSORS(ready_to_probe, DEV_FLAG_READY_TO_PROBE)
DEVICE_FLAG_ACCESSORS(can_match, DEV_FLAG_CAN_MATCH)
DEVICE_FLAG_ACCESSORS(state_synced, DEV_FLAG_STATE_SYNCED)
DEVICE_FLAG_ACCESSORS(offline, DEV_FLAG_OFFLINE)

/* Device links. */
#define DL_FLAG_STATELESS		BIT(0)
#define DL_FLAG_AUTOREMOVE_CONSUMER	BIT(1)
#define DL_FLAG_PM_RUNTIME		BIT(2)
#define DL_FLAG_RPM_ACTIVE		BIT(3)
#define DL_FLAG_AUTOREMOVE_SUPPLIER	BIT(4)
#define DL_FLAG_AUTOPROBE_CONSUMER	BIT(5)
#define DL_FLAG_MANAGED			BIT(6)
#define DL_FLAG_SYNC_STATE_ONLY		BIT(7)
#define DL_FLAG_INFERRED		BIT(8)
#define DL_FLAG_CYCLE			BIT(9)

enum device_link_state {
	DL_STATE_NONE = -1,
	DL_STATE_DORMANT = 0,
	DL_STATE_AVAILABLE,
	DL_STATE_CONSUMER_PROBE,
	DL_STATE_ACTIVE,
	DL_STATE_SUPPLIER_UNBIND,
};

struct device_link {
	struct device *supplier;
	struct list_head s_node;
	struct device *consumer;
	struct list_head c_node;
	struct device link_dev;
	enum device_link_state status;
	u32 flags;
	refcount_t rpm_active;
	struct kref kref;
	struct work_struct rm_work;
	bool supplier_preactivated;
};

static inline const char *dev_name(const struct device *dev)
{
	if (dev->init_name)
		return dev->init_name;
	return kobject_name(&dev->kobj) ? kobject_name(&dev->kobj) : "(unnamed)";
}

__attribute__((format(printf, 2, 3)))
int dev_set_name(struct device *dev, const char *fmt, ...);

static inline int dev_to_node(struct device *dev)
{
	return dev->numa_node;
}

static inline void *dev_get_drvdata(const struct device *dev)
{
	return dev->driver_data;
}

static inline void dev_set_drvdata(struct device *dev, void *data)
{
	dev->driver_data = data;
}

/* device_set_driver(): WRITE_ONCE for the lockless uevent reader (v6.15). */
static inline void device_set_driver(struct device *dev, struct device_driver *drv)
{
	sched_point(SP_DEV_DRIVER, dev);
	WRITE_ONCE(dev->driver, drv);
}

static inline void device_lock(struct device *dev)
{
	mutex_lock(&dev->mutex);
}

static inline int device_trylock(struct device *dev)
{
	return mutex_trylock(&dev->mutex);
}

static inline void device_unlock(struct device *dev)
{
	mutex_unlock(&dev->mutex);
}

static inline void device_lock_assert(struct device *dev)
{
	WARN(!mutex_owned_by_current(&dev->mutex), "%s: device lock not held",
	     dev_name(dev));
}

static inline bool device_is_registered(struct device *dev)
{
	return dev->kobj.state_in_sysfs;
}

/* core.c */
void device_initialize(struct device *dev);
int __must_check device_add(struct device *dev);
void device_del(struct device *dev);
int __must_check device_register(struct device *dev);
void device_unregister(struct device *dev);
int device_for_each_child(struct device *parent, void *data,
			  int (*fn)(struct device *dev, void *data));
struct device *get_device(struct device *dev);
void put_device(struct device *dev);
bool kill_device(struct device *dev);
int dev_uevent(struct device *dev, char *buf, size_t len);
typedef void (*dr_release_t)(struct device *dev, void *res);
int devm_add_action(struct device *dev, void (*action)(void *), void *data);
void devres_release_all(struct device *dev);
unsigned int device_refcount(struct device *dev);

/* driver.c */
int __must_check driver_register(struct device_driver *drv);
void driver_unregister(struct device_driver *drv);
struct device_driver *driver_find(const char *name, const struct bus_type *bus);
int driver_set_override(struct device *dev, const char **override,
			const char *s, size_t len);
int device_match_driver_override(struct device *dev, const struct device_driver *drv);

/* bus.c */
int __must_check bus_register(const struct bus_type *bus);
void bus_unregister(const struct bus_type *bus);
int bus_rescan_devices(const struct bus_type *bus);
int bus_for_each_dev(const struct bus_type *bus, struct device *start, void *data,
		     int (*fn)(struct device *dev, void *data));
int bus_for_each_drv(const struct bus_type *bus, struct device_driver *start,
		     void *data, int (*fn)(struct device_driver *, void *));
struct device *bus_find_device_by_name(const struct bus_type *bus,
				       struct device *start, const char *name);
/* sysfs stores, with the kernel's return values (count or -errno). */
ssize_t bind_store(struct device_driver *drv, const char *buf, size_t count);
ssize_t unbind_store(struct device_driver *drv, const char *buf, size_t count);
ssize_t drivers_probe_store(const struct bus_type *bus, const char *buf, size_t count);
ssize_t drivers_autoprobe_store(const struct bus_type *bus, const char *buf, size_t count);
bool bus_drivers_autoprobe(const struct bus_type *bus);

/* dd.c */
int __must_check device_attach(struct device *dev);
void device_initial_probe(struct device *dev);
int __must_check driver_attach(const struct device_driver *drv);
int device_driver_attach(const struct device_driver *drv, struct device *dev);
void device_release_driver(struct device *dev);
void device_driver_detach(struct device *dev);
int device_reprobe(struct device *dev);
bool device_is_bound(struct device *dev);
int device_bind_driver(struct device *dev);
void wait_for_device_probe(void);
void driver_deferred_probe_trigger(void);
bool driver_deferred_probe_pending(struct device *dev);
void device_block_probing(void);
void device_unblock_probing(void);
int driver_probe_done(void);

/* Device links (links.c). */
struct device_link *device_link_add(struct device *consumer, struct device *supplier,
				    u32 flags);
void device_link_del(struct device_link *link);
void device_link_remove(void *consumer, struct device *supplier);
void device_link_wait_removal(void);
void device_links_supplier_sync_state_pause(void);
void device_links_supplier_sync_state_resume(void);

/* bindrace: bring up the core once, and reset all global state between runs. */
void driver_core_init(void);
void driver_core_reset(void);

#endif
