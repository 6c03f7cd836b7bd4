/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * rates.h - per-interval values from two samples: CPU times and
 * utilisation, iostat's disk figures, NIC deltas and speeds. Pure functions;
 * never negative: a counter that goes backwards is either a known 32-bit
 * wrap (diskstats ticks) or a reset, which the caller rebaselines.
 */
#ifndef RINGSCOPE_COLLECT_RATES_H
#define RINGSCOPE_COLLECT_RATES_H

#include <stdbool.h>
#include <stdint.h>

#include "sources.h"

/* cur - prev for a counter `bits` wide (32 or 64). A 32-bit counter below
 * its previous value wrapped once; a 64-bit one was reset: false. */
bool rsc_counter_delta(uint64_t prev, uint64_t cur, unsigned int bits, uint64_t *delta);

struct rsc_cpu_delta {
	uint64_t user_ms, nice_ms, system_ms, idle_ms, iowait_ms, irq_ms, softirq_ms, steal_ms;
	double util;	/* % busy: (all - idle - iowait) / all */
};
/* Field by field, a time that went backwards (iowait can) counts as 0. */
void rsc_cpu_delta(const struct rsc_cpu_times *prev, const struct rsc_cpu_times *cur,
		   unsigned long clk_tck, struct rsc_cpu_delta *out);

/* iostat -x: r/s rkB/s r_await rareq-sz w/s wkB/s w_await wareq-sz aqu-sz %util */
struct rsc_iostat {
	double rspeed, rspeed_kb, r_await, rareq;
	double wspeed, wspeed_kb, w_await, wareq;
	double aqu, util;
};
/* -1 if a counter was reset or dt_ns is 0 (then rebaseline). */
int rsc_iostat(const struct rsc_disk *prev, const struct rsc_disk *cur, uint64_t dt_ns,
	       struct rsc_iostat *out);

struct rsc_nic_delta {
	uint64_t rx_bytes, rx_packets, rx_errs, rx_dropped;
	uint64_t tx_bytes, tx_packets, tx_errs, tx_dropped;
	double rx_kbps, tx_kbps;	/* KB/s (1024 bytes) */
};
int rsc_nic_delta(const struct rsc_nic *prev, const struct rsc_nic *cur, uint64_t dt_ns,
		  struct rsc_nic_delta *out);

#endif /* RINGSCOPE_COLLECT_RATES_H */
