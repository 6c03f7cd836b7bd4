// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
// ringscope-testbroker.c - a Kafka-protocol broker for tests and demos:
// librdkafka's mock cluster in its own process, topics created, bootstrap
// address printed, up until SIGTERM/SIGINT.
//
// Usage: ringscope-testbroker [-p PORT] [-b BROKERS] [-P PARTITIONS]
//                             [-t TOPIC,...] [-a ADDRFILE]
// -p pins the listening ports (broker i on PORT + i) so that a test can kill
// the broker and start a new one at the same address. librdkafka 2.0's mock
// cluster always binds 127.0.0.1:0 and has no option for a port, so this
// program interposes bind(): its own definition wins over libc's for
// librdkafka's calls, and rewrites a loopback port 0 into the next pinned
// port (the mock sets SO_REUSEADDR, so a restart is not blocked by
// TIME_WAIT). The data of a killed broker is gone: a new one starts empty.
#include <arpa/inet.h>
#include <dlfcn.h>
#include <getopt.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static int pinned_port, pinned_next;

int bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	static int (*real_bind)(int, const struct sockaddr *, socklen_t);
	struct sockaddr_in sin;

	if (!real_bind)
		*(void **)&real_bind = dlsym(RTLD_NEXT, "bind");
	if (pinned_port && addr->sa_family == AF_INET && len >= sizeof(sin)) {
		memcpy(&sin, addr, sizeof(sin));
		if (sin.sin_port == 0 && sin.sin_addr.s_addr == htonl(INADDR_LOOPBACK)) {
			sin.sin_port = htons((uint16_t)(pinned_port + pinned_next++));
			return real_bind(fd, (const struct sockaddr *)&sin, sizeof(sin));
		}
	}
	return real_bind(fd, addr, len);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: ringscope-testbroker [-p PORT] [-b BROKERS] [-P PARTITIONS] "
		   "[-t TOPIC,...] [-a ADDRFILE]\n"
		   "  -p PORT        listen on 127.0.0.1:PORT (broker i on PORT+i); "
		   "default: any free port\n"
		   "  -b BROKERS     number of brokers (1)\n"
		   "  -P PARTITIONS  partitions per topic (1)\n"
		   "  -t TOPICS      topics to create (gala_gopher,gala_gopher_event,"
		   "gala_gopher_metadata)\n"
		   "  -a ADDRFILE    also write the bootstrap address to ADDRFILE\n");
}

int main(int argc, char **argv)
{
	char topics[1024] = "gala_gopher,gala_gopher_event,gala_gopher_metadata";
	const char *addrfile = NULL;
	int brokers = 1, partitions = 1, opt, sig, err = 1;
	rd_kafka_mock_cluster_t *mc = NULL;
	rd_kafka_conf_t *conf;
	rd_kafka_t *rk = NULL;
	char why[256], *topic, *save;
	sigset_t set;

	while ((opt = getopt(argc, argv, "p:b:P:t:a:h")) != -1) {
		switch (opt) {
		case 'p':
			pinned_port = atoi(optarg);
			break;
		case 'b':
			brokers = atoi(optarg);
			break;
		case 'P':
			partitions = atoi(optarg);
			break;
		case 't':
			snprintf(topics, sizeof(topics), "%s", optarg);
			break;
		case 'a':
			addrfile = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (pinned_port < 0 || pinned_port > 65535 - brokers || brokers < 1 ||
	    brokers > 16 || partitions < 1 || partitions > 1000) {
		usage(stderr);
		return 2;
	}
	/* SIGTERM/SIGINT are waited for, not delivered */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	conf = rd_kafka_conf_new();
	rd_kafka_conf_set(conf, "log_level", "3", why, sizeof(why));
	rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, why, sizeof(why));
	if (!rk) {
		fprintf(stderr, "failed to create librdkafka handle: %s\n", why);
		return 1;
	}
	mc = rd_kafka_mock_cluster_new(rk, brokers);
	if (!mc) {
		fprintf(stderr, "failed to create mock cluster%s\n",
			pinned_port ? " (port in use?)" : "");
		goto cleanup;
	}
	for (topic = strtok_r(topics, ",", &save); topic; topic = strtok_r(NULL, ",", &save)) {
		rd_kafka_resp_err_t e = rd_kafka_mock_topic_create(mc, topic, partitions,
								   brokers < 3 ? brokers : 3);
		if (e) {
			fprintf(stderr, "failed to create topic %s: %s\n", topic,
				rd_kafka_err2str(e));
			goto cleanup;
		}
	}
	printf("%s\n", rd_kafka_mock_cluster_bootstraps(mc));
	fflush(stdout);
	if (addrfile) {
		FILE *f = fopen(addrfile, "w");

		if (!f || fprintf(f, "%s\n", rd_kafka_mock_cluster_bootstraps(mc)) < 0 ||
		    fclose(f)) {
			fprintf(stderr, "failed to write %s\n", addrfile);
			goto cleanup;
		}
	}
	sigwait(&set, &sig);
	err = 0;
cleanup:
	if (mc)
		rd_kafka_mock_cluster_destroy(mc);
	rd_kafka_destroy(rk);
	return err;
}
