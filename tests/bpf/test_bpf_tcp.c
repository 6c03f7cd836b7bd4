// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Description: the tcp probe (bpf/tcp.bpf.c) against ground truth no one
 * here wrote: iperf3 between two network namespaces (tx/rx bytes of the data
 * connection within 0.5% of iperf3's own counts, owners are the iperf3
 * processes), and a burst of short-lived loopback connections (every one
 * reported at close with its exact byte counts, roles and owner), and a
 * listener that never accepts (its listen drops equal the ListenDrops delta
 * of /proc/net/netstat in its own network namespace), and retransmissions
 * forced by an nftables rule dropping 10% of iperf3's segments (the sockets'
 * retransmissions equal the namespace's RetransSegs delta, /proc/net/snmp).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "shm.h"
#include "tcp.skel.h"
#include "bpf_helpers_test.h"
#include "drain_thread.h"
#include "netns_pair.h"

extern char **environ;

#define MAX_SOCKS 4096

/* What the records said about one socket. */
struct sock_view {
	uint64_t id;
	uint16_t family, sport, dport;
	uint32_t owner_tgid;
	unsigned int states;		/* TCP_STATE records */
	unsigned int walks;		/* non-final TCP_STATS records */
	bool final;
	struct rs_tcp_stats last;
	struct rs_tcp_rtt rtt;
};

struct probe {
	struct tcp *skel;
	struct rs_ring_set set;
	struct bpf_link *iter;
	struct drain_thread drainer;
	pthread_mutex_t lock;		/* the test reads views while draining */
	struct sock_view socks[MAX_SOCKS];
	unsigned int nsocks;
	struct rs_tcp_listen listens[64];	/* last record per listener */
	unsigned int nlistens;
	uint64_t bad;
};

static struct sock_view *view_of(struct probe *p, uint64_t id)
{
	unsigned int i;

	for (i = 0; i < p->nsocks; i++)
		if (p->socks[i].id == id)
			return &p->socks[i];
	if (p->nsocks == MAX_SOCKS)
		return NULL;
	p->socks[p->nsocks].id = id;
	return &p->socks[p->nsocks++];
}

static void on_record(void *ctx, const struct rs_ring *ring, const struct rs_record *rec)
{
	struct probe *p = ctx;
	struct sock_view *v = NULL;
	uint32_t type = rs_ctl_type(rec->hdr.ctl), tgid = rs_ctl_tgid(rec->hdr.ctl);

	(void)ring;
	pthread_mutex_lock(&p->lock);
	switch (type) {
	case RS_REC_TCP_STATE:
		v = view_of(p, rec->payload.rs_tcp_state.sock_id);
		if (!v)
			break;
		/* once bound (connect binds after SYN_SENT), every record of a
		 * socket names the same link, its CLOSE included */
		v->states++;
		if (!rec->payload.rs_tcp_state.sport)
			break;
		if (v->sport && (v->sport != rec->payload.rs_tcp_state.sport ||
				 v->dport != rec->payload.rs_tcp_state.dport))
			p->bad++;
		v->family = rec->payload.rs_tcp_state.family;
		v->sport = rec->payload.rs_tcp_state.sport;
		v->dport = rec->payload.rs_tcp_state.dport;
		break;
	case RS_REC_TCP_STATS:
		v = view_of(p, rec->payload.rs_tcp_stats.sock_id);
		if (!v)
			break;
		if (v->final || rec->payload.rs_tcp_stats.rx_bytes < v->last.rx_bytes ||
		    rec->payload.rs_tcp_stats.tx_bytes < v->last.tx_bytes)
			p->bad++;		/* after final, or going backwards */
		v->last = rec->payload.rs_tcp_stats;
		if (v->last.flags & RS_TCP_F_FINAL)
			v->final = true;
		else
			v->walks++;
		break;
	case RS_REC_TCP_LISTEN: {
		unsigned int i;

		for (i = 0; i < p->nlistens; i++)
			if (p->listens[i].sock_id == rec->payload.rs_tcp_listen.sock_id)
				break;
		if (i < 64) {
			p->listens[i] = rec->payload.rs_tcp_listen;
			if (i == p->nlistens)
				p->nlistens++;
		}
		break;
	}
	case RS_REC_TCP_RTT:
		v = view_of(p, rec->payload.rs_tcp_rtt.sock_id);
		if (!v)
			break;
		v->rtt = rec->payload.rs_tcp_rtt;
		break;
	default:
		v = NULL;
		p->bad++;
		break;
	}
	if (v && tgid)
		v->owner_tgid = tgid;
	pthread_mutex_unlock(&p->lock);
}

/*
 * Run the iterator once: every open socket reports its statistics. A tcp
 * iterator walks the network namespace its creator is in, so to walk a
 * named namespace the thread enters it for the walk and comes back.
 */
static void walk(struct probe *p, const char *netns)
{
	char buf[256], path[128];
	int fd, home = -1, ns;

	if (netns) {
		home = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
		snprintf(path, sizeof(path), "/var/run/netns/%s", netns);
		ns = open(path, O_RDONLY | O_CLOEXEC);
		assert_true(home >= 0 && ns >= 0);
		assert_int_equal(setns(ns, CLONE_NEWNET), 0);
		close(ns);
	}
	fd = bpf_iter_create(bpf_link__fd(p->iter));
	if (netns) {
		assert_int_equal(setns(home, CLONE_NEWNET), 0);
		close(home);
	}
	assert_true(fd >= 0);
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	close(fd);
}

static void probe_start(struct probe *p)
{
	char err[256];
	int ret;

	memset(p, 0, sizeof(*p));
	pthread_mutex_init(&p->lock, NULL);
	p->skel = tcp__open();
	assert_non_null(p->skel);
	bpf_map__set_value_size(p->skel->maps.rs_rings, rs_bpf_ring_value_size(14));
	bpf_map__set_max_entries(p->skel->maps.rs_rings, libbpf_num_possible_cpus());
	p->skel->rodata->rs_ring_order = 14;
	p->skel->rodata->rs_ring_watermark = 1U << 13;
	p->skel->rodata->count_zero_windows = true;
	ret = tcp__load(p->skel);
	if (ret)
		fail_msg("failed to load the tcp probe: %s", strerror(-ret));
	if (rs_bpf_rings_format(bpf_map__fd(p->skel->maps.rs_rings), 0, err, sizeof(err)) ||
	    rs_ring_set_from_bpf_map(&p->set, bpf_map__fd(p->skel->maps.rs_rings), -1,
				     err, sizeof(err)))
		fail_msg("%s", err);
	ret = tcp__attach(p->skel);
	if (ret)
		fail_msg("failed to attach the tcp probe: %s", strerror(-ret));
	p->iter = p->skel->links.tcp_walk;
	assert_non_null(p->iter);
	assert_int_equal(drain_thread_start(&p->drainer, &p->set, on_record, p), 0);
}

static void probe_stop(struct probe *p)
{
	struct rs_ring_counters c;
	uint64_t dropped = 0;
	unsigned int i;

	drain_thread_stop(&p->drainer);
	for (i = 0; i < p->set.nrings; i++) {
		rs_ring_read_counters(&p->set.rings[i], &c);
		dropped += c.dropped;
	}
	assert_int_equal(dropped, 0);
	assert_int_equal(p->bad, 0);
	rs_ring_set_close(&p->set);
	tcp__destroy(p->skel);
}

static pid_t spawn(const char *out_path, char *const argv[])
{
	posix_spawn_file_actions_t fa;
	pid_t pid;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	if (posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ))
		pid = -1;
	posix_spawn_file_actions_destroy(&fa);
	return pid;
}

/* Wait (up to 5 s) until something listens on port inside namespace ns. */
static int wait_listening(const char *ns, int port)
{
	char cmd[256];
	int i;

	snprintf(cmd, sizeof(cmd),
		 "ip netns exec %s ss -Hltn 'sport = :%d' | grep -q LISTEN", ns, port);
	for (i = 0; i < 50; i++) {
		if (system(cmd) == 0)
			return 0;
		usleep(100 * 1000);
	}
	return -1;
}

static json_int_t json_path_int(json_t *root, const char *a, const char *b, const char *c)
{
	json_t *v = json_object_get(json_object_get(json_object_get(root, a), b), c);

	return json_is_integer(v) ? json_integer_value(v) :
	       json_is_real(v) ? (json_int_t)json_real_value(v) : -1;
}

static struct sock_view *find(struct probe *p, uint16_t sport, uint16_t dport)
{
	unsigned int i;

	for (i = 0; i < p->nsocks; i++)
		if (p->socks[i].sport == sport && p->socks[i].dport == dport)
			return &p->socks[i];
	return NULL;
}

static void test_iperf3_bytes(void **state)
{
	char srv_out[] = "/tmp/rs-iperf3-srv-XXXXXX", cli_out[] = "/tmp/rs-iperf3-cli-XXXXXX";
	struct netns_pair ns;
	struct probe *p = calloc(1, sizeof(*p));
	struct sock_view *client, *server;
	json_t *srv_json, *cli_json;
	json_error_t jerr;
	pid_t srv, cli;
	int status, i, fd, data_port;
	json_int_t sent, received;
	double err_tx, err_rx;

	(void)state;
	if (system("command -v iperf3 >/dev/null 2>&1") != 0) {
		print_message("skipped: iperf3 not installed (make deps)\n");
		free(p);
		skip();
	}
	assert_int_equal(netns_pair_create(&ns, "rstcp", 7), 0);
	probe_start(p);
	fd = mkstemp(srv_out);
	close(fd);
	fd = mkstemp(cli_out);
	close(fd);
	{
		char *srv_argv[] = { "ip", "netns", "exec", ns.b, "iperf3", "-s", "-1", "-J", NULL };

		srv = spawn(srv_out, srv_argv);
	}
	assert_true(srv > 0);
	assert_int_equal(wait_listening(ns.b, 5201), 0);
	{
		char *cli_argv[] = { "ip", "netns", "exec", ns.a, "iperf3", "-c", ns.addr_b,
				     "-t", "2", "-J", NULL };

		cli = spawn(cli_out, cli_argv);
	}
	assert_true(cli > 0);
	for (i = 0; i < 12; i++) {		/* walk while it runs */
		usleep(200 * 1000);
		walk(p, ns.a);
		walk(p, ns.b);
	}
	assert_int_equal(waitpid(cli, &status, 0), cli);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(waitpid(srv, &status, 0), srv);
	usleep(100 * 1000);
	probe_stop(p);

	cli_json = json_load_file(cli_out, 0, &jerr);
	srv_json = json_load_file(srv_out, 0, &jerr);
	assert_non_null(cli_json);
	assert_non_null(srv_json);
	sent = json_path_int(cli_json, "end", "sum_sent", "bytes");
	received = json_path_int(srv_json, "end", "sum_received", "bytes");
	data_port = (int)json_integer_value(json_object_get(json_array_get(json_object_get(
		json_object_get(cli_json, "start"), "connected"), 0), "local_port"));
	assert_true(sent > 0 && received > 0 && data_port > 0);

	client = find(p, (uint16_t)data_port, 5201);
	server = find(p, 5201, (uint16_t)data_port);
	if (!client || !server) {
		unsigned int k;

		print_message("data port %d; sockets seen:\n", data_port);
		for (k = 0; k < p->nsocks; k++)
			print_message("  %u -> %u family %u final %d\n", p->socks[k].sport,
				      p->socks[k].dport, p->socks[k].family, p->socks[k].final);
	}
	assert_non_null(client);
	assert_non_null(server);
	assert_true(client->final && server->final);
	err_tx = 100.0 * ((double)client->last.tx_bytes - (double)sent) / (double)sent;
	err_rx = 100.0 * ((double)server->last.rx_bytes - (double)received) / (double)received;
	print_message("    iperf3 sent %lld B, tcp_link tx %llu B (%+.4f%%); received %lld B, "
		      "tcp_link rx %llu B (%+.4f%%); walks %u/%u; srtt %u us; setup %u us\n",
		      (long long)sent, (unsigned long long)client->last.tx_bytes, err_tx,
		      (long long)received, (unsigned long long)server->last.rx_bytes, err_rx,
		      client->walks, server->walks, client->rtt.srtt_us, client->rtt.setup_us);
	assert_true(err_tx > -0.5 && err_tx < 0.5);
	assert_true(err_rx > -0.5 && err_rx < 0.5);
	assert_true(client->walks > 0 && server->walks > 0);	/* the iterator saw them */
	assert_true(client->last.flags & RS_TCP_F_CLIENT);
	assert_true(server->last.flags & RS_TCP_F_SERVER);
	assert_int_equal(client->owner_tgid, (uint32_t)cli);	/* ip netns exec execs */
	assert_int_equal(server->owner_tgid, (uint32_t)srv);
	json_decref(cli_json);
	json_decref(srv_json);
	unlink(srv_out);
	unlink(cli_out);
	netns_pair_destroy(&ns);
	free(p);
}

struct burst {
	int listen_fd;
	int count;
	size_t bytes;
};

static void *accept_loop(void *arg)
{
	struct burst *b = arg;
	char buf[4096];
	int i;

	for (i = 0; i < b->count; i++) {
		int fd = accept4(b->listen_fd, NULL, NULL, SOCK_CLOEXEC);
		size_t got = 0;
		ssize_t n;

		if (fd < 0)
			break;
		while (got < b->bytes && (n = read(fd, buf, sizeof(buf))) > 0)
			got += (size_t)n;
		close(fd);
	}
	return NULL;
}

static void test_short_connections(void **state)
{
	const int count = 200;
	const size_t bytes = 1000;
	struct probe *p = calloc(1, sizeof(*p));
	struct sockaddr_in addr = { .sin_family = AF_INET };
	socklen_t len = sizeof(addr);
	struct burst b = { .count = count, .bytes = bytes };
	char payload[1000];
	pthread_t acceptor;
	unsigned int i, clients = 0, servers = 0;
	uint16_t port;
	int k;

	(void)state;
	memset(payload, 'x', sizeof(payload));
	probe_start(p);
	b.listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(b.listen_fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	assert_int_equal(listen(b.listen_fd, 256), 0);
	assert_int_equal(getsockname(b.listen_fd, (struct sockaddr *)&addr, &len), 0);
	port = ntohs(addr.sin_port);
	assert_int_equal(pthread_create(&acceptor, NULL, accept_loop, &b), 0);
	for (k = 0; k < count; k++) {
		int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

		assert_int_equal(connect(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
		assert_int_equal(write(fd, payload, bytes), (ssize_t)bytes);
		shutdown(fd, SHUT_WR);
		while (read(fd, payload, 1) > 0)	/* wait for the server's close */
			;
		close(fd);
	}
	pthread_join(acceptor, NULL);
	close(b.listen_fd);
	usleep(200 * 1000);
	probe_stop(p);

	for (i = 0; i < p->nsocks; i++) {
		struct sock_view *v = &p->socks[i];

		if (v->dport == port && v->final) {
			clients++;
			assert_int_equal(v->last.tx_bytes, bytes);
			assert_true(v->last.flags & RS_TCP_F_CLIENT);
			assert_int_equal(v->owner_tgid, (uint32_t)getpid());
			assert_true(v->rtt.setup_us > 0);
		} else if (v->sport == port && v->dport != 0 && v->final) {
			servers++;
			assert_int_equal(v->last.rx_bytes, bytes);
			assert_true(v->last.flags & RS_TCP_F_SERVER);
			assert_int_equal(v->owner_tgid, (uint32_t)getpid());
		}
	}
	print_message("    %d connections: %u client and %u server sockets reported at close\n",
		      count, clients, servers);
	assert_int_equal(clients, count);
	assert_int_equal(servers, count);
	free(p);
}

/* ListenDrops of the calling thread's network namespace. */
static unsigned long long listen_drops_here(void)
{
	FILE *f = fopen("/proc/thread-self/net/netstat", "r");
	char names[4096], values[4096];
	unsigned long long v = 0;

	assert_non_null(f);
	while (fgets(names, sizeof(names), f) && fgets(values, sizeof(values), f)) {
		char *n, *x, *sn, *sx;

		if (strncmp(names, "TcpExt:", 7))
			continue;
		n = strtok_r(names, " \n", &sn);
		x = strtok_r(values, " \n", &sx);
		while (n && x) {
			if (!strcmp(n, "ListenDrops"))
				v = strtoull(x, NULL, 10);
			n = strtok_r(NULL, " \n", &sn);
			x = strtok_r(NULL, " \n", &sx);
		}
	}
	fclose(f);
	return v;
}

static void test_listen_drops(void **state)
{
	struct netns_pair ns;
	struct probe *p = calloc(1, sizeof(*p));
	struct sockaddr_in addr = { .sin_family = AF_INET };
	socklen_t len = sizeof(addr);
	int home, nsfd, l, fds[16], k;
	unsigned long long before, after;
	struct rs_tcp_listen *seen = NULL;
	char path[128];
	unsigned int i;
	uint16_t port;

	(void)state;
	assert_int_equal(netns_pair_create(&ns, "rslst", 11), 0);
	probe_start(p);
	home = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	snprintf(path, sizeof(path), "/var/run/netns/%s", ns.a);
	nsfd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(home >= 0 && nsfd >= 0);
	assert_int_equal(setns(nsfd, CLONE_NEWNET), 0);
	before = listen_drops_here();
	l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(l, (struct sockaddr *)&addr, sizeof(addr)), 0);
	assert_int_equal(listen(l, 1), 0);		/* and never accept */
	assert_int_equal(getsockname(l, (struct sockaddr *)&addr, &len), 0);
	port = ntohs(addr.sin_port);
	for (k = 0; k < 16; k++) {
		fds[k] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		connect(fds[k], (struct sockaddr *)&addr, sizeof(addr));
	}
	usleep(1500 * 1000);				/* SYN retries drop too */
	walk(p, NULL);					/* still in the namespace */
	after = listen_drops_here();
	usleep(100 * 1000);
	pthread_mutex_lock(&p->lock);
	for (i = 0; i < p->nlistens; i++)
		if (p->listens[i].port == port)
			seen = &p->listens[i];
	assert_non_null(seen);
	print_message("    listener :%u: listen drops %u (ListenDrops delta %llu), "
		      "backlog %u of %u\n", port, seen->listen_drops, after - before,
		      seen->backlog, seen->max_backlog);
	assert_true(after - before > 0);
	assert_int_equal(seen->listen_drops, after - before);
	assert_int_equal(seen->max_backlog, 1);
	assert_true(seen->backlog >= 1);
	assert_false(seen->flags & RS_TCP_F_FINAL);
	pthread_mutex_unlock(&p->lock);
	close(l);					/* stops listening: final record */
	for (k = 0; k < 16; k++)
		close(fds[k]);
	assert_int_equal(setns(home, CLONE_NEWNET), 0);
	close(home);
	close(nsfd);
	usleep(100 * 1000);
	probe_stop(p);
	for (i = 0; i < p->nlistens; i++)
		if (p->listens[i].port == port)
			seen = &p->listens[i];
	assert_true(seen->flags & RS_TCP_F_FINAL);
	netns_pair_destroy(&ns);
	free(p);
}

/* RetransSegs of namespace ns, read by a process inside it. */
static unsigned long long retrans_segs_in(const char *ns)
{
	char cmd[256], names[2048], values[2048];
	unsigned long long v = 0;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "ip netns exec %s cat /proc/net/snmp", ns);
	f = popen(cmd, "r");
	assert_non_null(f);
	while (fgets(names, sizeof(names), f) && fgets(values, sizeof(values), f)) {
		char *n, *x, *sn, *sx;

		if (strncmp(names, "Tcp:", 4))
			continue;
		n = strtok_r(names, " \n", &sn);
		x = strtok_r(values, " \n", &sx);
		while (n && x) {
			if (!strcmp(n, "RetransSegs"))
				v = strtoull(x, NULL, 10);
			n = strtok_r(NULL, " \n", &sn);
			x = strtok_r(NULL, " \n", &sx);
		}
	}
	pclose(f);
	return v;
}

static void test_retransmissions(void **state)
{
	char out[] = "/tmp/rs-iperf3-rtx-XXXXXX", cmd[512];
	struct netns_pair ns;
	struct probe *p = calloc(1, sizeof(*p));
	unsigned long long before, after, ours = 0;
	unsigned int i, sockets = 0;
	pid_t srv, cli;
	int status, fd;
	double err;

	(void)state;
	if (system("command -v iperf3 >/dev/null 2>&1 && command -v nft >/dev/null 2>&1") != 0) {
		print_message("skipped: needs iperf3 and nft (make deps)\n");
		free(p);
		skip();
	}
	assert_int_equal(netns_pair_create(&ns, "rsrtx", 13), 0);
	snprintf(cmd, sizeof(cmd),
		 "ip netns exec %s nft add table inet rs && "
		 "ip netns exec %s nft add chain inet rs out '{ type filter hook output priority 0; }' && "
		 "ip netns exec %s nft add rule inet rs out tcp dport 5201 numgen random mod 100 '<' 10 drop",
		 ns.a, ns.a, ns.a);
	assert_int_equal(system(cmd), 0);
	probe_start(p);
	fd = mkstemp(out);
	close(fd);
	before = retrans_segs_in(ns.a);
	{
		char *srv_argv[] = { "ip", "netns", "exec", ns.b, "iperf3", "-s", "-1", NULL };

		srv = spawn("/dev/null", srv_argv);
	}
	assert_true(srv > 0);
	assert_int_equal(wait_listening(ns.b, 5201), 0);
	{
		char *cli_argv[] = { "ip", "netns", "exec", ns.a, "iperf3", "-c", ns.addr_b,
				     "-t", "2", NULL };

		cli = spawn(out, cli_argv);
	}
	assert_int_equal(waitpid(cli, &status, 0), cli);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(waitpid(srv, &status, 0), srv);
	usleep(300 * 1000);
	after = retrans_segs_in(ns.a);
	probe_stop(p);
	for (i = 0; i < p->nsocks; i++)
		if (p->socks[i].dport == 5201 && p->socks[i].final) {
			ours += p->socks[i].last.retrans;
			sockets++;
		}
	err = after > before ? 100.0 * ((double)ours - (double)(after - before)) /
			       (double)(after - before) : 100.0;
	print_message("    10%% of segments dropped: RetransSegs delta %llu, tcp_link retransmissions "
		      "%llu over %u client sockets (%+.2f%%)\n", after - before, ours, sockets, err);
	assert_true(after - before >= 20);
	assert_true(err > -1.0 && err < 1.0);
	unlink(out);
	netns_pair_destroy(&ns);
	free(p);
}

int main(void)
{
	const char *why = bpf_test_skip_reason();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_short_connections),
		cmocka_unit_test(test_iperf3_bytes),
		cmocka_unit_test(test_listen_drops),
		cmocka_unit_test(test_retransmissions),
	};

	if (why) {
		printf("[==========] bpf_tcp: skipped: %s\n", why);
		printf("[  SKIPPED ] %zu test(s), listed below:\n", sizeof(tests) / sizeof(tests[0]));
		return 0;
	}
	return cmocka_run_group_tests_name("bpf_tcp", tests, NULL, NULL);
}
