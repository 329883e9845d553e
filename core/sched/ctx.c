// SPDX-License-Identifier: MIT
/* Fiber context switch: hand-written for x86-64, ucontext elsewhere. */

#include <stdint.h>
#include <string.h>

#include "ctx.h"

#if defined(__x86_64__)

/*
 * br_ctx_switch(from, to): push the System V callee-saved registers, store
 * rsp in from->sp, load to->sp, pop and return into the other context.
 */
__asm__(
	".text\n"
	".globl br_ctx_switch\n"
	".type br_ctx_switch,@function\n"
	"br_ctx_switch:\n"
	"	pushq %rbp\n"
	"	pushq %rbx\n"
	"	pushq %r12\n"
	"	pushq %r13\n"
	"	pushq %r14\n"
	"	pushq %r15\n"
	"	movq %rsp, (%rdi)\n"
	"	movq (%rsi), %rsp\n"
	"	popq %r15\n"
	"	popq %r14\n"
	"	popq %r13\n"
	"	popq %r12\n"
	"	popq %rbx\n"
	"	popq %rbp\n"
	"	ret\n"
	".size br_ctx_switch, .-br_ctx_switch\n");

void br_ctx_init(struct br_ctx *ctx, void *stack, size_t size, void (*entry)(void))
{
	uintptr_t top = ((uintptr_t)stack + size) & ~(uintptr_t)15;
	void **sp = (void **)top;

	/* After "ret" into entry, rsp must be 8 mod 16 as after a call. */
	*--sp = NULL;			/* entry's fake return address */
	*--sp = (void *)entry;		/* popped by ret */
	for (int i = 0; i < 6; i++)
		*--sp = NULL;		/* rbp rbx r12 r13 r14 r15 */
	ctx->sp = sp;
}

#else

void br_ctx_init(struct br_ctx *ctx, void *stack, size_t size, void (*entry)(void))
{
	getcontext(&ctx->uc);
	ctx->uc.uc_stack.ss_sp = stack;
	ctx->uc.uc_stack.ss_size = size;
	ctx->uc.uc_link = NULL;
	makecontext(&ctx->uc, entry, 0);
}

void br_ctx_switch(struct br_ctx *from, struct br_ctx *to)
{
	swapcontext(&from->uc, &to->uc);
}

#endif
