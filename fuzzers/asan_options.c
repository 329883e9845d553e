// SPDX-License-Identifier: MIT
/*
 * ASan's defaults for the fuzz targets (built into them only where ASan
 * is on).  ASAN_OPTIONS from the environment still wins, key by key.
 *
 * quarantine_size_mb: freed memory ASan holds back, poisoned, before it
 * serves another malloc; a use after free is caught while the chunk is
 * still held.  Every model object is born and freed inside one run (the
 * leak oracle fails a run that leaves one), so a use after free reads
 * memory freed earlier in the same run, and a run frees little: 53 KB at
 * most over a 4,463-input campaign corpus, 1.2 MB for the worst repro
 * input, a deferred-probe livelock that runs to the point budget.  Only
 * frees past the quarantine's size push a chunk out, so a run that frees
 * less than it loses nothing; the test fuzz_asan.quarantine holds the
 * seeds and every repro input to half of it.  ASan's 256 MB default
 * instead cycles a heap far larger than the caches through every malloc:
 * 1.3x the time a run (README, "Session 21").
 */

const char *__asan_default_options(void);

const char *__asan_default_options(void)
{
	return "quarantine_size_mb=4";
}
