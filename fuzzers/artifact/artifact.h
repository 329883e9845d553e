/* SPDX-License-Identifier: MIT */
#ifndef BINDRACE_ARTIFACT_H
#define BINDRACE_ARTIFACT_H

#include <stddef.h>
#include <stdint.h>

/*
 * Crash files written by the harness when the model reports, before the
 * abort: <prefix>crash-<sha1 of the input>, the name libFuzzer would use.
 * Under TSan with pool threads alive, libFuzzer's SIGABRT handler can
 * deadlock before it writes the input, and the finding was lost.
 *
 * artifact_init() takes libFuzzer's flags: only an explicit
 * -artifact_prefix= or -exact_artifact_path= turns it on, so AFL++ and
 * replay runs write nothing.  An existing file is never overwritten.
 */
void artifact_init(int argc, char **argv);
/* The input of the run under way (kept by reference). */
void artifact_set_input(const uint8_t *data, size_t size);

#endif
