/* SPDX-License-Identifier: MIT */
#ifndef _BINDRACE_PROG_H
#define _BINDRACE_PROG_H

/*
 * An operation program: a few tasks running driver-core operations on a
 * small world of device and driver slots, plus the schedule choices of the
 * fiber backend.  One op table (PROG_OPS) drives decode, encode, text,
 * exec and minimize.
 *
 * Byte layout (decode is total: every byte string is a program):
 *   [0, PROG_HDR_SIZE)              header, then PROG_NR_DRVS behaviours;
 *                                   header bytes 6-7: sched_seed (LE)
 *   next nr_ops * PROG_OP_SIZE      ops: opcode, task, arg0, arg1, arg2
 *   the rest, read from the END     schedule choices
 * Reading the schedule backwards keeps it apart from the ops: changing or
 * adding an op leaves the interleaving it chose unchanged.  Once the
 * schedule bytes run out, sched_seed picks the rest: a PRNG stream when
 * non-zero (random schedules beat a fixed tail on races that need a late
 * preemption), round-robin when zero.
 *
 * Every field decodes modulo its table's size, so the tables (ops, actions,
 * argument kinds) only grow at the end, and repro inputs are stored in
 * canonical form (encode of decode, every byte in range): a new entry then
 * leaves every stored program as it was (regress.text checks the form).
 */

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define PROG_MAX_TASKS	4
#define PROG_NR_DEVS	6
#define PROG_NR_DRVS	4
#define PROG_NR_BUSES	2
#define PROG_MAX_OPS	48
#define PROG_MAX_SCHED	4096
#define PROG_OP_SIZE	5
#define PROG_BEH_SIZE	4
#define PROG_HDR_FIXED	8
#define PROG_HDR_SIZE	(PROG_HDR_FIXED + PROG_NR_DRVS * PROG_BEH_SIZE)
#define PROG_MAX_BYTES	(PROG_HDR_SIZE + PROG_MAX_OPS * PROG_OP_SIZE + PROG_MAX_SCHED)

/* Argument kinds: how a byte decodes and how the value prints. */
#define PROG_ARG_KINDS(X)			\
	X(A_NONE, "", 1)			\
	X(A_DEV, "dev", PROG_NR_DEVS)		\
	X(A_PARENT, "parent", PROG_NR_DEVS + 1)	\
	X(A_DRV, "drv", PROG_NR_DRVS)		\
	X(A_DRV_OR_NONE, "override", PROG_NR_DRVS + 1) \
	X(A_BUS, "bus", PROG_NR_BUSES)		\
	X(A_BOOL, "on", 2)			\
	X(A_LINKFLAGS, "flags", 6)		\
	X(A_NTH, "nth", 32)

#define __PA_ENUM(id, name, range) id,
enum prog_arg_kind { PROG_ARG_KINDS(__PA_ENUM) PROG_NR_ARG_KINDS };
#undef __PA_ENUM

/*
 * The op table.  owner: which slot's owner task runs the op (lifecycle
 * ops of one object stay in program order, as the one bus driver or
 * module that owns it would issue them); OWN_ANY runs on its tagged task.
 */
#define OWN_ANY		0
#define OWN_DEV		1	/* arg0 is the owning device slot */
#define OWN_DRV		2	/* arg0 is the owning driver slot */

#define PROG_OPS(X)								\
	X(OP_DEVICE_ADD, "device_add", OWN_DEV, A_DEV, A_PARENT, A_BUS)		\
	X(OP_DEVICE_DEL, "device_del", OWN_DEV, A_DEV, A_NONE, A_NONE)		\
	X(OP_DEVICE_UNREGISTER, "device_unregister", OWN_DEV, A_DEV, A_NONE, A_NONE) \
	X(OP_DRIVER_REGISTER, "driver_register", OWN_DRV, A_DRV, A_BUS, A_NONE)	\
	X(OP_DRIVER_UNREGISTER, "driver_unregister", OWN_DRV, A_DRV, A_NONE, A_NONE) \
	X(OP_BIND, "bind", OWN_DRV, A_DRV, A_DEV, A_NONE)			\
	X(OP_UNBIND, "unbind", OWN_DRV, A_DRV, A_DEV, A_NONE)			\
	X(OP_DRIVERS_PROBE, "drivers_probe", OWN_ANY, A_DEV, A_NONE, A_NONE)	\
	X(OP_DEVICE_ATTACH, "device_attach", OWN_ANY, A_DEV, A_NONE, A_NONE)	\
	X(OP_DRIVER_OVERRIDE, "driver_override", OWN_ANY, A_DEV, A_DRV_OR_NONE, A_NONE) \
	X(OP_DRIVERS_AUTOPROBE, "drivers_autoprobe", OWN_ANY, A_BUS, A_BOOL, A_NONE) \
	X(OP_LINK_ADD, "device_link_add", OWN_ANY, A_DEV, A_DEV, A_LINKFLAGS)	\
	X(OP_LINK_DEL, "device_link_del", OWN_ANY, A_DEV, A_DEV, A_NONE)	\
	X(OP_LINK_WAIT_REMOVAL, "device_link_wait_removal", OWN_ANY, A_NONE, A_NONE, A_NONE) \
	X(OP_DEFERRED_TRIGGER, "deferred_trigger", OWN_ANY, A_NONE, A_NONE, A_NONE) \
	X(OP_WAIT_FOR_PROBE, "wait_for_device_probe", OWN_ANY, A_NONE, A_NONE, A_NONE) \
	X(OP_ASYNC_SYNC_FULL, "async_synchronize_full", OWN_ANY, A_NONE, A_NONE, A_NONE) \
	X(OP_READ_UEVENT, "read_uevent", OWN_ANY, A_DEV, A_NONE, A_NONE)	\
	X(OP_GET_DEVICE, "get_device", OWN_ANY, A_DEV, A_NONE, A_NONE)		\
	X(OP_PUT_DEVICE, "put_device", OWN_ANY, A_DEV, A_NONE, A_NONE)		\
	X(OP_FAIL_NTH, "fail_nth", OWN_ANY, A_NTH, A_NONE, A_NONE)		\
	X(OP_DELETE_CHILD, "delete_child", OWN_ANY, A_DEV, A_NONE, A_NONE)

#define __OP_ENUM(id, name, owner, a0, a1, a2) id,
enum prog_op_id { PROG_OPS(__OP_ENUM) PROG_NR_OPS };
#undef __OP_ENUM

struct prog_op_desc {
	const char *name;
	int owner;
	enum prog_arg_kind args[3];
};

extern const struct prog_op_desc prog_op_table[PROG_NR_OPS];

struct prog_arg_desc {
	const char *name;
	unsigned int range;
};

extern const struct prog_arg_desc prog_arg_table[PROG_NR_ARG_KINDS];

/* Driver behaviours: one table each for probe types, matches, results, actions. */
#define PROBE_TYPES(X)				\
	X(PT_DEFAULT, "default")		\
	X(PT_ASYNC, "async")			\
	X(PT_SYNC, "sync")

#define MATCH_KINDS(X)				\
	X(M_NAME, "name")			\
	X(M_ALL, "all")				\
	X(M_DEFER, "defer")			\
	X(M_ERROR, "error")

#define PROBE_RESULTS(X)			\
	X(RES_OK, "0", 0)				\
	X(RES_ENODEV, "-ENODEV", -19)		\
	X(RES_DEFER, "-EPROBE_DEFER", -517)	\
	X(RES_ENOMEM, "-ENOMEM", -12)

#define ACTIONS(X)				\
	X(ACT_NONE, "none")			\
	X(ACT_SLEEP, "sleep")			\
	X(ACT_YIELD, "yield")			\
	X(ACT_ASYNC_WORK, "async_work")		\
	X(ACT_CHILD, "register_child")		\
	X(ACT_LINK, "add_link")			\
	X(ACT_ASYNC_SYNC, "async_synchronize_full") \
	X(ACT_WAIT_PROBE, "wait_for_device_probe") \
	X(ACT_UNREG_DEV, "unregister_device")	\
	X(ACT_UNREG_DRV, "unregister_driver")

#define __E1(id, name) id,
#define __E2(id, name, v) id,
enum prog_probe_type { PROBE_TYPES(__E1) PROG_NR_PROBE_TYPES };
enum prog_match { MATCH_KINDS(__E1) PROG_NR_MATCH };
enum prog_result { PROBE_RESULTS(__E2) PROG_NR_RESULTS };
enum prog_action { ACTIONS(__E1) PROG_NR_ACTIONS };
#undef __E1
#undef __E2

/*
 * Link flag sets an op can ask for (A_LINKFLAGS): the names here, the
 * DL_FLAG_* values expand where the model's headers are (exec.c).
 * AUTOREMOVE_CONSUMER is for links a consumer's own probe creates: the
 * fuzz driver's add_link action uses it, the op does not.  SYNC_STATE_ONLY
 * is fw_devlink's, with add-time rules the model does not have yet.
 */
#define LINK_FLAG_SETS(X)							\
	X("stateless", DL_FLAG_STATELESS)					\
	X("managed", 0)								\
	X("inferred", DL_FLAG_INFERRED)						\
	X("autoremove_supplier", DL_FLAG_AUTOREMOVE_SUPPLIER)			\
	X("autoprobe_consumer", DL_FLAG_AUTOPROBE_CONSUMER)			\
	X("pm_runtime", DL_FLAG_PM_RUNTIME)

extern const char *const prog_link_flag_names[];

extern const char *const prog_probe_type_names[PROG_NR_PROBE_TYPES];
extern const char *const prog_match_names[PROG_NR_MATCH];
extern const char *const prog_result_names[PROG_NR_RESULTS];
extern const int prog_result_values[PROG_NR_RESULTS];
extern const char *const prog_action_names[PROG_NR_ACTIONS];

#define PROG_NR_RESULT_SEQ	4

struct prog_behaviour {
	uint8_t probe_type;
	uint8_t match;
	uint8_t results[PROG_NR_RESULT_SEQ];	/* successive probes, then RES_OK */
	uint8_t probe_action;
	uint8_t remove_action;
	uint8_t action_arg;			/* a slot or milliseconds */
};

struct prog_op {
	uint8_t op;
	uint8_t task;
	uint8_t args[3];
};

/* Header flags. */
#define PROG_F_SYNC_FALLBACK	0x1	/* async_max_work = -1: every async call runs inline */
#define PROG_F_TEST_REMOVE	0x2	/* CONFIG_DEBUG_TEST_DRIVER_REMOVE */
#define PROG_F_MASK		0x3

struct prog {
	uint8_t nr_tasks;
	uint8_t max_workers;
	uint8_t max_run;
	uint8_t fail_nth;		/* 0 = none */
	uint8_t flags;
	uint8_t nr_ops;
	uint16_t sched_seed;		/* the schedule after the bytes; 0 = round-robin */
	struct prog_behaviour beh[PROG_NR_DRVS];
	struct prog_op ops[PROG_MAX_OPS];
	size_t nr_sched;
	uint8_t sched[PROG_MAX_SCHED];
};

/* codec.c */
void prog_decode(struct prog *p, const uint8_t *data, size_t size);
/* Returns the number of bytes written (at most cap). */
size_t prog_encode(const struct prog *p, uint8_t *out, size_t cap);
size_t prog_encoded_size(const struct prog *p);
/* Put every field into its range and lifecycle ops on their owner task. */
void prog_normalize(struct prog *p);
unsigned int prog_op_owner_task(const struct prog *p, const struct prog_op *op);

/* dict.c: the fuzzers' dictionary words, made through the codec. */
#define PROG_DICT_OP	0	/* id: the op */
#define PROG_DICT_BEH	1	/* id: the action, or probe type * PROG_NR_MATCH + match */

struct prog_dict_word {
	char name[48];
	uint8_t bytes[8];
	size_t len;
	int kind;
	int id;
};

size_t prog_dict(struct prog_dict_word *w, size_t cap);

/* text.c */
/* Print the program; returns a malloc'd string. */
char *prog_to_text(const struct prog *p);
/*
 * Parse a text program.  On error returns -1 and writes "line L col C:
 * message" into err.
 */
int prog_from_text(struct prog *p, const char *text, char *err, size_t errlen);

#endif
