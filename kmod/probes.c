// SPDX-License-Identifier: GPL-2.0
/* probes.c - find the tracepoints by name and (un)register probe groups. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/tracepoint.h>

#include "ringscope.h"

struct rs_tracepoint {
	const char *name;
	void *probe;
	u32 group;
	struct tracepoint *tp;	/* NULL: this kernel does not have it */
};

/*
 * The same tracepoints the BPF probes attach to. Their core tracepoint
 * symbols are not exported to modules, so they are found by name.
 */
static struct rs_tracepoint rs_tracepoints[] = {
	{ "sched_switch", rs_probe_sched_switch, RS_KMOD_GROUP_SCHED },
	{ "sched_wakeup", rs_probe_sched_wakeup, RS_KMOD_GROUP_SCHED },
	{ "sched_wakeup_new", rs_probe_sched_wakeup_new, RS_KMOD_GROUP_SCHED },
	{ "sched_process_exec", rs_probe_sched_process_exec,
	  RS_KMOD_GROUP_SCHED },
	{ "sched_process_exit", rs_probe_sched_process_exit,
	  RS_KMOD_GROUP_SCHED },
	{ "block_rq_issue", rs_probe_block_rq_issue, RS_KMOD_GROUP_BLOCK },
	{ "block_rq_complete", rs_probe_block_rq_complete,
	  RS_KMOD_GROUP_BLOCK },
	{ "block_rq_error", rs_probe_block_rq_error, RS_KMOD_GROUP_BLOCK },
	{ "tcp_retransmit_skb", rs_probe_tcp_retransmit_skb,
	  RS_KMOD_GROUP_TCP },
	{ "inet_sock_set_state", rs_probe_inet_sock_set_state,
	  RS_KMOD_GROUP_TCP },
};

static u32 rs_available;
static u32 rs_enabled;

static void rs_match_tracepoint(struct tracepoint *tp, void *priv)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rs_tracepoints); i++)
		if (!strcmp(tp->name, rs_tracepoints[i].name))
			rs_tracepoints[i].tp = tp;
}

int rs_probes_init(void)
{
	size_t i;

	for_each_kernel_tracepoint(rs_match_tracepoint, NULL);
	rs_available = RS_KMOD_GROUPS_ALL;
	for (i = 0; i < ARRAY_SIZE(rs_tracepoints); i++) {
		if (rs_tracepoints[i].tp)
			continue;
		pr_info("tracepoint %s not found, group 0x%x unavailable\n",
			rs_tracepoints[i].name, rs_tracepoints[i].group);
		rs_available &= ~rs_tracepoints[i].group;
	}
	return rs_available ? 0 : -ENOENT;
}

u32 rs_probes_available(void)
{
	return rs_available;
}

u32 rs_probes_enabled(void)
{
	return rs_enabled;
}

static void rs_unregister(u32 groups)
{
	struct rs_tracepoint *t;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rs_tracepoints); i++) {
		t = &rs_tracepoints[i];
		if (t->group & groups)
			WARN_ON_ONCE(tracepoint_probe_unregister(t->tp, t->probe,
								 NULL));
	}
}

/* Caller holds the device lock; groups are available and not enabled. */
static int rs_register(u32 groups)
{
	struct rs_tracepoint *t;
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(rs_tracepoints); i++) {
		t = &rs_tracepoints[i];
		if (!(t->group & groups))
			continue;
		ret = tracepoint_probe_register(t->tp, t->probe, NULL);
		if (ret)
			goto err_unwind;
	}
	return 0;

err_unwind:
	while (i--) {
		t = &rs_tracepoints[i];
		if (t->group & groups)
			tracepoint_probe_unregister(t->tp, t->probe, NULL);
	}
	tracepoint_synchronize_unregister();
	return ret;
}

int rs_probes_enable(u32 groups)
{
	int ret;

	groups &= ~rs_enabled;
	if (!groups)
		return 0;
	ret = rs_register(groups);
	if (!ret)
		rs_enabled |= groups;
	return ret;
}

/*
 * Returns once no probe of these groups runs anywhere, so the rings may be
 * freed or replaced afterwards.
 */
void rs_probes_disable(u32 groups)
{
	groups &= rs_enabled;
	if (!groups)
		return;
	rs_unregister(groups);
	rs_enabled &= ~groups;
	tracepoint_synchronize_unregister();
}
