// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * rs_kmod_test.c - the guest half of `make test-kmod`: drives /dev/ringscope
 * inside the qemu guest, consumes the module's records with the shm
 * library, and prints "RSTEST PASS|FAIL|SKIP name[: why]" and
 * "RSTEST FIGURE key=value" lines for tests/kmod/run-qemu.sh to check.
 *
 * Built static (the guest has only busybox). Needs root, ringscope.ko
 * loaded, loopback up; the block checks need /dev/nullb0 (null_blk, 64 MiB,
 * memory backed, sectors 1024-1031 bad), set up by the guest's init.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "kmod_rings.h"
#include "kmod_twin.skel.h"

#define BLOCK_DEV	"/dev/nullb0"
#define BAD_SECTOR	1024	/* guest init: badblocks +1024-1031 */
#define WRITE_SECTOR	16
#define TCP_SYN_SENT_	2
#define TCP_ESTABLISHED_ 1
#define TCP_CLOSE_	7

static int test_failed;
static char skip_reason[256];

static void note(const char *test, const char *fmt, ...)
{
	va_list ap;

	printf("RSTEST NOTE %s: ", test);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

#define CHECK(cond, ...)						\
	do {								\
		if (!(cond)) {						\
			note(__func__, "check failed: %s", #cond);	\
			note(__func__, __VA_ARGS__);			\
			test_failed = 1;				\
		}							\
	} while (0)

static void figure(const char *key, unsigned long long value)
{
	printf("RSTEST FIGURE %s=%llu\n", key, value);
	fflush(stdout);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static pid_t gettid_(void)
{
	return (pid_t)syscall(SYS_gettid);
}

static void pin_to_cpu(pthread_t th, unsigned int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	pthread_setaffinity_np(th, sizeof(set), &set);
}

/* ---- a session: open, hello, set ring, map ----------------------------- */

static int session_open(struct rs_ring_set *set, unsigned int order,
			unsigned int watermark, const char *test)
{
	char err[256];
	int fd, ret;

	fd = rs_kmod_open(NULL, err, sizeof(err));
	if (fd < 0) {
		note(test, "%s", err);
		return fd;
	}
	ret = rs_kmod_set_ring(fd, order, watermark, err, sizeof(err));
	if (!ret)
		ret = rs_ring_set_from_kmod(set, fd, err, sizeof(err));
	if (ret) {
		note(test, "%s", err);
		close(fd);
		return ret;
	}
	return 0;
}

/* ---- record checks ------------------------------------------------------ */

struct seen {
	uint64_t count[256];
	uint64_t consumed;
	uint64_t bad_version, bad_cpu, bad_time, bad_switch;
	uint64_t ref_ns;
	/* sched */
	pid_t child, parent, sleeper;
	int exec_ok, exit_ok, wakeup_ok;
	/* block */
	dev_t blkdev;
	uint64_t write_rq_id;
	int issue_ok, complete_ok, error_ok, rq_pair_ok;
	/* tcp */
	uint16_t port1, port2, client1;
	uint64_t syn_sent_id, established_id;
	int established_ok, retransmit_ok, addr_ok;
};

static uint32_t version_of(uint32_t type)
{
	switch (type) {
#define X_CASE(name, id, version, tag) case id: return version;
	RS_RECORD_TYPES(X_CASE)
#undef X_CASE
	}
	return 0;
}

static const char *name_of(uint32_t type)
{
	switch (type) {
#define X_NAME(name, id, version, tag) case id: return #name;
	RS_RECORD_TYPES(X_NAME)
#undef X_NAME
	}
	return NULL;
}

static bool is_loopback(const uint8_t *addr)
{
	static const uint8_t lo[16] = { 127, 0, 0, 1 };

	return !memcmp(addr, lo, 16);
}

static void check_sched(struct seen *s, uint64_t ctl, const struct rs_record *r)
{
	uint32_t type = rs_ctl_type(ctl);

	if (type == RS_REC_SCHED_SWITCH) {
		const struct rs_sched_switch *p = &r->payload.rs_sched_switch;

		/* sched_switch runs in prev's context */
		if (p->prev_pid != rs_ctl_pid(ctl) ||
		    p->prev_tgid != rs_ctl_tgid(ctl) ||
		    p->flags & ~(uint32_t)RS_SWITCH_F_PREEMPT ||
		    p->prev_prio > 139 || p->next_prio > 139 ||
		    p->prev_prio < -1 || p->next_prio < -1)
			s->bad_switch++;
	} else if (type == RS_REC_SCHED_WAKEUP) {
		const struct rs_sched_wakeup *p = &r->payload.rs_sched_wakeup;

		if ((pid_t)p->pid == s->sleeper && (pid_t)p->tgid == s->parent &&
		    !strcmp(p->comm, "rs-sleeper") && p->reserved0 == 0 &&
		    p->reserved1 == 0 && !(p->flags & RS_WAKEUP_F_NEW))
			s->wakeup_ok = 1;
	} else if (type == RS_REC_PROC_EXEC) {
		const struct rs_proc_exec *p = &r->payload.rs_proc_exec;

		if ((pid_t)p->pid == s->child && (pid_t)p->tgid == s->child &&
		    (pid_t)p->old_pid == s->child && (pid_t)p->ppid == s->parent &&
		    rs_ctl_pid(ctl) == (uint32_t)s->child &&
		    !strcmp(p->comm, "sh") && p->uid == 0 && p->gid == 0 &&
		    p->cgroup_id != 0)
			s->exec_ok = 1;
	} else if (type == RS_REC_PROC_EXIT) {
		const struct rs_proc_exit *p = &r->payload.rs_proc_exit;

		if ((pid_t)p->pid == s->child && (pid_t)p->tgid == s->child &&
		    (pid_t)p->ppid == s->parent && p->exit_code == (3 << 8) &&
		    (p->flags & RS_EXIT_F_GROUP_DEAD) && p->reserved == 0 &&
		    !strcmp(p->comm, "sh") && p->start_ns > 0 &&
		    p->start_ns <= rs_ts_restore(r->hdr.ts_cpu, s->ref_ns))
			s->exit_ok = 1;
	}
}

static void check_block(struct seen *s, uint64_t ctl, const struct rs_record *r)
{
	const struct rs_block_rq *p = (const struct rs_block_rq *)&r->payload;
	uint32_t type = rs_ctl_type(ctl);

	if (makedev(p->major, p->minor) != s->blkdev || p->reserved)
		return;
	if (type == RS_REC_BLOCK_RQ_ISSUE && p->sector == WRITE_SECTOR &&
	    p->nr_bytes == 4096 && p->op == 1 && p->error == 0) {
		s->issue_ok = 1;
		s->write_rq_id = p->rq_id;
	}
	if (type == RS_REC_BLOCK_RQ_COMPLETE && p->sector == WRITE_SECTOR &&
	    p->nr_bytes == 4096 && p->op == 1 && p->error == 0) {
		s->complete_ok = 1;
		if (p->rq_id == s->write_rq_id && p->rq_id != 0)
			s->rq_pair_ok = 1;
	}
	if (type == RS_REC_BLOCK_RQ_ERROR && p->sector == BAD_SECTOR &&
	    p->op == 0 && p->error == -EIO)
		s->error_ok = 1;
}

static void check_tcp(struct seen *s, uint64_t ctl, const struct rs_record *r)
{
	if (rs_ctl_type(ctl) == RS_REC_TCP_STATE) {
		const struct rs_tcp_state *p = &r->payload.rs_tcp_state;

		if (p->family != AF_INET || p->dport != s->port1)
			return;
		/* SYN_SENT is set before connect() picks the local port */
		if (p->old_state == TCP_CLOSE_ && p->new_state == TCP_SYN_SENT_)
			s->syn_sent_id = p->sock_id;
		if (p->sport == s->client1 && p->old_state == TCP_SYN_SENT_ &&
		    p->new_state == TCP_ESTABLISHED_) {
			s->established_ok = 1;
			s->established_id = p->sock_id;
		}
		if (p->sport == s->client1 && is_loopback(p->saddr) &&
		    is_loopback(p->daddr) && p->sock_id != 0)
			s->addr_ok = 1;
	} else {
		const struct rs_tcp_retransmit *p = &r->payload.rs_tcp_retransmit;

		if (p->family == AF_INET && p->dport == s->port2 &&
		    p->state == TCP_SYN_SENT_ && p->reserved == 0 &&
		    is_loopback(p->daddr))
			s->retransmit_ok = 1;
	}
}

static void on_record(void *ctx, const struct rs_ring *ring,
		      const struct rs_record *r)
{
	struct seen *s = ctx;
	uint64_t ctl = r->hdr.ctl;
	uint32_t type = rs_ctl_type(ctl);
	uint64_t ts = rs_ts_restore(r->hdr.ts_cpu, s->ref_ns);

	s->consumed++;
	s->count[type]++;
	if (!name_of(type) || rs_ctl_version(ctl) != version_of(type))
		s->bad_version++;
	if (rs_record_cpu(r) != ring->index)
		s->bad_cpu++;
	if (ts > s->ref_ns + 60000000000ULL || ts + 600000000000ULL < s->ref_ns)
		s->bad_time++;
	if (type >= RS_REC_SCHED_SWITCH && type <= RS_REC_PROC_EXIT)
		check_sched(s, ctl, r);
	else if (type >= RS_REC_BLOCK_RQ_ISSUE && type <= RS_REC_BLOCK_RQ_ERROR)
		check_block(s, ctl, r);
	else if (type == RS_REC_TCP_STATE || type == RS_REC_TCP_RETRANSMIT)
		check_tcp(s, ctl, r);
}

static uint64_t drain_all(struct rs_ring_set *set, struct seen *s)
{
	uint64_t n = 0;
	unsigned int i;

	s->ref_ns = now_ns();
	for (i = 0; i < set->nrings; i++)
		n += rs_ring_drain(&set->rings[i], SIZE_MAX, on_record, s);
	return n;
}

/* ---- activity ---------------------------------------------------------- */

struct pingpong {
	int to_sleeper[2];
	int to_main[2];
	pid_t tid;
	volatile int stop;
	uint64_t rounds;
};

static void *sleeper_main(void *arg)
{
	struct pingpong *pp = arg;
	char c;

	prctl(PR_SET_NAME, "rs-sleeper");
	pp->tid = gettid_();
	while (read(pp->to_sleeper[0], &c, 1) == 1 && c != 'q')
		if (write(pp->to_main[1], &c, 1) != 1)
			break;
	return NULL;
}

static int pingpong_start(struct pingpong *pp, pthread_t *th)
{
	memset(pp, 0, sizeof(*pp));
	if (pipe(pp->to_sleeper) || pipe(pp->to_main))
		return -1;
	if (pthread_create(th, NULL, sleeper_main, pp))
		return -1;
	while (!__atomic_load_n(&pp->tid, __ATOMIC_ACQUIRE))
		sleep_ms(1);
	return 0;
}

static void pingpong_round(struct pingpong *pp)
{
	char c = 'p';

	if (write(pp->to_sleeper[1], &c, 1) == 1 &&
	    read(pp->to_main[0], &c, 1) == 1)
		pp->rounds++;
}

static void pingpong_stop(struct pingpong *pp, pthread_t th)
{
	char c = 'q';

	if (write(pp->to_sleeper[1], &c, 1) != 1)
		return;
	pthread_join(th, NULL);
	close(pp->to_sleeper[0]);
	close(pp->to_sleeper[1]);
	close(pp->to_main[0]);
	close(pp->to_main[1]);
}

static pid_t run_exit3(void)
{
	pid_t child = fork();
	int status;

	if (child == 0) {
		execl("/bin/sh", "sh", "-c", "exit 3", (char *)NULL);
		_exit(127);
	}
	if (child > 0)
		waitpid(child, &status, 0);
	return child;
}

/* O_DIRECT write at WRITE_SECTOR, read of BAD_SECTOR (fails with EIO). */
static int block_activity(dev_t *dev)
{
	struct stat st;
	void *buf;
	int fd, ok = 0;

	if (stat(BLOCK_DEV, &st) || !S_ISBLK(st.st_mode))
		return -1;
	*dev = st.st_rdev;
	fd = open(BLOCK_DEV, O_RDWR | O_DIRECT);
	if (fd < 0 || posix_memalign(&buf, 4096, 4096))
		return -1;
	memset(buf, 0xab, 4096);
	if (pwrite(fd, buf, 4096, WRITE_SECTOR * 512) == 4096)
		ok++;
	if (pread(fd, buf, 4096, BAD_SECTOR * 512) < 0 && errno == EIO)
		ok++;
	free(buf);
	close(fd);
	return ok == 2 ? 0 : -1;
}

static int tcp_listener(int backlog, uint16_t *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (void *)&a, sizeof(a)) || listen(fd, backlog) ||
	    getsockname(fd, (void *)&a, &len))
		return -1;
	*port = ntohs(a.sin_port);
	return fd;
}

static int tcp_connect(uint16_t port, int nonblock, uint16_t *local)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM | (nonblock ? SOCK_NONBLOCK : 0), 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons(port);
	if (fd < 0)
		return -1;
	if (connect(fd, (void *)&a, sizeof(a)) && errno != EINPROGRESS) {
		close(fd);
		return -1;
	}
	if (local && !getsockname(fd, (void *)&a, &len))
		*local = ntohs(a.sin_port);
	return fd;
}

/*
 * One connection through listener 1 (state changes), and a SYN to
 * listener 2 whose accept queue is full (backlog 0, one connection not
 * accepted): the SYN is dropped and retransmitted after the 1 s initial RTO.
 */
static int tcp_activity(struct seen *s, struct rs_ring_set *set)
{
	int l1, l2, c1, a1, c2, c3, i;

	l1 = tcp_listener(8, &s->port1);
	l2 = tcp_listener(0, &s->port2);
	if (l1 < 0 || l2 < 0)
		return -1;
	c1 = tcp_connect(s->port1, 0, &s->client1);
	a1 = accept(l1, NULL, NULL);
	if (c1 < 0 || a1 < 0)
		return -1;
	close(c1);
	close(a1);
	c2 = tcp_connect(s->port2, 0, NULL);
	sleep_ms(50);
	c3 = tcp_connect(s->port2, 1, NULL);
	if (c2 < 0 || c3 < 0)
		return -1;
	for (i = 0; i < 40 && !s->retransmit_ok; i++) {
		sleep_ms(100);
		drain_all(set, s);
	}
	close(c3);
	close(c2);
	close(l2);
	close(l1);
	return 0;
}

/* ---- tests --------------------------------------------------------------- */

static int test_open_and_hello(void)
{
	struct rs_kmod_hello h = { 999, RS_RING_ABI_VERSION, RS_RECORD_SIZE, 0 };
	struct rs_kmod_geometry g;
	struct pollfd pfd;
	char err[256];
	void *m;
	int fd, fd2;

	fd = open(RS_KMOD_DEVICE_PATH, O_RDWR);
	CHECK(fd >= 0, "open: %s", strerror(errno));
	if (fd < 0)
		return 1;
	fd2 = open(RS_KMOD_DEVICE_PATH, O_RDWR);
	CHECK(fd2 < 0 && errno == EBUSY, "second open: %d %s", fd2,
	      strerror(errno));
	CHECK(ioctl(fd, RS_KMOD_IOC_GET_GEOMETRY, &g) < 0 && errno == EPROTO,
	      "geometry before hello: %s", strerror(errno));
	m = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	CHECK(m == MAP_FAILED && errno == EPROTO, "mmap before hello: %s",
	      strerror(errno));
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
	CHECK(poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLERR),
	      "poll before hello: revents 0x%x", pfd.revents);
	CHECK(ioctl(fd, RS_KMOD_IOC_HELLO, &h) < 0 && errno == EPROTONOSUPPORT,
	      "hello api 999: %s", strerror(errno));
	CHECK(h.api_version == RS_KMOD_API_VERSION &&
	      h.ring_abi_version == RS_RING_ABI_VERSION &&
	      h.record_size == RS_RECORD_SIZE,
	      "module versions written back: %u %u %u", h.api_version,
	      h.ring_abi_version, h.record_size);
	h = (struct rs_kmod_hello){ RS_KMOD_API_VERSION, 77, RS_RECORD_SIZE, 0 };
	CHECK(ioctl(fd, RS_KMOD_IOC_HELLO, &h) < 0 && errno == EPROTONOSUPPORT,
	      "hello ring abi 77: %s", strerror(errno));
	h = (struct rs_kmod_hello){ RS_KMOD_API_VERSION, RS_RING_ABI_VERSION,
				    128, 0 };
	CHECK(ioctl(fd, RS_KMOD_IOC_HELLO, &h) < 0 && errno == EPROTONOSUPPORT,
	      "hello record size 128: %s", strerror(errno));
	CHECK(ioctl(fd, RS_KMOD_IOC_GET_GEOMETRY, &g) < 0 && errno == EPROTO,
	      "geometry after refused hellos: %s", strerror(errno));
	close(fd);
	if (fd2 >= 0)
		close(fd2);
	/* the library's message for a good handshake path */
	fd = rs_kmod_open(NULL, err, sizeof(err));
	CHECK(fd >= 0, "rs_kmod_open: %s", err);
	if (fd >= 0) {
		CHECK(!rs_kmod_get_geometry(fd, &g, err, sizeof(err)), "%s", err);
		CHECK(g.groups_available == RS_KMOD_GROUPS_ALL,
		      "groups available 0x%x", g.groups_available);
		CHECK(g.nrings == (unsigned int)sysconf(_SC_NPROCESSORS_CONF),
		      "nrings %u", g.nrings);
		CHECK(g.ring_bytes == RS_RING_BYTES(g.order) &&
		      g.map_bytes == g.ring_bytes * g.nrings,
		      "ring bytes %llu map %llu", (unsigned long long)g.ring_bytes,
		      (unsigned long long)g.map_bytes);
		close(fd);
	}
	return test_failed;
}

static int expect_errno(int fd, unsigned long cmd, void *arg, int want,
			const char *what)
{
	int ret = ioctl(fd, cmd, arg);

	if (ret == 0 || errno != want) {
		note("test_bad_ioctls", "%s: got %d/%s, want %s", what, ret,
		     ret ? strerror(errno) : "success", strerror(want));
		return 1;
	}
	return 0;
}

static int test_bad_ioctls(void)
{
	struct rs_kmod_ring_config rc = { .order = 8 };
	struct rs_kmod_groups gr = { 0 };
	struct rs_ring_set set;
	uint32_t word = 8;
	size_t ring_bytes;
	int fd, bad = 0;
	void *m;

	if (session_open(&set, 8, 0, __func__))
		return 1;
	fd = set.fd;
	ring_bytes = set.stride;
	bad += expect_errno(fd, _IO(RS_KMOD_IOC_MAGIC, 99), NULL, ENOTTY,
			    "unknown command");
	bad += expect_errno(fd, _IOW(RS_KMOD_IOC_MAGIC, 3, uint32_t), &word,
			    ENOTTY, "SET_RING with a 4-byte argument");
	bad += expect_errno(fd, _IOW('T', 3, struct rs_kmod_ring_config), &rc,
			    ENOTTY, "foreign magic");
	bad += expect_errno(fd, RS_KMOD_IOC_GET_GEOMETRY, (void *)16, EFAULT,
			    "geometry to a bad pointer");
	bad += expect_errno(fd, RS_KMOD_IOC_SET_RING, (void *)16, EFAULT,
			    "set ring from a bad pointer");
	bad += expect_errno(fd, RS_KMOD_IOC_SET_RING, &rc, EBUSY,
			    "set ring while mapped");
	rc.order = RS_KMOD_MIN_ORDER - 1;
	bad += expect_errno(fd, RS_KMOD_IOC_SET_RING, &rc, EINVAL, "order 5");
	rc.order = RS_KMOD_MAX_ORDER + 1;
	bad += expect_errno(fd, RS_KMOD_IOC_SET_RING, &rc, EINVAL, "order 21");
	rc = (struct rs_kmod_ring_config){ .order = 8, .watermark = 257 };
	bad += expect_errno(fd, RS_KMOD_IOC_SET_RING, &rc, EINVAL,
			    "watermark above the slot count");
	rc = (struct rs_kmod_ring_config){ .order = 8, .reserved = { 0, 1 } };
	bad += expect_errno(fd, RS_KMOD_IOC_SET_RING, &rc, EINVAL,
			    "reserved field set");
	gr.groups = 1U << 7;
	bad += expect_errno(fd, RS_KMOD_IOC_ENABLE, &gr, EINVAL,
			    "unknown group bit");
	gr = (struct rs_kmod_groups){ .groups = RS_KMOD_GROUP_SCHED,
				      .reserved = 1 };
	bad += expect_errno(fd, RS_KMOD_IOC_ENABLE, &gr, EINVAL,
			    "groups reserved field set");
	m = mmap(NULL, ring_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (m != MAP_FAILED || errno != EINVAL) {
		note(__func__, "MAP_PRIVATE mapping: %s", strerror(errno));
		bad++;
	}
	m = mmap(NULL, ring_bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 (off_t)set.map_len);
	if (m != MAP_FAILED || errno != EINVAL) {
		note(__func__, "mapping past the last ring: %s", strerror(errno));
		bad++;
	}
	m = mmap(NULL, set.map_len + 4096, PROT_READ, MAP_SHARED, fd, 0);
	if (m != MAP_FAILED || errno != EINVAL) {
		note(__func__, "mapping longer than the rings: %s",
		     strerror(errno));
		bad++;
	}
	m = mmap(NULL, ring_bytes, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
	if (m != MAP_FAILED || errno != EPERM) {
		note(__func__, "executable mapping: %s", strerror(errno));
		bad++;
	}
	/* one cpu's ring alone, at its offset: the header says which cpu */
	if (set.nrings > 1) {
		struct rs_ring_header *h;

		h = mmap(NULL, ring_bytes, PROT_READ, MAP_SHARED, fd,
			 (off_t)ring_bytes);
		if (h == MAP_FAILED || h->geo.cpu != 1 ||
		    h->geo.magic != RS_RING_MAGIC) {
			note(__func__, "mapping ring 1 alone failed");
			bad++;
		}
		if (h != MAP_FAILED)
			munmap(h, ring_bytes);
	}
	{
		struct rs_kmod_selftest st = { .records = 0 };

		bad += expect_errno(fd, RS_KMOD_IOC_SELFTEST, &st, EINVAL,
				    "selftest of 0 records");
		st = (struct rs_kmod_selftest){ .records = 1, .timer_ns = 5 };
		bad += expect_errno(fd, RS_KMOD_IOC_SELFTEST, &st, EINVAL,
				    "selftest timer of 5 ns");
		st = (struct rs_kmod_selftest){ .records = 1, .reserved = 1 };
		bad += expect_errno(fd, RS_KMOD_IOC_SELFTEST, &st, EINVAL,
				    "selftest reserved field set");
		st = (struct rs_kmod_selftest){ .records = 1U << 25 };
		bad += expect_errno(fd, RS_KMOD_IOC_SELFTEST, &st, EINVAL,
				    "selftest of 2^25 records");
	}
	gr = (struct rs_kmod_groups){ .groups = RS_KMOD_GROUP_SCHED };
	bad += ioctl(fd, RS_KMOD_IOC_ENABLE, &gr) ? 1 : 0;
	rc = (struct rs_kmod_ring_config){ .order = 8 };
	munmap(set.base, set.map_len);
	set.base = NULL;
	bad += expect_errno(fd, RS_KMOD_IOC_SET_RING, &rc, EBUSY,
			    "set ring while a group is enabled");
	bad += ioctl(fd, RS_KMOD_IOC_DISABLE, &gr) ? 1 : 0;
	if (ioctl(fd, RS_KMOD_IOC_SET_RING, &rc)) {
		note(__func__, "set ring once idle: %s", strerror(errno));
		bad++;
	}
	rs_ring_set_close(&set);
	return bad || test_failed;
}

/* Enable every group, make each kind of activity, check what comes out. */
static struct seen records;
static struct rs_kmod_stats records_stats;
static int records_block_ok, records_tcp_ok;

static int test_records_collect(void)
{
	struct rs_ring_counters c;
	struct rs_ring_set set;
	struct pingpong pp;
	char err[256];
	pthread_t th;
	uint64_t attempts = 0, dropped = 0, written = 0;
	unsigned int i;
	int t;

	memset(&records, 0, sizeof(records));
	records.parent = getpid();
	if (session_open(&set, 14, 0, __func__))
		return 1;
	CHECK(!rs_kmod_enable(set.fd, RS_KMOD_GROUPS_ALL, err, sizeof(err)),
	      "%s", err);
	CHECK(!pingpong_start(&pp, &th), "sleeper thread");
	records.sleeper = pp.tid;
	sleep_ms(20);	/* the sleeper blocks in read() */
	pingpong_round(&pp);
	pingpong_stop(&pp, th);
	records.child = run_exit3();
	drain_all(&set, &records);
	records_block_ok = block_activity(&records.blkdev) == 0;
	drain_all(&set, &records);
	records_tcp_ok = tcp_activity(&records, &set) == 0;
	CHECK(!rs_kmod_disable(set.fd, RS_KMOD_GROUPS_ALL, err, sizeof(err)),
	      "%s", err);
	drain_all(&set, &records);
	CHECK(!rs_kmod_get_stats(set.fd, &records_stats, err, sizeof(err)),
	      "%s", err);
	for (t = 0; t < RS_KMOD_STATS_TYPES; t++)
		attempts += records_stats.attempts[t];
	for (i = 0; i < set.nrings; i++) {
		rs_ring_read_counters(&set.rings[i], &c);
		dropped += c.dropped;
		written += c.written;
		CHECK(c.pending == 0, "ring %u: %llu records left", i,
		      (unsigned long long)c.pending);
	}
	CHECK(written == records.consumed, "written %llu consumed %llu",
	      (unsigned long long)written,
	      (unsigned long long)records.consumed);
	CHECK(attempts == records.consumed + dropped,
	      "attempts %llu != consumed %llu + dropped %llu",
	      (unsigned long long)attempts,
	      (unsigned long long)records.consumed,
	      (unsigned long long)dropped);
	if (dropped == 0)
		for (t = 0; t < RS_KMOD_STATS_TYPES; t++)
			CHECK(records_stats.attempts[t] == records.count[t],
			      "type 0x%x: %llu attempts, %llu consumed", t,
			      (unsigned long long)records_stats.attempts[t],
			      (unsigned long long)records.count[t]);
	CHECK(records.bad_version == 0, "%llu records of unknown type/version",
	      (unsigned long long)records.bad_version);
	CHECK(records.bad_cpu == 0, "%llu records on another cpu's ring",
	      (unsigned long long)records.bad_cpu);
	CHECK(records.bad_time == 0, "%llu records with a far timestamp",
	      (unsigned long long)records.bad_time);
	for (t = 0; t < 256; t++)
		if (name_of((uint32_t)t) && records.count[t]) {
			char key[64];

			snprintf(key, sizeof(key), "records.%s", name_of((uint32_t)t));
			figure(key, records.count[t]);
		}
	figure("records.consumed", records.consumed);
	figure("records.dropped", dropped);
	figure("records.attempts", attempts);
	rs_ring_set_close(&set);
	return test_failed;
}

static int test_sched_records(void)
{
	CHECK(records.count[RS_REC_SCHED_SWITCH] > 0, "no sched_switch");
	CHECK(records.bad_switch == 0, "%llu sched_switch records with prev != current or bad fields",
	      (unsigned long long)records.bad_switch);
	CHECK(records.wakeup_ok, "no sched_wakeup of the sleeper thread %d",
	      records.sleeper);
	CHECK(records.exec_ok, "no exec record of child %d as sh", records.child);
	CHECK(records.exit_ok, "no exit record of child %d with status 3",
	      records.child);
	return test_failed;
}

static int test_block_records(void)
{
	if (!records_block_ok) {
		snprintf(skip_reason, sizeof(skip_reason),
			 "%s (null_blk with bad blocks) not usable in this guest",
			 BLOCK_DEV);
		return 77;
	}
	CHECK(records.issue_ok, "no issue of the 4 KiB write at sector %d",
	      WRITE_SECTOR);
	CHECK(records.complete_ok, "no completion of the write");
	CHECK(records.rq_pair_ok, "issue and completion rq_id differ");
	CHECK(records.error_ok, "no block_rq_error -EIO at sector %d",
	      BAD_SECTOR);
	return test_failed;
}

static int test_tcp_records(void)
{
	CHECK(records_tcp_ok, "loopback tcp activity failed");
	CHECK(records.syn_sent_id && records.syn_sent_id == records.established_id,
	      "no CLOSE->SYN_SENT of the socket that became client port %u",
	      records.client1);
	CHECK(records.established_ok, "no SYN_SENT->ESTABLISHED");
	CHECK(records.addr_ok, "addresses not 127.0.0.1");
	CHECK(records.retransmit_ok, "no SYN retransmission to port %u",
	      records.port2);
	return test_failed;
}

/*
 * A 64-slot ring under a context-switch storm, drained only every 20 ms:
 * records are dropped, and every attempt is either consumed or dropped.
 */
static int test_accounting_small_ring(void)
{
	struct rs_ring_counters c;
	struct rs_ring_set set;
	struct seen s;
	struct rs_kmod_stats st;
	struct pingpong pp;
	char err[256];
	pthread_t th;
	uint64_t attempts = 0, produced = 0, consumed = 0, dropped = 0;
	uint64_t contended = 0, start, last;
	unsigned int i;
	int t;

	memset(&s, 0, sizeof(s));
	s.parent = getpid();
	if (session_open(&set, RS_KMOD_MIN_ORDER, 16, __func__))
		return 1;
	CHECK(set.rings[0].order == RS_KMOD_MIN_ORDER, "order %u",
	      set.rings[0].order);
	CHECK(!rs_kmod_enable(set.fd, RS_KMOD_GROUP_SCHED, err, sizeof(err)),
	      "%s", err);
	CHECK(!pingpong_start(&pp, &th), "sleeper thread");
	/* first no drain until 16 rings' worth was attempted: drops for sure */
	start = now_ns();
	do {
		for (i = 0; i < 20; i++)
			pingpong_round(&pp);
		CHECK(!rs_kmod_get_stats(set.fd, &st, err, sizeof(err)), "%s", err);
		for (t = 0, attempts = 0; t < RS_KMOD_STATS_TYPES; t++)
			attempts += st.attempts[t];
	} while (attempts < 16ULL * 64 && now_ns() - start < 10000000000ULL);
	/* then a drain every 20 ms for a second */
	start = last = now_ns();
	while (now_ns() - start < 1000000000ULL) {
		pingpong_round(&pp);
		if (now_ns() - last > 20000000ULL) {
			drain_all(&set, &s);
			last = now_ns();
		}
	}
	pingpong_stop(&pp, th);
	for (i = 0; i < 3; i++)
		run_exit3();
	CHECK(!rs_kmod_disable(set.fd, RS_KMOD_GROUP_SCHED, err, sizeof(err)),
	      "%s", err);
	drain_all(&set, &s);
	CHECK(!rs_kmod_get_stats(set.fd, &st, err, sizeof(err)), "%s", err);
	for (t = 0, attempts = 0; t < RS_KMOD_STATS_TYPES; t++)
		attempts += st.attempts[t];
	for (i = 0; i < set.nrings; i++) {
		rs_ring_read_counters(&set.rings[i], &c);
		CHECK(c.produced == c.consumed + c.dropped,
		      "ring %u: produced %llu != consumed %llu + dropped %llu",
		      i, (unsigned long long)c.produced,
		      (unsigned long long)c.consumed,
		      (unsigned long long)c.dropped);
		produced += c.produced;
		consumed += c.consumed;
		dropped += c.dropped;
		contended += c.contended;
	}
	CHECK(consumed == s.consumed, "ring tails %llu, records seen %llu",
	      (unsigned long long)consumed, (unsigned long long)s.consumed);
	CHECK(attempts == produced, "module attempts %llu, rings produced %llu",
	      (unsigned long long)attempts, (unsigned long long)produced);
	CHECK(dropped > 0, "64-slot rings not drained for 1024 records dropped nothing");
	CHECK(s.consumed > 0, "nothing consumed");
	CHECK(s.bad_version == 0 && s.bad_cpu == 0 && s.bad_switch == 0,
	      "bad records under load: version %llu cpu %llu switch %llu",
	      (unsigned long long)s.bad_version, (unsigned long long)s.bad_cpu,
	      (unsigned long long)s.bad_switch);
	figure("load.rounds", pp.rounds);
	figure("load.attempts", attempts);
	figure("load.produced", produced);
	figure("load.consumed", consumed);
	figure("load.dropped", dropped);
	figure("load.contended", contended);
	figure("load.sched_switch", s.count[RS_REC_SCHED_SWITCH]);
	figure("load.sched_wakeup", s.count[RS_REC_SCHED_WAKEUP]);
	rs_ring_set_close(&set);
	return test_failed;
}

/* Armed rings and a sleeping poll(): a producer crossing the watermark wakes it. */
static int test_poll_doorbell(void)
{
	struct rs_ring_counters c;
	struct rs_ring_set set;
	struct pollfd pfd;
	struct pingpong pp;
	struct seen s;
	char err[256];
	pthread_t th;
	uint64_t doorbells = 0, t0, waited;
	unsigned int i;
	int n;

	memset(&s, 0, sizeof(s));
	if (session_open(&set, 10, 8, __func__))
		return 1;
	pfd = (struct pollfd){ .fd = set.doorbell.fd, .events = POLLIN };
	CHECK(set.doorbell.kind == RS_DOORBELL_POLL && set.source == RS_SOURCE_KMOD,
	      "doorbell kind %d source %d", set.doorbell.kind, set.source);
	CHECK(poll(&pfd, 1, 0) == 0, "empty rings are readable: 0x%x",
	      pfd.revents);
	for (i = 0; i < set.nrings; i++)
		rs_ring_arm(&set.rings[i]);
	CHECK(!pingpong_start(&pp, &th), "sleeper thread");
	CHECK(!rs_kmod_enable(set.fd, RS_KMOD_GROUP_SCHED, err, sizeof(err)),
	      "%s", err);
	/* the sleeper thread's rounds are triggered from a child process */
	t0 = now_ns();
	if (fork() == 0) {
		for (i = 0; i < 200; i++)
			pingpong_round(&pp);
		_exit(0);
	}
	n = poll(&pfd, 1, 5000);
	waited = now_ns() - t0;
	CHECK(n == 1 && (pfd.revents & POLLIN), "poll: %d revents 0x%x", n,
	      pfd.revents);
	wait(NULL);
	pingpong_stop(&pp, th);
	CHECK(!rs_kmod_disable(set.fd, RS_KMOD_GROUP_SCHED, err, sizeof(err)),
	      "%s", err);
	for (i = 0; i < set.nrings; i++) {
		rs_ring_read_counters(&set.rings[i], &c);
		doorbells += c.doorbells;
	}
	CHECK(doorbells >= 1, "no doorbell counted");
	drain_all(&set, &s);
	CHECK(poll(&pfd, 1, 0) == 0, "drained rings still readable");
	figure("poll.doorbells", doorbells);
	figure("poll.wait_us", waited / 1000);
	rs_ring_set_close(&set);
	return test_failed;
}

/*
 * Watchers: read-only opens polling some rings. Records written on cpu 0
 * only (SELFTEST from a task pinned there, no group on) make a watcher of
 * ring 0 readable and leave a watcher of ring 1 quiet. Watchers cannot
 * steer the module or write the rings, but can map them read-only.
 */
static int test_watchers(void)
{
	struct rs_kmod_selftest st = { .records = 100 };
	struct rs_kmod_groups gr = { .groups = RS_KMOD_GROUP_SCHED };
	struct rs_kmod_poll_rings pr = { 0 };
	struct rs_ring_header *h;
	struct rs_ring_set set;
	struct pollfd pfd[3];
	unsigned int r0 = 0, r1 = 1;
	uint64_t word = 0;
	char err[256];
	int w0, w1, bad = 0;
	cpu_set_t all;

	if (session_open(&set, 10, 8, __func__))
		return 1;
	if (set.nrings < 2) {
		rs_ring_set_close(&set);
		snprintf(skip_reason, sizeof(skip_reason), "needs 2 cpus");
		return 77;
	}
	w0 = rs_kmod_open_watcher(NULL, &r0, 1, err, sizeof(err));
	CHECK(w0 >= 0, "watcher of ring 0: %s", err);
	w1 = rs_kmod_open_watcher(NULL, &r1, 1, err, sizeof(err));
	CHECK(w1 >= 0, "watcher of ring 1: %s", err);
	if (w0 < 0 || w1 < 0)
		return 1;
	sched_getaffinity(0, sizeof(all), &all);
	pin_to_cpu(pthread_self(), 0);
	CHECK(ioctl(set.fd, RS_KMOD_IOC_SELFTEST, &st) == 0 && st.cpu == 0,
	      "selftest on cpu 0: %s", strerror(errno));
	sched_setaffinity(0, sizeof(all), &all);
	pfd[0] = (struct pollfd){ .fd = w0, .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = w1, .events = POLLIN };
	pfd[2] = (struct pollfd){ .fd = set.fd, .events = POLLIN };
	CHECK(poll(pfd, 3, 0) == 2, "two of three readable");
	CHECK(pfd[0].revents & POLLIN, "watcher of ring 0 not readable");
	CHECK(!(pfd[1].revents & POLLIN), "watcher of ring 1 readable");
	CHECK(pfd[2].revents & POLLIN, "consumer fd not readable");
	bad += expect_errno(w1, RS_KMOD_IOC_ENABLE, &gr, EPERM,
			    "watcher enabling a group");
	bad += expect_errno(w1, RS_KMOD_IOC_SELFTEST, &st, EPERM,
			    "watcher running the selftest");
	pr.nbits = set.nrings + 1;
	pr.mask = (uint64_t)(uintptr_t)&word;
	word = 1;
	bad += expect_errno(w1, RS_KMOD_IOC_SET_POLL_RINGS, &pr, EINVAL,
			    "poll rings with the wrong ring count");
	pr.nbits = set.nrings;
	word = 0;
	bad += expect_errno(w1, RS_KMOD_IOC_SET_POLL_RINGS, &pr, EINVAL,
			    "empty poll rings");
	pr.mask = 16;
	bad += expect_errno(w1, RS_KMOD_IOC_SET_POLL_RINGS, &pr, EFAULT,
			    "poll rings from a bad pointer");
	h = mmap(NULL, set.stride, PROT_READ | PROT_WRITE, MAP_SHARED, w0, 0);
	/* the VFS refuses a shared writable map of a read-only fd first */
	CHECK(h == MAP_FAILED && (errno == EACCES || errno == EPERM),
	      "writable watcher mapping: %s", strerror(errno));
	h = mmap(NULL, set.stride, PROT_READ, MAP_SHARED, w0, 0);
	CHECK(h != MAP_FAILED, "read-only watcher mapping: %s", strerror(errno));
	if (h != MAP_FAILED) {
		CHECK(h->geo.magic == RS_RING_MAGIC && h->prod.head >= 100,
		      "watcher sees ring 0: head %llu",
		      (unsigned long long)h->prod.head);
		CHECK(mprotect(h, set.stride, PROT_READ | PROT_WRITE) < 0,
		      "watcher mapping made writable");
		munmap(h, set.stride);
	}
	close(w0);
	close(w1);
	rs_ring_set_close(&set);
	return bad || test_failed;
}

/* ---- nested producers: RS_KMOD_IOC_SELFTEST ----------------------------- */

#define ST_PRODUCERS	2	/* 0: task (BENCH), 1: hrtimer (PERF_EVENT) */
#define ST_MAX_RINGS	64

struct st_seen {
	struct rs_ring_set *set;
	volatile int stop;
	uint64_t seen[ST_MAX_RINGS][ST_PRODUCERS];
	uint64_t next[ST_MAX_RINGS][ST_PRODUCERS];	/* expected min seq */
	uint64_t bad, out_of_order, other;
};

static void on_selftest(void *ctx, const struct rs_ring *ring,
			const struct rs_record *r)
{
	const struct rs_selftest *p = &r->payload.rs_selftest;
	struct st_seen *s = ctx;
	unsigned int k;

	if (rs_ctl_type(r->hdr.ctl) != RS_REC_SELFTEST) {
		s->other++;
		return;
	}
	if (p->check != rs_selftest_check(p) || p->cpu != ring->index ||
	    rs_record_cpu(r) != ring->index || ring->index >= ST_MAX_RINGS ||
	    (p->producer != RS_SELFTEST_BENCH &&
	     p->producer != RS_SELFTEST_PERF_EVENT)) {
		s->bad++;
		return;
	}
	k = p->producer == RS_SELFTEST_BENCH ? 0 : 1;
	if (p->seq < s->next[ring->index][k])
		s->out_of_order++;
	s->next[ring->index][k] = p->seq + 1;
	s->seen[ring->index][k]++;
}

static void *st_drain_main(void *arg)
{
	struct st_seen *s = arg;
	unsigned int i;

	while (!s->stop)
		for (i = 0; i < s->set->nrings; i++)
			rs_ring_drain(&s->set->rings[i], SIZE_MAX, on_selftest, s);
	return NULL;
}

/*
 * The module's task loop emits while a pinned hrtimer emits from hard irq
 * on the same cpu: emits nest. Every record must be whole, per-producer
 * sequences in ring order, and seen + gaps must equal what was emitted.
 */
static int test_nested_producers(void)
{
	struct rs_kmod_selftest st;
	struct rs_ring_counters c;
	struct rs_kmod_stats stats;
	struct rs_ring_set set;
	struct st_seen *s;
	pthread_t th;
	char err[256];
	uint64_t gaps, task = 0, timer = 0, nested = 0, loop_ns = 0;
	unsigned int cpu = 0, runs;
	cpu_set_t all;

	if (session_open(&set, 12, 0, __func__))
		return 1;
	s = calloc(1, sizeof(*s));
	s->set = &set;
	CHECK(set.nrings <= ST_MAX_RINGS, "%u rings", set.nrings);
	/* producers on cpu 0, the consumer elsewhere when there is one */
	sched_getaffinity(0, sizeof(all), &all);
	pin_to_cpu(pthread_self(), 0);
	CHECK(!pthread_create(&th, NULL, st_drain_main, s), "drain thread");
	if (set.nrings > 1)
		pin_to_cpu(th, 1);
	/* a timer interrupt lands inside an emit now and then: run until seen */
	for (runs = 0; runs < 20 && (runs < 1 || !nested); runs++) {
		st = (struct rs_kmod_selftest){ .records = 100000,
						.timer_ns = 20000 };
		if (ioctl(set.fd, RS_KMOD_IOC_SELFTEST, &st)) {
			CHECK(0, "selftest: %s", strerror(errno));
			break;
		}
		CHECK(st.cpu == 0, "selftest ran on cpu %u", st.cpu);
		task += st.records;
		timer += st.timer_records;
		nested += st.nested;
		loop_ns += st.loop_ns;
	}
	s->stop = 1;
	pthread_join(th, NULL);
	sched_setaffinity(0, sizeof(all), &all);
	for (cpu = 0; cpu < set.nrings; cpu++)
		rs_ring_drain(&set.rings[cpu], SIZE_MAX, on_selftest, s);
	CHECK(!rs_kmod_get_stats(set.fd, &stats, err, sizeof(err)), "%s", err);
	cpu = 0;
	rs_ring_read_counters(&set.rings[cpu], &c);
	gaps = (task - s->seen[cpu][0]) + (timer - s->seen[cpu][1]);
	CHECK(s->bad == 0 && s->other == 0, "%llu torn, %llu foreign records",
	      (unsigned long long)s->bad, (unsigned long long)s->other);
	CHECK(s->out_of_order == 0, "%llu records out of sequence",
	      (unsigned long long)s->out_of_order);
	CHECK(s->seen[cpu][0] <= task && s->seen[cpu][1] <= timer,
	      "more records than emitted");
	CHECK(gaps == c.dropped, "sequence gaps %llu, ring dropped %llu",
	      (unsigned long long)gaps, (unsigned long long)c.dropped);
	CHECK(stats.attempts[RS_REC_SELFTEST] == task + timer,
	      "attempts %llu, emitted %llu",
	      (unsigned long long)stats.attempts[RS_REC_SELFTEST],
	      (unsigned long long)(task + timer));
	CHECK(c.consumed + c.dropped == c.produced && c.pending == 0,
	      "ring %u: produced %llu consumed %llu dropped %llu", cpu,
	      (unsigned long long)c.produced, (unsigned long long)c.consumed,
	      (unsigned long long)c.dropped);
	CHECK(timer > 0, "the hrtimer never fired");
	CHECK(nested > 0, "no emit nested in %llu timer records, %u runs",
	      (unsigned long long)timer, runs);
	figure("nested.runs", runs);
	figure("nested.task_records", task);
	figure("nested.timer_records", timer);
	figure("nested.nested_emits", nested);
	figure("nested.consumed", c.consumed);
	figure("nested.dropped", c.dropped);
	figure("nested.contended", c.contended);
	figure("nested.loop_ns_per_record_tcg", loop_ns / (task ? task : 1));
	free(s);
	rs_ring_set_close(&set);
	return test_failed;
}

/* ---- byte identity: the same events through ringscope.ko and BPF -------- */

struct rec_list {
	struct rs_record *recs;
	size_t n, cap;
};

static void collect(void *ctx, const struct rs_ring *ring,
		    const struct rs_record *r)
{
	struct rec_list *l = ctx;

	(void)ring;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 4096;
		void *p = realloc(l->recs, cap * sizeof(*l->recs));

		if (!p)
			return;
		l->recs = p;
		l->cap = cap;
	}
	l->recs[l->n++] = *r;
}

static void collect_all(struct rs_ring_set *set, struct rec_list *l)
{
	unsigned int i;

	for (i = 0; i < set->nrings; i++)
		rs_ring_drain(&set->rings[i], SIZE_MAX, collect, l);
}

/* Same identity (type, version, tgid, pid) and the same 48 payload bytes. */
static bool same_record(const struct rs_record *a, const struct rs_record *b)
{
	return (a->hdr.ctl & ~RS_CTL_TAG_MASK) == (b->hdr.ctl & ~RS_CTL_TAG_MASK) &&
	       !memcmp(&a->payload, &b->payload, RS_RECORD_PAYLOAD_SIZE);
}

static bool has_twin(const struct rec_list *l, const struct rs_record *r)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (same_record(&l->recs[i], r))
			return true;
	return false;
}

typedef bool (*rec_filter)(const struct rs_record *r, const struct seen *s);

static bool is_child_proc(const struct rs_record *r, const struct seen *s)
{
	uint32_t t = rs_ctl_type(r->hdr.ctl);

	return (t == RS_REC_PROC_EXEC || t == RS_REC_PROC_EXIT) &&
	       rs_ctl_pid(r->hdr.ctl) == (uint32_t)s->child;
}

static bool is_our_block(const struct rs_record *r, const struct seen *s)
{
	const struct rs_block_rq *p = (const void *)&r->payload;
	uint32_t t = rs_ctl_type(r->hdr.ctl);

	return t >= RS_REC_BLOCK_RQ_ISSUE && t <= RS_REC_BLOCK_RQ_ERROR &&
	       makedev(p->major, p->minor) == s->blkdev &&
	       (p->sector == WRITE_SECTOR || p->sector == BAD_SECTOR);
}

static bool is_our_tcp(const struct rs_record *r, const struct seen *s)
{
	const struct rs_tcp_state *p = &r->payload.rs_tcp_state;

	return rs_ctl_type(r->hdr.ctl) == RS_REC_TCP_STATE &&
	       (p->dport == s->port1 || p->sport == s->port1);
}

static bool is_our_retransmit(const struct rs_record *r, const struct seen *s)
{
	const struct rs_tcp_retransmit *p = &r->payload.rs_tcp_retransmit;

	return rs_ctl_type(r->hdr.ctl) == RS_REC_TCP_RETRANSMIT &&
	       p->dport == s->port2;
}

/* Timestamps (48 bits, one clock for both producers) of the BPF window. */
static uint64_t bpf_first_ts[256], bpf_last_ts[256];

static void bpf_window(const struct rec_list *bpf)
{
	size_t i;

	memset(bpf_first_ts, 0xff, sizeof(bpf_first_ts));
	memset(bpf_last_ts, 0, sizeof(bpf_last_ts));
	for (i = 0; i < bpf->n; i++) {
		uint32_t t = rs_ctl_type(bpf->recs[i].hdr.ctl);
		uint64_t ts = bpf->recs[i].hdr.ts_cpu & RS_TS_MASK;

		if (ts < bpf_first_ts[t])
			bpf_first_ts[t] = ts;
		if (ts > bpf_last_ts[t])
			bpf_last_ts[t] = ts;
	}
}

/*
 * Scheduler records while the BPF twin of that type was attached (the
 * module's groups go on before and off after the BPF programs).
 */
static bool is_sched(const struct rs_record *r, const struct seen *s)
{
	uint32_t t = rs_ctl_type(r->hdr.ctl);
	uint64_t ts = r->hdr.ts_cpu & RS_TS_MASK;

	(void)s;
	return (t == RS_REC_SCHED_SWITCH || t == RS_REC_SCHED_WAKEUP) &&
	       ts >= bpf_first_ts[t] && ts <= bpf_last_ts[t];
}

/* kmod records passing f, and how many of them have a BPF twin. */
static void match(const struct rec_list *kmod, const struct rec_list *bpf,
		  rec_filter f, const struct seen *s, uint64_t *n,
		  uint64_t *twins)
{
	size_t i;

	*n = *twins = 0;
	for (i = 0; i < kmod->n; i++) {
		if (!f(&kmod->recs[i], s))
			continue;
		(*n)++;
		if (has_twin(bpf, &kmod->recs[i]))
			(*twins)++;
	}
}

static int bpf_twin_open(struct kmod_twin **out, struct rs_ring_set *set,
			 unsigned int order)
{
	int ncpus = libbpf_num_possible_cpus();
	struct kmod_twin *skel;
	char err[256];
	int ret;

	skel = kmod_twin__open();
	if (!skel || ncpus <= 0)
		return -1;
	bpf_map__set_value_size(skel->maps.rs_rings, rs_bpf_ring_value_size(order));
	bpf_map__set_max_entries(skel->maps.rs_rings, (uint32_t)ncpus);
	skel->rodata->rs_ring_order = order;
	skel->rodata->rs_ring_watermark = 1U << (order - 1);
	ret = kmod_twin__load(skel);
	if (!ret)
		ret = rs_bpf_rings_format(bpf_map__fd(skel->maps.rs_rings), 0,
					  err, sizeof(err));
	if (!ret)
		ret = rs_ring_set_from_bpf_map(set, bpf_map__fd(skel->maps.rs_rings),
					       -1, err, sizeof(err));
	if (ret) {
		note("test_byte_identity", "BPF twin: %d %s", ret, err);
		kmod_twin__destroy(skel);
		return -1;
	}
	*out = skel;
	return 0;
}

/*
 * One exec/exit, one block write, one loopback connection and some context
 * switches, seen by ringscope.ko and by BPF programs filling the same
 * payloads from the same fields (kmod_twin.bpf.c): records must be equal.
 */
static int test_byte_identity(void)
{
	struct rec_list kl = { 0 }, bl = { 0 };
	struct rs_ring_set kset, bset;
	struct kmod_twin *skel = NULL;
	struct seen s;
	struct pingpong pp;
	pthread_t th;
	char err[256];
	uint64_t n, twins;
	int l1, c1, a1, l2, c2, c3, i;

	memset(&s, 0, sizeof(s));
	s.parent = getpid();
	if (session_open(&kset, 14, 0, __func__))
		return 1;
	if (bpf_twin_open(&skel, &bset, 14)) {
		rs_ring_set_close(&kset);
		snprintf(skip_reason, sizeof(skip_reason),
			 "BPF twin programs did not load in this guest");
		return 77;
	}
	CHECK(!rs_kmod_enable(kset.fd, RS_KMOD_GROUPS_ALL, err, sizeof(err)),
	      "%s", err);
	CHECK(!kmod_twin__attach(skel), "attach BPF twin: %s", strerror(errno));
	CHECK(!pingpong_start(&pp, &th), "sleeper thread");
	for (i = 0; i < 20; i++)
		pingpong_round(&pp);
	pingpong_stop(&pp, th);
	s.child = run_exit3();
	CHECK(block_activity(&s.blkdev) == 0, "block activity on %s", BLOCK_DEV);
	l1 = tcp_listener(8, &s.port1);
	c1 = tcp_connect(s.port1, 0, NULL);
	a1 = accept(l1, NULL, NULL);
	CHECK(l1 >= 0 && c1 >= 0 && a1 >= 0, "loopback connection");
	close(c1);
	close(a1);
	close(l1);
	/* a SYN to a full accept queue, retransmitted after 1 s */
	l2 = tcp_listener(0, &s.port2);
	c2 = tcp_connect(s.port2, 0, NULL);
	sleep_ms(50);
	c3 = tcp_connect(s.port2, 1, NULL);
	CHECK(l2 >= 0 && c2 >= 0 && c3 >= 0, "full accept queue");
	for (i = 0; i < 40; i++) {
		sleep_ms(100);
		collect_all(&kset, &kl);
		collect_all(&bset, &bl);
		match(&kl, &bl, is_our_retransmit, &s, &n, &twins);
		if (n)
			break;
	}
	close(c3);
	close(c2);
	close(l2);
	kmod_twin__detach(skel);
	CHECK(!rs_kmod_disable(kset.fd, RS_KMOD_GROUPS_ALL, err, sizeof(err)),
	      "%s", err);
	collect_all(&kset, &kl);
	collect_all(&bset, &bl);

	match(&kl, &bl, is_child_proc, &s, &n, &twins);
	CHECK(n == 2 && twins == 2, "exec+exit: %llu kmod records, %llu twins",
	      (unsigned long long)n, (unsigned long long)twins);
	figure("twin.proc", twins);
	match(&kl, &bl, is_our_block, &s, &n, &twins);
	/* write: issue, complete; bad read: issue, error, complete (-EIO) */
	CHECK(n == 5 && twins == 5, "block: %llu kmod records, %llu twins",
	      (unsigned long long)n, (unsigned long long)twins);
	figure("twin.block", twins);
	match(&kl, &bl, is_our_retransmit, &s, &n, &twins);
	CHECK(n >= 1 && twins == n, "retransmit: %llu kmod records, %llu twins",
	      (unsigned long long)n, (unsigned long long)twins);
	figure("twin.tcp_retransmit", twins);
	match(&kl, &bl, is_our_tcp, &s, &n, &twins);
	CHECK(n >= 6 && twins == n, "tcp state: %llu kmod records, %llu twins",
	      (unsigned long long)n, (unsigned long long)twins);
	figure("twin.tcp_state", twins);
	bpf_window(&bl);
	match(&kl, &bl, is_sched, &s, &n, &twins);
	CHECK(n >= 40 && twins * 100 >= n * 99,
	      "sched switch/wakeup: %llu kmod records, %llu twins",
	      (unsigned long long)n, (unsigned long long)twins);
	figure("twin.sched_kmod", n);
	figure("twin.sched_twins", twins);
	figure("twin.kmod_records", kl.n);
	figure("twin.bpf_records", bl.n);
	free(kl.recs);
	free(bl.recs);
	rs_ring_set_close(&bset);
	kmod_twin__destroy(skel);
	rs_ring_set_close(&kset);
	return test_failed;
}

static int test_source_choice(void)
{
	enum rs_source_choice ch;

	CHECK(!rs_source_choice_parse("auto", &ch) && ch == RS_SOURCE_CHOICE_AUTO,
	      "auto");
	CHECK(!rs_source_choice_parse("kmod", &ch) && ch == RS_SOURCE_CHOICE_KMOD,
	      "kmod");
	CHECK(!rs_source_choice_parse("bpf", &ch) && ch == RS_SOURCE_CHOICE_BPF,
	      "bpf");
	CHECK(rs_source_choice_parse("ebpf", &ch) == -EINVAL, "ebpf refused");
	CHECK(rs_source_resolve(RS_SOURCE_CHOICE_AUTO, RS_KMOD_GROUP_TCP, NULL) ==
	      RS_SOURCE_KMOD, "auto with the device -> kmod");
	CHECK(rs_source_resolve(RS_SOURCE_CHOICE_AUTO, RS_KMOD_GROUP_TCP,
				"/dev/ringscope-missing") == RS_SOURCE_BPF,
	      "auto without the device -> bpf");
	CHECK(rs_source_resolve(RS_SOURCE_CHOICE_AUTO,
				rs_kmod_group_by_name("mem"), NULL) ==
	      RS_SOURCE_BPF, "auto for a group the kmod lacks -> bpf");
	CHECK(rs_source_resolve(RS_SOURCE_CHOICE_BPF, RS_KMOD_GROUP_SCHED, NULL) ==
	      RS_SOURCE_BPF, "bpf stays bpf");
	return test_failed;
}

struct test {
	const char *name;
	int (*fn)(void);
};

static const struct test tests[] = {
	{ "open_and_hello", test_open_and_hello },
	{ "bad_ioctls", test_bad_ioctls },
	{ "records_collect", test_records_collect },
	{ "sched_records", test_sched_records },
	{ "block_records", test_block_records },
	{ "tcp_records", test_tcp_records },
	{ "accounting_small_ring", test_accounting_small_ring },
	{ "poll_doorbell", test_poll_doorbell },
	{ "watchers", test_watchers },
	{ "nested_producers", test_nested_producers },
	{ "byte_identity", test_byte_identity },
	{ "source_choice", test_source_choice },
};

int main(void)
{
	size_t i;
	int ret, failed = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		test_failed = 0;
		skip_reason[0] = '\0';
		ret = tests[i].fn();
		if (ret == 77) {
			printf("RSTEST SKIP %s: %s\n", tests[i].name, skip_reason);
		} else if (ret) {
			printf("RSTEST FAIL %s\n", tests[i].name);
			failed++;
		} else {
			printf("RSTEST PASS %s\n", tests[i].name);
		}
	}
	return failed ? 1 : 0;
}
