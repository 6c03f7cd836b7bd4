// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ringscope.c - the ringscope command line: `ringscope status` reads the
 * agent's local status endpoint (GET /status) and prints rings, drops,
 * workers, entities and outputs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <jansson.h>

struct body {
	char *data;
	size_t len;
};

static size_t on_data(char *p, size_t size, size_t n, void *ctx)
{
	struct body *b = ctx;
	char *d = realloc(b->data, b->len + size * n + 1);

	if (!d)
		return 0;
	memcpy(d + b->len, p, size * n);
	b->data = d;
	b->len += size * n;
	d[b->len] = 0;
	return size * n;
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: ringscope status [--url URL] [--json]\n"
		   "  status   rings, drops, workers, entities and outputs of the running agent\n"
		   "  --url    agent endpoint (default http://127.0.0.1:8888)\n"
		   "  --json   print the raw status JSON\n");
}

static json_int_t num(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

static void print_status(json_t *s)
{
	json_t *v, *outs;
	size_t i;
	const char *key;
	json_int_t drops = 0, recs = 0;

	printf("ringscoped %s  machine %s  up %.0f s  interval %lld s  ticks %lld  rss %.1f MiB\n",
	       json_string_value(json_object_get(s, "version")),
	       json_string_value(json_object_get(s, "machine_id")),
	       json_real_value(json_object_get(s, "uptime_seconds")),
	       (long long)num(s, "report_interval"), (long long)num(s, "ticks"),
	       (double)num(s, "rss_bytes") / 1048576.0);
	printf("config %s\n\n", json_string_value(json_object_get(s, "config")));
	printf("%-5s %-6s %14s %14s %10s %10s %8s\n", "RING", "WORKER", "PRODUCED", "RECORDS",
	       "DROPPED", "DOORBELLS", "PENDING");
	json_array_foreach(json_object_get(s, "rings"), i, v) {
		printf("%-5lld %-6lld %14lld %14lld %10lld %10lld %8lld\n", (long long)num(v, "cpu"),
		       (long long)num(v, "worker"), (long long)num(v, "produced"),
		       (long long)num(v, "records"), (long long)num(v, "dropped"),
		       (long long)num(v, "doorbells"), (long long)num(v, "pending"));
		drops += num(v, "dropped");
		recs += num(v, "records");
	}
	printf("total records %lld, dropped %lld\n\n", (long long)recs, (long long)drops);
	printf("%-6s %-4s %-10s %14s %10s %12s\n", "WORKER", "NODE", "CPUS", "RECORDS", "BATCHES",
	       "DRAIN_S");
	json_array_foreach(json_object_get(s, "workers"), i, v)
		printf("%-6lld %-4lld %-10s %14lld %10lld %12.6f\n", (long long)num(v, "id"),
		       (long long)num(v, "node"), json_string_value(json_object_get(v, "cpus")),
		       (long long)num(v, "records"), (long long)num(v, "batches"),
		       json_real_value(json_object_get(v, "drain_seconds")));
	printf("\n%-20s %-8s %8s %10s %10s %10s\n", "ENTITY", "STATE", "LIVE", "CREATED",
	       "EXPIRED", "CAPPED");
	json_array_foreach(json_object_get(s, "entities"), i, v)
		printf("%-20s %-8s %8lld %10lld %10lld %10lld\n",
		       json_string_value(json_object_get(v, "name")),
		       json_is_true(json_object_get(v, "enabled")) ? "on" : "DISABLED",
		       (long long)num(v, "live"), (long long)num(v, "created"),
		       (long long)num(v, "evicted_expired"), (long long)num(v, "evicted_cap"));
	printf("\nOUTPUTS\n");
	outs = json_object_get(s, "outputs");
	json_object_foreach(outs, key, v) {
		if (json_is_string(v))
			printf("  %-13s %s\n", key, json_string_value(v));
		else if (json_is_object(v) && json_is_true(json_object_get(v, "on")))
			printf("  %-13s %s (%lld lines, %lld rotations, %lld errors)\n", key,
			       json_string_value(json_object_get(v, "path")),
			       (long long)num(v, "lines"), (long long)num(v, "rotations"),
			       (long long)num(v, "errors"));
		else
			printf("  %-13s off\n", key);
	}
	json_array_foreach(json_object_get(s, "meta_errors"), i, v)
		printf("meta error: %s\n", json_string_value(v));
}

int main(int argc, char **argv)
{
	const char *url = "http://127.0.0.1:8888";
	struct body b = { NULL, 0 };
	char full[512], errbuf[CURL_ERROR_SIZE] = "";
	int raw = 0, i, ret = 1;
	long code = 0;
	json_error_t jerr;
	json_t *s;
	CURL *c;

	if (argc < 2 || strcmp(argv[1], "status")) {
		usage(argc >= 2 && !strcmp(argv[1], "--help") ? stdout : stderr);
		return argc >= 2 && !strcmp(argv[1], "--help") ? 0 : 2;
	}
	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--url") && i + 1 < argc)
			url = argv[++i];
		else if (!strcmp(argv[i], "--json"))
			raw = 1;
		else {
			usage(stderr);
			return 2;
		}
	}
	snprintf(full, sizeof(full), "%s/status", url);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	c = curl_easy_init();
	if (!c)
		return 1;
	curl_easy_setopt(c, CURLOPT_URL, full);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 5L);
	if (curl_easy_perform(c) != CURLE_OK) {
		fprintf(stderr, "ringscope: cannot reach the agent at %s: %s\n", full, errbuf);
		goto out;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	if (code != 200) {
		fprintf(stderr, "ringscope: %s answered HTTP %ld: %s", full, code, b.data ? b.data : "");
		goto out;
	}
	if (raw) {
		printf("%s\n", b.data);
		ret = 0;
		goto out;
	}
	s = json_loads(b.data, 0, &jerr);
	if (!s) {
		fprintf(stderr, "ringscope: bad status JSON from %s: %s\n", full, jerr.text);
		goto out;
	}
	print_status(s);
	json_decref(s);
	ret = 0;
out:
	free(b.data);
	curl_easy_cleanup(c);
	curl_global_cleanup();
	return ret;
}
