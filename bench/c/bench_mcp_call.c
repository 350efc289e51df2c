/* bench_mcp_call.c — MCP over Streamable HTTP with OAuth through the C ABI,
 * against a running build/mcp-test-server (its MCP endpoint and its
 * authorization server), discovering the authorization server from the MCP
 * server (client_credentials with test-client/test-secret):
 *
 *   mcp_stampede_ours <phase> <token requests> <AS metadata requests>
 *       <protected resource metadata requests> <401 answers>
 *     the requests made by 100 concurrent tools/call on one session:
 *     phase "cold" counts from a fresh handle through connect and the
 *     burst; phase "expired" counts from the moment the session's 2 s token
 *     expired (tokens live 2 s during this phase) through the burst;
 *   mcp_call_tool_ours <median µs/call> <p10> <p90>
 *     sequential tools/call "echo" round trips on one session: median over
 *     BATCHES batches of CALLS calls (the token is cached, 1 h lifetime).
 *
 * Usage: bench_mcp_call <mcp-url> <authorization-server-url> */
#define _GNU_SOURCE
#include <mcp_oauth.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../tests/c/harness.h"

#define BATCHES 21
#define CALLS 100
#define BURST 100

static const char *as_url;

static double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void die(const char *what, char *err) {
    fprintf(stderr, "bench_mcp_call: %s: %s\n", what, err ? err : "(no detail)");
    exit(1);
}

/* counts are the test servers' request counters that the figures need. */
typedef struct {
    long token, as_metadata, prm, unauthorized;
} counts;

static counts read_counts(const char *mcp_url) {
    char url[600];
    http_response r;
    counts c;
    snprintf(url, sizeof url, "%s/_test/counts", as_url);
    if (http_request("GET", url, NULL, &r) != 0 || r.status != 200) die("reading the AS counts", NULL);
    c.token = json_int(r.body, "token");
    c.as_metadata = json_int(r.body, "metadata");
    /* The MCP server's counters are at the root of its origin. */
    const char *path = strncmp(mcp_url, "http://", 7) == 0 ? strchr(mcp_url + 7, '/') : NULL;
    if (!path) die("the MCP URL has no path", NULL);
    snprintf(url, sizeof url, "%.*s/_test/mcp_counts", (int)(path - mcp_url), mcp_url);
    if (http_request("GET", url, NULL, &r) != 0 || r.status != 200) die("reading the MCP counts", NULL);
    c.prm = json_int(r.body, "metadata");
    c.unauthorized = json_int(r.body, "unauthorized");
    return c;
}

static void set_lifetime_ms(long ms) {
    char url[600], body[64];
    http_response r;
    snprintf(url, sizeof url, "%s/_test/config", as_url);
    snprintf(body, sizeof body, "{\"token_lifetime_ms\":%ld}", ms);
    if (http_request("POST", url, body, &r) != 0 || r.status != 200) die("setting the token lifetime", NULL);
}

static mcp_client *connect_client(const char *mcp_url, mcp_oauth **auth) {
    char cfg[1536];
    char *err = NULL;
    /* The secret's issuer is the MCP server's authorization server. */
    snprintf(cfg, sizeof cfg,
             "{\"server_url\":\"%s\",\"client_id\":\"test-client\",\"client_secret\":\"test-secret\","
             "\"issuer\":\"%s\"}",
             mcp_url, as_url);
    if (mcp_oauth_new(cfg, auth, &err) != MCP_OAUTH_OK) die("mcp_oauth_new", err);
    mcp_client *c = NULL;
    if (mcp_client_connect(*auth, mcp_url, NULL, &c, &err) != MCP_OAUTH_OK) die("mcp_client_connect", err);
    return c;
}

static void call_echo(mcp_client *c) {
    char *out = NULL, *err = NULL;
    if (mcp_client_call_tool(c, "echo", "{\"text\":\"bench\"}", &out, &err) != MCP_OAUTH_OK) die("tools/call", err);
    if (!strstr(out, "bench")) die("tools/call answered", out);
    mcp_oauth_string_free(out);
}

/* The burst: BURST threads released together, each making one call. */
static pthread_barrier_t start_line;

static void *burst_caller(void *arg) {
    pthread_barrier_wait(&start_line);
    call_echo(arg);
    return NULL;
}

static void burst(mcp_client *c) {
    pthread_t th[BURST];
    pthread_barrier_init(&start_line, NULL, BURST);
    for (int i = 0; i < BURST; i++) pthread_create(&th[i], NULL, burst_caller, c);
    for (int i = 0; i < BURST; i++) pthread_join(th[i], NULL);
    pthread_barrier_destroy(&start_line);
}

static void print_delta(const char *phase, counts a, counts b) {
    printf("mcp_stampede_ours %s %ld %ld %ld %ld\n", phase, b.token - a.token, b.as_metadata - a.as_metadata,
           b.prm - a.prm, b.unauthorized - a.unauthorized);
}

static void stampede(const char *mcp_url) {
    mcp_oauth *auth = NULL;
    counts before = read_counts(mcp_url);
    mcp_client *c = connect_client(mcp_url, &auth);
    burst(c);
    print_delta("cold", before, read_counts(mcp_url));
    mcp_client_close(c);
    mcp_oauth_free(auth);

    set_lifetime_ms(2000);
    c = connect_client(mcp_url, &auth);
    usleep(2100 * 1000); /* the session's first token expires */
    before = read_counts(mcp_url);
    burst(c);
    print_delta("expired", before, read_counts(mcp_url));
    set_lifetime_ms(3600 * 1000);
    mcp_client_close(c);
    mcp_oauth_free(auth);
}

static void round_trip(const char *mcp_url) {
    mcp_oauth *auth = NULL;
    mcp_client *c = connect_client(mcp_url, &auth);
    for (int i = 0; i < CALLS; i++) call_echo(c); /* warm up */
    double per_call[BATCHES];
    for (int b = 0; b < BATCHES; b++) {
        double t0 = now_us();
        for (int i = 0; i < CALLS; i++) call_echo(c);
        per_call[b] = (now_us() - t0) / CALLS;
    }
    qsort(per_call, BATCHES, sizeof per_call[0], cmp);
    printf("mcp_call_tool_ours %.1f %.1f %.1f\n", per_call[BATCHES / 2], per_call[BATCHES / 10],
           per_call[BATCHES * 9 / 10]);
    mcp_client_close(c);
    mcp_oauth_free(auth);
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: bench_mcp_call <mcp-url> <authorization-server-url>\n");
        return 2;
    }
    as_url = argv[2];
    stampede(argv[1]);
    round_trip(argv[1]);
    return 0;
}
