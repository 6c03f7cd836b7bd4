// SPDX-License-Identifier: GPL-2.0
/* probe_tcp.c - tcp group: retransmissions and socket state changes. */
#include <linux/in.h>
#include <linux/ipv6.h>
#include <linux/sock_diag.h>
#include <linux/string.h>
#include <linux/tcp.h>
#include <net/sock.h>
#include <trace/events/sock.h>
#include <trace/events/tcp.h>

#include "ringscope.h"

static void __maybe_unused rs_tcp_check_types(void)
{
	check_trace_callback_type_tcp_retransmit_skb(rs_probe_tcp_retransmit_skb);
	check_trace_callback_type_inet_sock_set_state(rs_probe_inet_sock_set_state);
}

/*
 * The socket cookie, assigned on first use, as bpf_get_socket_cookie()
 * returns it (the BPF tcp probe's sock_id): sock_gen_cookie() itself is
 * not exported, sock_diag_save_cookie() wraps it.
 */
static __always_inline u64 rs_sock_cookie(const struct sock *sk)
{
	u32 cookie[2];

	sock_diag_save_cookie((struct sock *)sk, cookie);
	return (u64)cookie[1] << 32 | cookie[0];
}

/*
 * The socket part shared by both tcp records (same offsets in both):
 * sport = skc_num, dport = ntohs(skc_dport), addresses from sock_common,
 * as the BPF tcp probe reads them.
 */
static __always_inline void rs_tcp_fill(const struct sock *sk, u64 *sock_id,
					u16 *family, u16 *sport, u16 *dport,
					u8 *saddr, u8 *daddr)
{
	*sock_id = rs_sock_cookie(sk);
	*family = sk->sk_family;
	*sport = sk->sk_num;
	*dport = ntohs(sk->sk_dport);
	memset(saddr, 0, 16);
	memset(daddr, 0, 16);
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6) {
		memcpy(saddr, &sk->sk_v6_rcv_saddr, 16);
		memcpy(daddr, &sk->sk_v6_daddr, 16);
		return;
	}
#endif
	memcpy(saddr, &sk->sk_rcv_saddr, 4);
	memcpy(daddr, &sk->sk_daddr, 4);
}

void rs_probe_tcp_retransmit_skb(void *data, const struct sock *sk,
				 const struct sk_buff *skb)
{
	struct rs_tcp_retransmit *p;
	struct rs_emit e;

	p = rs_emit_begin(&e, RS_REC_TCP_RETRANSMIT);
	if (!p)
		return;
	rs_tcp_fill(sk, &p->sock_id, &p->family, &p->sport, &p->dport,
		    p->saddr, p->daddr);
	p->state = sk->sk_state;
	p->reserved = 0;
	rs_emit_end(&e, RS_REC_TCP_RETRANSMIT_VERSION);
}

void rs_probe_inet_sock_set_state(void *data, const struct sock *sk,
				  const int oldstate, const int newstate)
{
	struct rs_tcp_state *p;
	struct rs_emit e;

	if (sk->sk_protocol != IPPROTO_TCP)
		return;
	p = rs_emit_begin(&e, RS_REC_TCP_STATE);
	if (!p)
		return;
	rs_tcp_fill(sk, &p->sock_id, &p->family, &p->sport, &p->dport,
		    p->saddr, p->daddr);
	p->old_state = oldstate;
	p->new_state = newstate;
	rs_emit_end(&e, RS_REC_TCP_STATE_VERSION);
}
