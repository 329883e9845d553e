/* SPDX-License-Identifier: MIT */
#ifndef _BINDRACE_SCHED_CTX_H
#define _BINDRACE_SCHED_CTX_H

/*
 * Bare machine context switch for fibers.  On x86-64 only the callee-saved
 * registers and the stack pointer move (no signal mask syscall, unlike
 * swapcontext); elsewhere ucontext does the job.
 */

#include <stddef.h>

#if defined(__x86_64__)
struct br_ctx {
	void *sp;
};
#else
#include <ucontext.h>
struct br_ctx {
	ucontext_t uc;
};
#endif

/* Prepare @ctx to start @entry on the given stack (entry must not return). */
void br_ctx_init(struct br_ctx *ctx, void *stack, size_t size, void (*entry)(void));
/* Save the current context in @from and resume @to. */
void br_ctx_switch(struct br_ctx *from, struct br_ctx *to);

#endif
