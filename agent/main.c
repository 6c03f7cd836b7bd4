// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * main.c - ringscoped: command line, configuration, signals and the tick
 * loop. SIGTERM/SIGINT stop cleanly (rings drained, last snapshot written,
 * exit 0); SIGHUP reloads the configuration, keeping every counter.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"
#include "buf.h"
#include "log.h"

#define EXIT_CONFIG 2

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: ringscoped [OPTION]...\n"
		"Linux node observability agent: drains per-CPU record rings, collects\n"
		"/proc and /sys, serves Prometheus metrics (gala-gopher compatible).\n\n"
		"  -c, --config FILE     configuration file (libconfig); default: embedded\n"
		"      --check-config    validate the configuration (and meta files), exit\n"
		"  -f, --foreground      stay in the foreground (default: daemonize)\n"
		"      --log-level LEVEL debug, info, warn or error (overrides the file)\n"
		"      --print-default-config  print the embedded default configuration\n"
		"      --metrics-doc     print the metrics reference (markdown) and exit\n"
		"  -V, --version         print the version and exit\n"
		"  -h, --help            print this help and exit\n\n"
		"Exit status: 0 ok, 1 runtime failure, 2 bad configuration or usage.\n");
}

static int check_config(const struct rs_config *cfg)
{
	struct rs_meta_set meta;
	unsigned int i, disabled = 0;

	rs_agent_load_meta(&meta, cfg);
	for (i = 0; i < meta.nerrors; i++)
		fprintf(stderr, "ringscoped: meta: %s\n", meta.errors[i]);
	for (i = 0; i < meta.nentities; i++)
		disabled += meta.entities[i].disabled != 0;
	printf("%s: configuration OK; meta: %u tables, %u entities (%u disabled), %u errors\n",
	       cfg->source, meta.ntables, meta.nentities, disabled, meta.nerrors);
	rs_meta_free(&meta);
	return 0;
}

static int metrics_doc(struct rs_config *cfg)
{
	struct rs_meta_set meta;
	struct stat st;
	struct rs_buf b;

	if (!cfg->meta_dir[0] && !stat("agent/meta", &st))
		snprintf(cfg->meta_dir, sizeof(cfg->meta_dir), "agent/meta");
	rs_agent_load_meta(&meta, cfg);
	rs_buf_init(&b);
	rs_metrics_doc(&meta, cfg, &b);
	fwrite(b.data, 1, b.len, stdout);
	rs_buf_free(&b);
	rs_meta_free(&meta);
	return 0;
}

static uint64_t next_boundary_ns(uint64_t now, uint64_t interval)
{
	return (now / interval + 1) * interval;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check-config", no_argument, NULL, 'C' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "log-level", required_argument, NULL, 'L' },
		{ "print-default-config", no_argument, NULL, 'P' },
		{ "metrics-doc", no_argument, NULL, 'M' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = NULL;
	int check = 0, foreground = 0, level = -1, doc = 0, c;
	struct rs_config cfg, fresh;
	struct rs_agent agent;
	sigset_t sigs;
	char err[1024];

	while ((c = getopt_long(argc, argv, "c:fVh", opts, NULL)) != -1) {
		switch (c) {
		case 'c': path = optarg; break;
		case 'C': check = 1; break;
		case 'f': foreground = 1; break;
		case 'L':
			level = rs_log_level_parse(optarg);
			if (level < 0) {
				fprintf(stderr, "ringscoped: --log-level: '%s' is not debug, info, warn or error\n",
					optarg);
				return EXIT_CONFIG;
			}
			break;
		case 'P': fputs(rs_default_config, stdout); return 0;
		case 'M': doc = 1; break;
		case 'V': printf("ringscoped %s\n", RS_VERSION); return 0;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return EXIT_CONFIG;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "ringscoped: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return EXIT_CONFIG;
	}
	if (rs_config_load(&cfg, path, err, sizeof(err))) {
		fprintf(stderr, "ringscoped: bad configuration: %s\n", err);
		return EXIT_CONFIG;
	}
	if (level >= 0)
		cfg.log_level = level;
	if (check)
		return check_config(&cfg);
	if (doc)
		return metrics_doc(&cfg);
	if (rs_log_open(cfg.log_level, cfg.log_file)) {
		fprintf(stderr, "ringscoped: cannot open log file %s: %s\n", cfg.log_file,
			strerror(errno));
		return EXIT_CONFIG;
	}
	if (!foreground && daemon(0, cfg.log_file[0] ? 0 : 1)) {
		fprintf(stderr, "ringscoped: daemon: %s\n", strerror(errno));
		return 1;
	}
	/* every thread inherits the mask: signals are taken here, synchronously */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	sigaddset(&sigs, SIGUSR1);	/* a REST request waits (rest.h) */
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	rs_info("ringscoped %s starting, configuration %s", RS_VERSION, cfg.source);
	if (rs_agent_start(&agent, &cfg, err, sizeof(err))) {
		rs_error("cannot start: %s", err);
		rs_agent_stop(&agent);
		return 1;
	}
	for (;;) {
		uint64_t interval = (uint64_t)agent.cfg.report_interval * 1000000000ULL;
		uint64_t now = rs_mono_ns(), due = next_boundary_ns(now, interval), wait = due - now;
		struct timespec ts = { (time_t)(wait / 1000000000ULL), (long)(wait % 1000000000ULL) };
		siginfo_t si;
		int sig = sigtimedwait(&sigs, &si, &ts);

		if (sig < 0) {
			if (errno == EAGAIN)
				rs_agent_tick(&agent, 0);
			continue;
		}
		if (sig == SIGUSR1) {
			rs_control_serve(&agent.control, rs_agent_control, &agent);
			continue;
		}
		if (sig == SIGHUP) {
			if (rs_config_load(&fresh, path, err, sizeof(err))) {
				agent.reload_failures++;
				rs_error("reload rejected, keeping the running configuration: %s", err);
				continue;
			}
			if (level >= 0)
				fresh.log_level = level;
			rs_agent_reload(&agent, &fresh);
			continue;
		}
		rs_info("signal %d: stopping (draining rings, last snapshot)", sig);
		break;
	}
	rs_agent_stop(&agent);
	rs_info("stopped");
	return 0;
}
