/* SPDX-License-Identifier: MIT */
#ifndef _BINDRACE_WORLD_H
#define _BINDRACE_WORLD_H

/*
 * The world a program acts on: device and driver slots, the fuzz buses,
 * and the drivers' behaviour.  Slot states change by compare-and-swap so
 * that two tasks never fight over one object in ways a kernel caller
 * could not (the harness must not race; only the model may).
 */

#include <linux/device.h>
#include <linux/wait.h>
#include "prog.h"

enum slot_state {
	SLOT_FREE,
	SLOT_BUSY,	/* being added/registered or removed */
	SLOT_LIVE,
};

struct fuzz_dev {
	struct device dev;
	int slot;
	unsigned int serial;		/* unique in the run, from 1 */
	bool has_child;			/* its probe registered one */
	bool is_child;			/* children register no children */
	int provides;			/* atomic: its driver hands out resources */
	int priv;			/* its driver's private data (drvdata) */
};

struct fuzz_drv {
	struct device_driver drv;
	int slot;
	char name[16];
	int probes;			/* atomic: index into the result sequence */
	int state;			/* enum slot_state, atomic */
	atomic_t files_active;		/* bind/unbind "sysfs files" in use */
	struct wait_queue_head files_drain;
};

struct dev_slot {
	int state;			/* enum slot_state, atomic */
	struct device *dev;
	struct device *adding;		/* inside device_add() (the feedback's view) */
	char name[16];
};

#define MAX_ZOMBIES	(PROG_MAX_OPS + PROG_NR_DEVS)

struct world {
	const struct prog *prog;
	struct dev_slot devs[PROG_NR_DEVS];
	struct fuzz_drv drvs[PROG_NR_DRVS];
	/* device_del'd devices still holding the owner's reference */
	struct device *zombies[MAX_ZOMBIES];
	int nr_zombies;
	/* references held by get_device ops, per task */
	struct device *refs[PROG_MAX_TASKS][PROG_MAX_OPS];
	int nr_refs[PROG_MAX_TASKS];
	/*
	 * Stateless links a program created and has not removed, per slot
	 * pair: consumer serial, supplier serial, count (world_link_*).
	 */
	uint64_t stateless[PROG_NR_DEVS][PROG_NR_DEVS];
	unsigned int next_serial;	/* atomic */
	/* atomic: deferred actions queued and not finished */
	int actions_pending;
};

extern struct world world;
extern struct bus_type fuzz_buses[PROG_NR_BUSES];

void world_setup(const struct prog *p);
/* Look a device up by name on every fuzz bus (with a reference), or NULL. */
struct device *world_find_device(int slot);
void world_delete_child(int slot);
int world_run_action(struct device *dev, int action, int arg, bool in_probe, int result);
void world_teardown(void);
/* Is @anc an ancestor of @dev (parent pointers are fixed before device_add)? */
bool world_is_ancestor(struct device *anc, struct device *dev);
struct fuzz_dev *fuzz_dev_alloc(int slot, const char *name, struct device *parent,
				const struct bus_type *bus);
/*
 * The creator's ledger of stateless links: record one it made, and claim
 * one to remove.  Entries name the two devices, not the slots: device_del
 * purges a device's links, so a count made for a slot's earlier device
 * (even by a link_add racing the delete) gives no right to remove a link
 * of its next one (that link may be managed: WARN).
 */
void world_link_made(struct device *con, struct device *sup);
bool world_link_claim(struct device *con, struct device *sup);
/* Unregister driver slot @slot if it is live (claimed by CAS, drained first). */
void world_unregister_driver(int slot);

#endif
