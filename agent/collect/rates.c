// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* rates.c - CPU utilisation, iostat figures and NIC speeds from two samples. */
#include "rates.h"

#define NS_PER_MS 1000000.0

bool rsc_counter_delta(uint64_t prev, uint64_t cur, unsigned int bits, uint64_t *delta)
{
	if (cur >= prev) {
		*delta = cur - prev;
		return true;
	}
	if (bits == 32 && prev <= UINT32_MAX) {
		*delta = cur + (UINT64_C(1) << 32) - prev;
		return true;
	}
	*delta = 0;
	return false;
}

static uint64_t clamp_delta(uint64_t prev, uint64_t cur)
{
	return cur > prev ? cur - prev : 0;
}

/* ticks * 1000 / clk_tck without overflow; saturates. */
static uint64_t ticks_to_ms(uint64_t ticks, unsigned long clk_tck)
{
	uint64_t q = ticks / clk_tck, r = ticks % clk_tck;

	if (q > UINT64_MAX / 1000)
		return UINT64_MAX;
	return q * 1000 + r * 1000 / clk_tck;
}

void rsc_cpu_delta(const struct rsc_cpu_times *prev, const struct rsc_cpu_times *cur,
		   unsigned long clk_tck, struct rsc_cpu_delta *out)
{
	uint64_t d[8] = {
		clamp_delta(prev->user, cur->user), clamp_delta(prev->nice, cur->nice),
		clamp_delta(prev->system, cur->system), clamp_delta(prev->idle, cur->idle),
		clamp_delta(prev->iowait, cur->iowait), clamp_delta(prev->irq, cur->irq),
		clamp_delta(prev->softirq, cur->softirq), clamp_delta(prev->steal, cur->steal),
	};
	/* in double: a sum of 64-bit deltas may not fit 64 bits */
	double idle = (double)d[3] + (double)d[4];
	double busy = (double)d[0] + (double)d[1] + (double)d[2] + (double)d[5] +
		      (double)d[6] + (double)d[7];

	if (clk_tck == 0)
		clk_tck = 100;
	out->user_ms = ticks_to_ms(d[0], clk_tck);
	out->nice_ms = ticks_to_ms(d[1], clk_tck);
	out->system_ms = ticks_to_ms(d[2], clk_tck);
	out->idle_ms = ticks_to_ms(d[3], clk_tck);
	out->iowait_ms = ticks_to_ms(d[4], clk_tck);
	out->irq_ms = ticks_to_ms(d[5], clk_tck);
	out->softirq_ms = ticks_to_ms(d[6], clk_tck);
	out->steal_ms = ticks_to_ms(d[7], clk_tck);
	out->util = busy + idle > 0 ? busy * 100.0 / (busy + idle) : 0.0;
	if (out->util > 100.0)
		out->util = 100.0;	/* rounding of near-2^64 values */
}

/* Per-direction figures: ops/s, kB/s, await (ms), request size (kB). */
static void direction(uint64_t ios, uint64_t sectors, uint64_t ticks, double secs,
		      double *speed, double *kbps, double *await, double *req)
{
	*speed = (double)ios / secs;
	*kbps = (double)sectors / 2.0 / secs;
	*await = ios ? (double)ticks / (double)ios : 0.0;
	*req = ios ? (double)sectors / 2.0 / (double)ios : 0.0;
}

int rsc_iostat(const struct rsc_disk *prev, const struct rsc_disk *cur, uint64_t dt_ns,
	       struct rsc_iostat *out)
{
	uint64_t rd_ios, rd_sec, rd_ticks, wr_ios, wr_sec, wr_ticks, io_ticks, queue;
	double ms = (double)dt_ns / NS_PER_MS;

	if (dt_ns == 0 ||
	    !rsc_counter_delta(prev->rd_ios, cur->rd_ios, 64, &rd_ios) ||
	    !rsc_counter_delta(prev->rd_sectors, cur->rd_sectors, 64, &rd_sec) ||
	    !rsc_counter_delta(prev->rd_ticks, cur->rd_ticks, 32, &rd_ticks) ||
	    !rsc_counter_delta(prev->wr_ios, cur->wr_ios, 64, &wr_ios) ||
	    !rsc_counter_delta(prev->wr_sectors, cur->wr_sectors, 64, &wr_sec) ||
	    !rsc_counter_delta(prev->wr_ticks, cur->wr_ticks, 32, &wr_ticks) ||
	    !rsc_counter_delta(prev->io_ticks, cur->io_ticks, 32, &io_ticks) ||
	    !rsc_counter_delta(prev->time_in_queue, cur->time_in_queue, 32, &queue))
		return -1;
	direction(rd_ios, rd_sec, rd_ticks, ms / 1000.0,
		  &out->rspeed, &out->rspeed_kb, &out->r_await, &out->rareq);
	direction(wr_ios, wr_sec, wr_ticks, ms / 1000.0,
		  &out->wspeed, &out->wspeed_kb, &out->w_await, &out->wareq);
	out->aqu = (double)queue / ms;
	out->util = (double)io_ticks * 100.0 / ms;
	if (out->util > 100.0)
		out->util = 100.0;
	return 0;
}

int rsc_nic_delta(const struct rsc_nic *prev, const struct rsc_nic *cur, uint64_t dt_ns,
		  struct rsc_nic_delta *out)
{
	double secs = (double)dt_ns / 1e9;

	if (dt_ns == 0 ||
	    !rsc_counter_delta(prev->rx_bytes, cur->rx_bytes, 64, &out->rx_bytes) ||
	    !rsc_counter_delta(prev->rx_packets, cur->rx_packets, 64, &out->rx_packets) ||
	    !rsc_counter_delta(prev->rx_errs, cur->rx_errs, 64, &out->rx_errs) ||
	    !rsc_counter_delta(prev->rx_dropped, cur->rx_dropped, 64, &out->rx_dropped) ||
	    !rsc_counter_delta(prev->tx_bytes, cur->tx_bytes, 64, &out->tx_bytes) ||
	    !rsc_counter_delta(prev->tx_packets, cur->tx_packets, 64, &out->tx_packets) ||
	    !rsc_counter_delta(prev->tx_errs, cur->tx_errs, 64, &out->tx_errs) ||
	    !rsc_counter_delta(prev->tx_dropped, cur->tx_dropped, 64, &out->tx_dropped))
		return -1;
	out->rx_kbps = (double)out->rx_bytes / 1024.0 / secs;
	out->tx_kbps = (double)out->tx_bytes / 1024.0 / secs;
	return 0;
}
