/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* ringscope-detect-eval-bench.h - the engine's per-tick cost (-b). */
#ifndef RINGSCOPE_DETECT_EVAL_BENCH_H
#define RINGSCOPE_DETECT_EVAL_BENCH_H

/* Returns 0, -1 if the engine could not be built. */
int bench_engine(unsigned int entities, unsigned int ticks);

#endif /* RINGSCOPE_DETECT_EVAL_BENCH_H */
