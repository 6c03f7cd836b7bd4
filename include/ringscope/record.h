/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * record.h - the 64-byte record every producer (BPF, kmod, user space) writes
 * into a ring slot, and the table of record types.
 *
 * Shared ABI: compiled by clang -target bpf, by the kernel and by user space.
 * No libc, fixed-width types only, little-endian, naturally aligned.
 *
 * Layout (one cache line):
 *
 *   offset  0  __u64 ts_cpu   bits  0..47 timestamp (ktime ns, low 48 bits)
 *                             bits 48..63 cpu the producer ran on
 *   offset  8  __u64 ctl      the publication word, stored LAST by the producer
 *                             with an atomic exchange:
 *                             bits  0..7  lap tag (ring.h: which lap of the
 *                                         ring this slot was written in)
 *                             bits  8..15 record type (enum rs_record_type)
 *                             bits 16..19 payload version of that type
 *                             bits 20..41 tgid
 *                             bits 42..63 pid (thread id)
 *   offset 16  48-byte payload union, one struct per record type.
 *
 * Why packed words: the ring protocol needs the slot's sequence inside the
 * slot (a separate sequence array would cost a second cache line per record)
 * and the header is 16 bytes. So the timestamp keeps its low 48 bits (78 h of
 * nanoseconds); the consumer restores the high bits from its own clock with
 * rs_ts_restore(), exact for any record younger than 39 h. pid and tgid take
 * 22 bits each, which is exact: the kernel caps pid_max at PID_MAX_LIMIT =
 * 4 * 1024 * 1024 = 2^22 on 64-bit (include/linux/threads.h), so every pid is
 * below 2^22. Storing type, tgid and pid in the publication word means the
 * producer's last store carries the identity and the consumer reads it with
 * the same acquire load that proves the slot is complete.
 *
 * Adding a record type: define its payload struct below (exactly 48 bytes,
 * with _Static_asserts), add one line to RS_RECORD_TYPES. Bump a type's
 * version when its payload changes meaning; decoders check it.
 */
#ifndef RINGSCOPE_RECORD_H
#define RINGSCOPE_RECORD_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define RS_RECORD_SIZE		64
#define RS_RECORD_HEADER_SIZE	16
#define RS_RECORD_PAYLOAD_SIZE	48

#define RS_TS_BITS		48
#define RS_TS_MASK		((1ULL << RS_TS_BITS) - 1)
#define RS_CPU_SHIFT		48

#define RS_CTL_TAG_SHIFT	0
#define RS_CTL_TYPE_SHIFT	8
#define RS_CTL_VERSION_SHIFT	16
#define RS_CTL_TGID_SHIFT	20
#define RS_CTL_PID_SHIFT	42
#define RS_CTL_TAG_MASK		0xffULL
#define RS_CTL_TYPE_MASK	0xffULL
#define RS_CTL_VERSION_MASK	0xfULL
#define RS_PID_BITS		22
#define RS_PID_MASK		((1ULL << RS_PID_BITS) - 1)

/* ---- payloads: exactly 48 bytes each ---------------------------------- */

/*
 * selftest: written by the ring's own tests and benchmarks. Every field is
 * covered by check = rs_selftest_check(), so a torn or mixed-up record is
 * caught.
 */
struct rs_selftest {
	__u64 seq;		/* per-(cpu, producer) sequence number */
	__u32 producer;		/* enum rs_selftest_producer */
	__u32 cpu;		/* cpu the producer ran on */
	__u64 value[3];		/* filler derived from seq */
	__u64 check;		/* checksum of the fields above */
};

enum rs_selftest_producer {
	RS_SELFTEST_TRACEPOINT = 1,
	RS_SELFTEST_PERF_EVENT = 2,
	RS_SELFTEST_USER = 3,
	RS_SELFTEST_BENCH = 4,
};

/* pad: a reserved slot that carries nothing (producer abandoned it). */
struct rs_pad {
	__u64 unused[6];
};

/*
 * Identity of a kernel object (socket, request) as both producers compute
 * it from the object's address: the splitmix64 finalizer, so the address
 * itself is not shown as is, and ids spread well in hash tables. Unique while
 * the object lives; an address (so an id) is reused after the object is
 * freed, which is why the records that end an object's life are decoded as
 * such (tcp state CLOSE, block rq complete/error).
 */
static inline __u64 rs_obj_id(__u64 addr)
{
	addr ^= addr >> 30;
	addr *= 0xbf58476d1ce4e5b9ULL;
	addr ^= addr >> 27;
	addr *= 0x94d049bb133111ebULL;
	addr ^= addr >> 31;
	return addr;
}

#define RS_COMM_LEN		16	/* TASK_COMM_LEN */

/*
 * sched_switch (tracepoint sched:sched_switch, kernel >= 5.18 prototype).
 * The header's tgid/pid are current's, i.e. the previous task's; they are
 * repeated here because for the idle task and kernel threads the payload is
 * what decoders key on. prev_state is the tracepoint's raw prev_state
 * argument (TASK_* bits; 0 = runnable), not the string the trace format
 * prints. next_comm names the incoming task (the outgoing one's name is in
 * its exec record or /proc).
 */
struct rs_sched_switch {
	__u32 prev_pid;
	__u32 prev_tgid;
	__u32 next_pid;
	__u32 next_tgid;
	__s32 prev_prio;	/* task_struct.prio: 0..139, lower is higher */
	__s32 next_prio;
	__u32 prev_state;	/* raw TASK_* bits */
	__u32 flags;		/* RS_SWITCH_F_* */
	char next_comm[RS_COMM_LEN];
};

enum rs_sched_switch_flags {
	RS_SWITCH_F_PREEMPT = 1 << 0,	/* prev was preempted (still runnable) */
};

/*
 * sched_wakeup and sched_wakeup_new: the woken task. The header's identity
 * is the waker (current), the header's cpu the cpu the wakeup ran on.
 */
struct rs_sched_wakeup {
	__u32 pid;
	__u32 tgid;
	__s32 prio;
	__u32 target_cpu;	/* cpu the task will run on (task_cpu()) */
	__u32 flags;		/* RS_WAKEUP_F_* */
	__u32 reserved0;	/* zero */
	char comm[RS_COMM_LEN];
	__u64 reserved1;	/* zero */
};

enum rs_sched_wakeup_flags {
	RS_WAKEUP_F_NEW = 1 << 0,	/* sched_wakeup_new: first wakeup of a fork */
};

/*
 * sched_process_exec: a successful execve. comm is the new one (basename of
 * the file); the full path is not carried (the agent reads /proc/pid/exe).
 * uid/gid are the real ids in the initial user namespace, cgroup_id the
 * task's cgroup v2 id (inode number of its cgroupfs directory), as
 * bpf_get_current_uid_gid() and bpf_get_current_cgroup_id() return them.
 */
struct rs_proc_exec {
	__u32 pid;
	__u32 tgid;
	__u32 old_pid;		/* pid before exec (differs if a thread exec'd) */
	__u32 ppid;		/* tgid of the real parent */
	__u32 uid;
	__u32 gid;
	char comm[RS_COMM_LEN];
	__u64 cgroup_id;
};

/*
 * sched_process_exit: a thread exits (do_exit). exit_code is the raw wait
 * status (task_struct.exit_code: code << 8 | signal). start_ns is the
 * thread's start on the ktime monotonic clock, the same clock as record
 * timestamps, so lifetime = ts - start_ns.
 */
struct rs_proc_exit {
	__u32 pid;
	__u32 tgid;
	__u32 ppid;
	__s32 exit_code;
	char comm[RS_COMM_LEN];
	__u64 start_ns;
	__u32 flags;		/* RS_EXIT_F_* */
	__u32 reserved;		/* zero */
};

enum rs_proc_exit_flags {
	RS_EXIT_F_GROUP_DEAD = 1 << 0,	/* last thread: the process is gone */
};

/*
 * block_rq_issue, block_rq_complete, block_rq_error: one request of a
 * blk-mq device. rq_id = rs_obj_id(request address) pairs issue and
 * completion. op is the kernel's REQ_OP_* value (the low 8 bits of
 * cmd_flags: 0 read, 1 write, 2 flush, 3 discard, 5 secure erase,
 * 9 write zeroes), stable across kernels; flags are ours (RS_BLK_F_*), mapped
 * from the version-dependent REQ_* bits. error is a negative errno
 * (complete/error), 0 on issue. io_start_ns is the request's
 * io_start_time_ns (ktime monotonic, 0 when the queue does not record it).
 */
#define RS_BLOCK_RQ_FIELDS						\
	__u32 major;							\
	__u32 minor;							\
	__u64 sector;		/* 512-byte units */			\
	__u64 rq_id;							\
	__u32 nr_bytes;		/* issue: request; completion: part */	\
	__s32 error;							\
	__u32 cmd_flags;	/* raw, kernel-version dependent */	\
	__u8 op;		/* REQ_OP_* */				\
	__u8 flags;		/* RS_BLK_F_* */			\
	__u16 reserved;		/* zero */				\
	__u64 io_start_ns

/*
 * One layout, three record types (each type needs its own payload tag in
 * the union). Code handling all three uses struct rs_block_rq: the structs
 * share one common initial sequence, the whole struct.
 */
struct rs_block_rq { RS_BLOCK_RQ_FIELDS; };
struct rs_block_rq_issue { RS_BLOCK_RQ_FIELDS; };
struct rs_block_rq_complete { RS_BLOCK_RQ_FIELDS; };
struct rs_block_rq_error { RS_BLOCK_RQ_FIELDS; };

enum rs_block_flags {
	RS_BLK_F_SYNC = 1 << 0,
	RS_BLK_F_META = 1 << 1,
	RS_BLK_F_FUA = 1 << 2,
	RS_BLK_F_PREFLUSH = 1 << 3,
	RS_BLK_F_RAHEAD = 1 << 4,
};

/*
 * tcp: the socket's identity and full addresses in every record, so one
 * record is enough to name a tcp_link even for sockets older than the probe.
 * sock_id is the socket cookie (bpf_get_socket_cookie() in BPF; the same
 * sock_gen_cookie() through sock_diag_save_cookie() in the kmod): unique,
 * never reused, the one `ss -e` shows. After a socket in TIME_WAIT hands
 * its port to the time-wait socket, its final CLOSE record carries sport 0:
 * the identity is the one of its earlier records. The header's tgid/pid
 * differ by producer: the BPF tcp probe names the socket's owner (the
 * process that connected or accepted it, see bpf/tcp.bpf.c), the kmod the
 * task current when the event ran (meaningful in process context only).
 * Ports in host byte order, addresses in network byte order: AF_INET uses
 * the first 4 bytes (rest zero), AF_INET6 all 16. States are the kernel's TCP_* values
 * (1 ESTABLISHED ... 12 NEW_SYN_RECV).
 */
struct rs_tcp_state {
	__u64 sock_id;
	__u16 family;		/* AF_INET or AF_INET6 */
	__u16 sport;
	__u16 dport;
	__u8 old_state;
	__u8 new_state;
	__u8 saddr[16];
	__u8 daddr[16];
};

/* tcp_retransmit_skb: a segment (or SYN) retransmitted on a socket. */
struct rs_tcp_retransmit {
	__u64 sock_id;
	__u16 family;
	__u16 sport;
	__u16 dport;
	__u8 state;		/* TCP_* at retransmission */
	__u8 reserved;		/* zero */
	__u8 saddr[16];
	__u8 daddr[16];
};

/*
 * tcp socket statistics, cumulative since the socket was created, read from
 * the kernel's own tcp_sock counters by the periodic BPF iter/tcp walk and
 * once more when the socket closes (RS_TCP_F_FINAL), so short-lived
 * connections are not lost. The header's tgid/pid are the socket's owner
 * when known (the process that connected or accepted it), else 0.
 * rx_bytes = tcp_sock.bytes_received, tx_bytes = bytes_acked (payload the
 * peer acknowledged), retrans = total_retrans.
 */
struct rs_tcp_stats {
	__u64 sock_id;
	__u64 rx_bytes;
	__u64 tx_bytes;
	__u32 segs_in;
	__u32 segs_out;
	__u32 retrans;
	__u32 sk_drops;		/* sock.sk_drops: dropped on receive */
	__u32 flags;		/* RS_TCP_F_* */
	__u32 reserved;		/* zero */
};

enum rs_tcp_flags {
	RS_TCP_F_FINAL = 1 << 0,	/* the socket closed: last record */
	RS_TCP_F_CLIENT = 1 << 1,	/* active open (connect) */
	RS_TCP_F_SERVER = 1 << 2,	/* passive open (accept) */
};

/*
 * tcp socket state sampled with the statistics: round-trip time, windows,
 * and the probe's own counters kept in per-socket BPF storage (events the
 * kernel does not count per socket). setup_us: SYN sent to ESTABLISHED for
 * active opens, 0 otherwise.
 */
struct rs_tcp_rtt {
	__u64 sock_id;
	__u32 srtt_us;		/* smoothed RTT, microseconds */
	__u32 rttvar_us;	/* mdev_us: RTT variance estimate */
	__u32 snd_wnd;		/* bytes */
	__u32 rcv_wnd;		/* bytes */
	__u32 snd_cwnd;		/* segments */
	__u32 setup_us;
	__u16 zero_snd_wnd;	/* segments seen with a zero send window */
	__u16 zero_rcv_wnd;	/* ... advertising a zero receive window */
	__u16 resets_sent;
	__u16 resets_received;
	__u16 backlog_drops;	/* skb dropped: socket backlog full */
	__u16 rcvq_full;	/* sock_rcvqueue_full events */
	__u32 flags;		/* RS_TCP_F_* */
};

/*
 * A listening tcp socket (the endpoint entity), sampled by the iter/tcp
 * walk and once more when it stops listening (RS_TCP_F_FINAL).
 * listen_drops is the kernel's own count of connections this listener
 * dropped (sock.sk_drops, which tcp_listendrop() raises with the
 * ListenDrops counter of /proc/net/netstat). (Which of them overflowed the
 * accept queue is not observable per listener: the kernel frees such a SYN
 * without a kfree_skb drop reason, and counts ListenOverflows per netns.)
 */
struct rs_tcp_listen {
	__u64 sock_id;
	__u16 family;
	__u16 port;
	__u32 flags;		/* RS_TCP_F_* */
	__u32 backlog;		/* connections waiting in the accept queue */
	__u32 max_backlog;	/* listen()'s backlog */
	__u32 listen_drops;
	__u32 reserved;		/* zero */
	__u8 addr[16];		/* bound address, network order */
};

/*
 * The table of record types: X(NAME, id, version, payload struct tag).
 * Ids are ABI: never reuse or renumber one. 0x10.. sched/process,
 * 0x20.. block, 0x30.. tcp.
 */
#define RS_RECORD_TYPES(X)					\
	X(PAD,			0x01, 1, rs_pad)		\
	X(SELFTEST,		0x02, 1, rs_selftest)		\
	X(SCHED_SWITCH,		0x10, 1, rs_sched_switch)	\
	X(SCHED_WAKEUP,		0x11, 1, rs_sched_wakeup)	\
	X(PROC_EXEC,		0x12, 1, rs_proc_exec)		\
	X(PROC_EXIT,		0x13, 1, rs_proc_exit)		\
	X(BLOCK_RQ_ISSUE,	0x20, 1, rs_block_rq_issue)	\
	X(BLOCK_RQ_COMPLETE,	0x21, 1, rs_block_rq_complete)	\
	X(BLOCK_RQ_ERROR,	0x22, 1, rs_block_rq_error)	\
	X(TCP_RETRANSMIT,	0x30, 1, rs_tcp_retransmit)	\
	X(TCP_STATE,		0x31, 1, rs_tcp_state)		\
	X(TCP_STATS,		0x32, 1, rs_tcp_stats)		\
	X(TCP_RTT,		0x33, 1, rs_tcp_rtt)		\
	X(TCP_LISTEN,		0x34, 1, rs_tcp_listen)

enum rs_record_type {
	RS_REC_NONE = 0,
#define RS_X_ENUM(name, id, version, tag) RS_REC_##name = id,
	RS_RECORD_TYPES(RS_X_ENUM)
#undef RS_X_ENUM
	RS_REC_MAX = 0xff,
};

enum rs_record_version {
#define RS_X_VER(name, id, version, tag) RS_REC_##name##_VERSION = version,
	RS_RECORD_TYPES(RS_X_VER)
#undef RS_X_VER
};

struct rs_record_header {
	__u64 ts_cpu;	/* timestamp low 48 bits | cpu << 48 */
	__u64 ctl;	/* publication word, see top of file */
};

struct rs_record {
	struct rs_record_header hdr;
	union {
		__u8 raw[RS_RECORD_PAYLOAD_SIZE];
#define RS_X_MEMBER(name, id, version, tag) struct tag tag;
		RS_RECORD_TYPES(RS_X_MEMBER)
#undef RS_X_MEMBER
	} payload;
} __attribute__((aligned(RS_RECORD_SIZE)));

#define RS_X_ASSERT(name, id, version, tag)				\
	_Static_assert(sizeof(struct tag) == RS_RECORD_PAYLOAD_SIZE,	\
		       "payload " #tag " must be 48 bytes");		\
	_Static_assert((version) <= RS_CTL_VERSION_MASK,		\
		       "version of " #tag " must fit 4 bits");		\
	_Static_assert((id) <= RS_CTL_TYPE_MASK, "type id must fit 8 bits");
RS_RECORD_TYPES(RS_X_ASSERT)
#undef RS_X_ASSERT

_Static_assert(sizeof(struct rs_record_header) == RS_RECORD_HEADER_SIZE,
	       "record header is 16 bytes");
_Static_assert(sizeof(struct rs_record) == RS_RECORD_SIZE,
	       "record is one 64-byte cache line");
_Static_assert(__builtin_offsetof(struct rs_record, hdr.ts_cpu) == 0,
	       "ts_cpu at 0");
_Static_assert(__builtin_offsetof(struct rs_record, hdr.ctl) == 8,
	       "ctl at 8");
_Static_assert(__builtin_offsetof(struct rs_record, payload) == 16,
	       "payload at 16");
_Static_assert(__builtin_offsetof(struct rs_selftest, check) == 40,
	       "selftest check at 40");
_Static_assert(RS_CTL_PID_SHIFT + RS_PID_BITS == 64, "ctl bits add up");
_Static_assert(sizeof(struct rs_block_rq) == RS_RECORD_PAYLOAD_SIZE,
	       "block rq payload is 48 bytes");
_Static_assert(__builtin_offsetof(struct rs_block_rq, io_start_ns) == 40,
	       "block io_start_ns at 40");
_Static_assert(__builtin_offsetof(struct rs_sched_switch, next_comm) == 32,
	       "sched_switch next_comm at 32");
_Static_assert(__builtin_offsetof(struct rs_proc_exec, cgroup_id) == 40,
	       "proc_exec cgroup_id at 40");
_Static_assert(__builtin_offsetof(struct rs_tcp_state, saddr) == 16,
	       "tcp_state saddr at 16");
_Static_assert(__builtin_offsetof(struct rs_tcp_retransmit, daddr) == 32,
	       "tcp_retransmit daddr at 32");

_Static_assert(RS_CTL_TGID_SHIFT + RS_PID_BITS == RS_CTL_PID_SHIFT,
	       "tgid sits below pid");

/* ---- header accessors (all pure, usable from BPF, kernel, user space) -- */

static inline __u64 rs_make_ts_cpu(__u64 ts_ns, __u32 cpu)
{
	return (ts_ns & RS_TS_MASK) | ((__u64)(cpu & 0xffff) << RS_CPU_SHIFT);
}

/* ctl without the lap tag; the ring ORs the tag in at publication. */
static inline __u64 rs_make_ctl(__u32 type, __u32 version, __u32 tgid,
				__u32 pid)
{
	return ((__u64)(type & RS_CTL_TYPE_MASK) << RS_CTL_TYPE_SHIFT) |
	       ((__u64)(version & RS_CTL_VERSION_MASK) << RS_CTL_VERSION_SHIFT) |
	       ((__u64)(tgid & RS_PID_MASK) << RS_CTL_TGID_SHIFT) |
	       ((__u64)(pid & RS_PID_MASK) << RS_CTL_PID_SHIFT);
}

/* Same from bpf_get_current_pid_tgid()'s tgid << 32 | pid. */
static inline __u64 rs_make_ctl_pid_tgid(__u32 type, __u32 version,
					 __u64 pid_tgid)
{
	return rs_make_ctl(type, version, (__u32)(pid_tgid >> 32),
			   (__u32)pid_tgid);
}

static inline __u32 rs_ctl_tag(__u64 ctl)
{
	return (__u32)(ctl & RS_CTL_TAG_MASK);
}

static inline __u32 rs_ctl_type(__u64 ctl)
{
	return (__u32)((ctl >> RS_CTL_TYPE_SHIFT) & RS_CTL_TYPE_MASK);
}

static inline __u32 rs_ctl_version(__u64 ctl)
{
	return (__u32)((ctl >> RS_CTL_VERSION_SHIFT) & RS_CTL_VERSION_MASK);
}

static inline __u32 rs_ctl_tgid(__u64 ctl)
{
	return (__u32)((ctl >> RS_CTL_TGID_SHIFT) & RS_PID_MASK);
}

static inline __u32 rs_ctl_pid(__u64 ctl)
{
	return (__u32)((ctl >> RS_CTL_PID_SHIFT) & RS_PID_MASK);
}

static inline __u32 rs_record_cpu(const struct rs_record *r)
{
	return (__u32)(r->hdr.ts_cpu >> RS_CPU_SHIFT);
}

/*
 * Restore a full 64-bit timestamp from its low 48 bits, given a reference
 * time on the same clock (the consumer's CLOCK_MONOTONIC, or a replay
 * file's capture time). Picks the value nearest the reference, so it is
 * exact for records up to 2^47 ns (39 h) either side of it.
 */
static inline __u64 rs_ts_restore(__u64 ts_cpu, __u64 ref_ns)
{
	__u64 low = ts_cpu & RS_TS_MASK;
	__u64 diff = (low - ref_ns) & RS_TS_MASK;	/* forward distance */

	if (diff & (1ULL << (RS_TS_BITS - 1)))		/* record is older */
		return ref_ns - (((ref_ns - low) & RS_TS_MASK));
	return ref_ns + diff;
}

/* Checksum of a selftest payload: every field contributes, order matters. */
static inline __u64 rs_selftest_check(const struct rs_selftest *p)
{
	__u64 h = 0x9e3779b97f4a7c15ULL;

	h = (h ^ p->seq) * 0x100000001b3ULL;
	h = (h ^ (((__u64)p->producer << 32) | p->cpu)) * 0x100000001b3ULL;
	h = (h ^ p->value[0]) * 0x100000001b3ULL;
	h = (h ^ p->value[1]) * 0x100000001b3ULL;
	h = (h ^ p->value[2]) * 0x100000001b3ULL;
	return h;
}

/* Fill a selftest payload for (seq, producer, cpu) deterministically. */
static inline void rs_selftest_fill(struct rs_selftest *p, __u64 seq,
				    __u32 producer, __u32 cpu)
{
	p->seq = seq;
	p->producer = producer;
	p->cpu = cpu;
	p->value[0] = seq * 0x9e3779b97f4a7c15ULL;
	p->value[1] = ~seq;
	p->value[2] = seq ^ ((__u64)cpu << 40) ^ ((__u64)producer << 56);
	p->check = rs_selftest_check(p);
}

#endif /* RINGSCOPE_RECORD_H */
