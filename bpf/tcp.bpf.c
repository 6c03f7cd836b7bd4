// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * tcp.bpf.c - the tcp_link probe: socket lifecycle and per-socket statistics
 * of TCP connections, without a record per packet.
 *
 * - tp_btf/inet_sock_set_state: every state change of a TCP socket becomes a
 *   TCP_STATE record (addresses included, so one record names the link);
 *   SYN_SENT -> ESTABLISHED times the connection setup; the move to CLOSE
 *   first emits the socket's final statistics (RS_TCP_F_FINAL), so a
 *   connection shorter than the walk interval is still counted.
 * - iter/tcp: the agent reads this iterator once per interval; it emits
 *   TCP_STATS and TCP_RTT for every established socket from the kernel's own
 *   tcp_sock counters (bytes, segments, retransmissions, RTT, windows), and
 *   a TCP_STATE record the first time it meets a socket opened before the
 *   probe started.
 * - tp_btf/tcp_send_reset, tcp_receive_reset, sock_rcvqueue_full,
 *   tcp_probe: counters the kernel keeps nowhere per socket, in per-socket
 *   BPF storage, reported in TCP_RTT.
 * - owner: the process that connected (SYN_SENT runs in its context) or
 *   accepted (sys_exit_accept4/accept: fd -> file -> socket) the socket,
 *   kept in an LRU map keyed by the socket; records name it as their task.
 *
 * Kernel: tp_btf and bpf_sk_storage from tracing programs need 5.11;
 * bpf_iter/tcp needs 5.9.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "ring.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define AF_INET 2
#define AF_INET6 10
#define IPPROTO_TCP 6

/* Count zero windows on every received segment (tcp_probe): off by default
 * since it runs per packet. */
const volatile bool count_zero_windows = false;

struct tcp_sock_state {
	__u64 syn_ns;		/* when SYN was sent */
	__u32 setup_us;
	__u32 flags;		/* RS_TCP_F_CLIENT/SERVER, TCP_ANNOUNCED */
	__u16 zero_snd_wnd;
	__u16 zero_rcv_wnd;
	__u16 resets_sent;
	__u16 resets_received;
	__u16 backlog_drops;
	__u16 rcvq_full;
};

#define TCP_ANNOUNCED (1U << 31)	/* the agent has its TCP_STATE */
#define TCP_SYN_ACKED (1U << 30)	/* active open: our SYN was acked */
#define TCP_PRIVATE_FLAGS (TCP_ANNOUNCED | TCP_SYN_ACKED)
#define SEND_SHUTDOWN 2

/*
 * Payload counts. The kernel's bytes_acked counts our SYN (active open) and
 * our FIN once acknowledged, bytes_received the peer's FIN; take them out:
 * the FIN was received when tcp_fin() set SOCK_DONE, ours was sent when
 * the send side is shut down and acknowledged when snd_una reached
 * write_seq. (State changes alone cannot tell: an orphaned socket in
 * FIN_WAIT2 closes before the peer's FIN arrives.)
 */
static __always_inline __u64 payload_received(const struct tcp_sock *tp)
{
	const struct sock *sk = (const struct sock *)tp;
	__u64 done = 1ULL << bpf_core_enum_value(enum sock_flags, SOCK_DONE);

	return tp->bytes_received - !!(sk->__sk_common.skc_flags & done);
}

static __always_inline __u64 payload_acked(const struct tcp_sock *tp, __u32 seq_flags)
{
	const struct sock *sk = (const struct sock *)tp;
	int fin_acked = (sk->sk_shutdown & SEND_SHUTDOWN) && tp->snd_una == tp->write_seq;

	return tp->bytes_acked - !!(seq_flags & TCP_SYN_ACKED) - fin_acked;
}

struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct tcp_sock_state);
} tcp_sock_states SEC(".maps");

/* socket address -> owner's pid_tgid; capped, least recently used go */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64);
	__type(value, __u64);
} tcp_owners SEC(".maps");

/* The socket's address as a map key (the verifier forbids arithmetic on a
 * socket pointer, but a privileged program may use its value as a key). */
static __always_inline __u64 sock_key(const void *sk)
{
	__u64 key;

	__builtin_memcpy(&key, &sk, sizeof(key));
	return key;
}

static __always_inline __u64 owner_of(const void *sk)
{
	__u64 key = sock_key(sk), *owner = bpf_map_lookup_elem(&tcp_owners, &key);

	return owner ? *owner : 0;
}

/* Records name a socket by its cookie: unique, never reused. */
static __always_inline __u64 sock_id(const void *sk)
{
	return bpf_get_socket_cookie((void *)sk);
}

static __always_inline struct tcp_sock_state *state_of(const struct sock *sk)
{
	return bpf_sk_storage_get(&tcp_sock_states, (struct sock *)sk, NULL,
				  BPF_SK_STORAGE_GET_F_CREATE);
}

static __always_inline int is_tcp_inet(const struct sock *sk)
{
	__u16 family = sk->__sk_common.skc_family;

	return sk->sk_protocol == IPPROTO_TCP &&
	       (family == AF_INET || family == AF_INET6);
}

/*
 * The local port comes from inet_sport, which outlives skc_num: a socket
 * handing its port to a time-wait socket has skc_num cleared before its
 * move to CLOSE.
 */
static __always_inline void fill_addresses(const struct sock_common *skc,
					   const struct tcp_sock *tp,
					   __u16 *family, __u16 *sport,
					   __u16 *dport, __u8 *saddr,
					   __u8 *daddr)
{
	*family = skc->skc_family;
	*sport = tp ? bpf_ntohs(tp->inet_conn.icsk_inet.inet_sport) : skc->skc_num;
	*dport = bpf_ntohs(skc->skc_dport);
	if (*family == AF_INET) {
		__builtin_memset(saddr, 0, 16);
		__builtin_memset(daddr, 0, 16);
		__builtin_memcpy(saddr, &skc->skc_rcv_saddr, 4);
		__builtin_memcpy(daddr, &skc->skc_daddr, 4);
	} else {
		BPF_CORE_READ_INTO(saddr, skc, skc_v6_rcv_saddr.in6_u.u6_addr8);
		BPF_CORE_READ_INTO(daddr, skc, skc_v6_daddr.in6_u.u6_addr8);
	}
}

static __always_inline void emit_state(const struct sock *sk,
				       const struct tcp_sock *tp, int old_state,
				       int new_state)
{
	struct rs_tcp_state *p;
	struct rs_emit e;

	p = rs_emit_begin(&e, RS_REC_TCP_STATE);
	if (!p)
		return;
	p->sock_id = sock_id(sk);
	p->old_state = (__u8)old_state;
	p->new_state = (__u8)new_state;
	fill_addresses(&sk->__sk_common, tp, &p->family, &p->sport, &p->dport,
		       p->saddr, p->daddr);
	rs_emit_end_as(&e, owner_of(sk));
}

static __always_inline void emit_stats(const struct tcp_sock *tp,
				       const struct tcp_sock_state *st,
				       __u32 final)
{
	const struct sock *sk = (const struct sock *)tp;
	__u64 owner = owner_of(sk), id = sock_id(sk);
	__u32 flags = (st ? st->flags & ~TCP_PRIVATE_FLAGS : 0) | final;
	__u32 seq = st ? st->flags : 0;
	struct rs_tcp_stats *s;
	struct rs_tcp_rtt *r;
	struct rs_emit e;

	s = rs_emit_begin(&e, RS_REC_TCP_STATS);
	if (s) {
		s->sock_id = id;
		s->rx_bytes = payload_received(tp);
		s->tx_bytes = payload_acked(tp, seq);
		s->segs_in = tp->segs_in;
		s->segs_out = tp->segs_out;
		s->retrans = tp->total_retrans;
		s->sk_drops = (__u32)sk->sk_drops.counter;
		s->flags = flags;
		s->reserved = 0;
		rs_emit_end_as(&e, owner);
	}
	r = rs_emit_begin(&e, RS_REC_TCP_RTT);
	if (!r)
		return;
	r->sock_id = id;
	r->srtt_us = tp->srtt_us >> 3;		/* kept scaled by 8 */
	r->rttvar_us = tp->mdev_us >> 2;	/* kept scaled by 4 */
	r->snd_wnd = tp->snd_wnd;
	r->rcv_wnd = tp->rcv_wnd;
	r->snd_cwnd = tp->snd_cwnd;
	r->flags = flags;
	if (st) {
		r->setup_us = st->setup_us;
		r->zero_snd_wnd = st->zero_snd_wnd;
		r->zero_rcv_wnd = st->zero_rcv_wnd;
		r->resets_sent = st->resets_sent;
		r->resets_received = st->resets_received;
		r->backlog_drops = st->backlog_drops;
		r->rcvq_full = st->rcvq_full;
	} else {
		r->setup_us = 0;
		r->zero_snd_wnd = r->zero_rcv_wnd = 0;
		r->resets_sent = r->resets_received = 0;
		r->backlog_drops = r->rcvq_full = 0;
	}
	rs_emit_end_as(&e, owner);
}

/* A listener's state: accept backlog and drops. */
static __always_inline void emit_listen(const struct sock *sk, __u32 final)
{
	const struct sock_common *skc = &sk->__sk_common;
	struct rs_tcp_listen *l;
	struct rs_emit e;

	l = rs_emit_begin(&e, RS_REC_TCP_LISTEN);
	if (!l)
		return;
	l->sock_id = sock_id(sk);
	l->family = skc->skc_family;
	l->port = skc->skc_num;
	l->flags = final;
	l->backlog = sk->sk_ack_backlog;
	l->max_backlog = sk->sk_max_ack_backlog;
	l->listen_drops = (__u32)sk->sk_drops.counter;
	l->reserved = 0;
	if (l->family == AF_INET) {
		__builtin_memset(l->addr, 0, 16);
		__builtin_memcpy(l->addr, &skc->skc_rcv_saddr, 4);
	} else {
		BPF_CORE_READ_INTO(&l->addr, skc, skc_v6_rcv_saddr.in6_u.u6_addr8);
	}
	rs_emit_end_as(&e, owner_of(sk));
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(tcp_set_state, const struct sock *sk, const int old_state,
	     const int new_state)
{
	struct tcp_sock_state *st;
	struct tcp_sock *tp;
	__u64 key = sock_key(sk);

	if (!is_tcp_inet(sk))
		return 0;
	st = state_of(sk);
	tp = bpf_skc_to_tcp_sock((void *)sk);
	if (new_state == TCP_SYN_SENT) {
		__u64 owner = bpf_get_current_pid_tgid();

		bpf_map_update_elem(&tcp_owners, &key, &owner, BPF_ANY);
		if (st) {
			st->syn_ns = bpf_ktime_get_ns();
			st->flags |= RS_TCP_F_CLIENT;
		}
	} else if (new_state == TCP_ESTABLISHED && st) {
		if (old_state == TCP_SYN_SENT) {
			st->flags |= TCP_SYN_ACKED;
			if (st->syn_ns)
				st->setup_us = (__u32)((bpf_ktime_get_ns() - st->syn_ns) / 1000);
		} else if (old_state == TCP_SYN_RECV) {
			st->flags |= RS_TCP_F_SERVER;
		}
	}
	if (new_state == TCP_CLOSE && old_state == TCP_LISTEN)
		emit_listen(sk, RS_TCP_F_FINAL);
	else if (new_state == TCP_CLOSE && tp && st && (st->flags & TCP_ANNOUNCED))
		emit_stats(tp, st, RS_TCP_F_FINAL);
	emit_state(sk, tp, old_state, new_state);
	if (st)
		st->flags |= TCP_ANNOUNCED;
	if (new_state == TCP_CLOSE)
		bpf_map_delete_elem(&tcp_owners, &key);
	return 0;
}

SEC("iter/tcp")
int tcp_walk(struct bpf_iter__tcp *ctx)
{
	struct sock_common *skc = ctx->sk_common;
	struct tcp_sock_state *st;
	struct tcp_sock *tp;
	int state;

	if (!skc)
		return 0;
	tp = bpf_skc_to_tcp_sock(skc);
	if (!tp)
		return 0;			/* time-wait, request sockets */
	state = skc->skc_state;
	if (state == TCP_CLOSE)
		return 0;
	st = state_of((struct sock *)tp);
	if (state == TCP_LISTEN) {
		emit_listen((struct sock *)tp, 0);
		return 0;
	}
	if (st && !(st->flags & TCP_ANNOUNCED)) {
		emit_state((struct sock *)tp, tp, 0, state);
		st->flags |= TCP_ANNOUNCED;
	}
	emit_stats(tp, st, 0);
	return 0;
}

/* Owner of an accepted socket: fd -> file -> socket -> sock. */
static __always_inline void note_accept(long fd)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct file **fds, *file;
	struct socket *sock;
	unsigned int max_fds;
	__u64 key, owner;

	if (fd < 0)
		return;
	max_fds = BPF_CORE_READ(task, files, fdt, max_fds);
	if ((unsigned long)fd >= max_fds)
		return;
	fds = BPF_CORE_READ(task, files, fdt, fd);
	if (bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]) || !file)
		return;
	sock = BPF_CORE_READ(file, private_data);
	key = (__u64)BPF_CORE_READ(sock, sk);
	if (!key)
		return;
	owner = bpf_get_current_pid_tgid();
	bpf_map_update_elem(&tcp_owners, &key, &owner, BPF_ANY);
}

SEC("tracepoint/syscalls/sys_exit_accept4")
int tcp_accept4_exit(struct trace_event_raw_sys_exit *ctx)
{
	note_accept(ctx->ret);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_accept")
int tcp_accept_exit(struct trace_event_raw_sys_exit *ctx)
{
	note_accept(ctx->ret);
	return 0;
}

SEC("tp_btf/tcp_send_reset")
int BPF_PROG(tcp_send_reset, const struct sock *sk, const struct sk_buff *skb)
{
	struct tcp_sock_state *st;

	if (!sk || !is_tcp_inet(sk))
		return 0;
	st = state_of(sk);
	if (st)
		st->resets_sent++;
	return 0;
}

SEC("tp_btf/tcp_receive_reset")
int BPF_PROG(tcp_receive_reset, struct sock *sk)
{
	struct tcp_sock_state *st;

	if (!is_tcp_inet(sk))
		return 0;
	st = state_of(sk);
	if (st)
		st->resets_received++;
	return 0;
}

SEC("tp_btf/sock_rcvqueue_full")
int BPF_PROG(tcp_rcvqueue_full, struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock_state *st;

	if (!is_tcp_inet(sk))
		return 0;
	st = state_of(sk);
	if (st)
		st->rcvq_full++;
	return 0;
}

/*
 * Dropped packets whose receiving socket the kernel names (rx_sk, 6.10+):
 * backlog drops of a connection (SOCKET_BACKLOG). Not yet exercised by a
 * test: it needs a socket whose owner holds its lock while a flood fills
 * the backlog.
 */
SEC("tp_btf/kfree_skb")
int BPF_PROG(tcp_drop, struct sk_buff *skb, void *location,
	     enum skb_drop_reason reason, struct sock *rx_sk)
{
	struct tcp_sock_state *st;

	if (!rx_sk || !is_tcp_inet(rx_sk))
		return 0;
	if (reason == bpf_core_enum_value(enum skb_drop_reason, SKB_DROP_REASON_SOCKET_BACKLOG)) {
		st = state_of(rx_sk);
		if (st)
			st->backlog_drops++;
	}
	return 0;
}

SEC("tp_btf/tcp_probe")
int BPF_PROG(tcp_probe, struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock_state *st;
	struct tcp_sock *tp;

	if (!count_zero_windows)
		return 0;
	tp = bpf_skc_to_tcp_sock(sk);
	if (!tp)
		return 0;
	st = state_of(sk);
	if (!st)
		return 0;
	if (tp->snd_wnd == 0)
		st->zero_snd_wnd++;
	if (tp->rcv_wnd == 0)
		st->zero_rcv_wnd++;
	return 0;
}
