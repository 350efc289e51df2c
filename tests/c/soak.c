/* soak.c — 16 threads calling mcp_oauth_get_token() on one handle for a long
 * time (MCP_OAUTH_SOAK: "1" or unset means 60 s, else seconds such as "20s")
 * against the test authorization server process issuing 2 s access tokens
 * and rotating refresh tokens on every use. Built with -fsanitize=address and
 * run by `make soak`: every call must succeed, every token served must be
 * unexpired, and the number of refresh requests must be within one of what
 * the refresh schedule predicts. */
#define _GNU_SOURCE
#include "mcp_oauth.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "harness.h"

#define THREADS 16
/* The server's token lifetime and the client's refresh_margin_seconds: the
 * refresh window is max(10% of 2 s, 0.5 s) = 0.5 s (at most half the
 * lifetime), so each token is refreshed 1.5 s after its request was sent. */
#define LIFETIME "2s"
#define MARGIN_S 0.5
#define PERIOD_S 1.5
/* One call in CHECK_EVERY uses mcp_oauth_get_token_json() to check expiry. */
#define CHECK_EVERY 16

static test_server as;
static double duration_s = 60;

typedef struct {
    mcp_oauth *h;
    double until;
    long calls, failures, expired;
    char first_error[256];
} caller;

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* call makes one token call; every CHECK_EVERY-th asks for the JSON form and
 * checks that the token had not expired when the call began. */
static void call(caller *c) {
    char *out = NULL, *err = NULL;
    int json = c->calls % CHECK_EVERY == 0;
    double start = now_s();
    int rc = json ? mcp_oauth_get_token_json(c->h, &out, &err) : mcp_oauth_get_token(c->h, &out, &err);
    c->calls++;
    if (rc != MCP_OAUTH_OK || out == NULL || out[0] == '\0') {
        if (c->failures++ == 0)
            snprintf(c->first_error, sizeof c->first_error, "%d %s", rc, err ? err : mcp_oauth_strerror(rc));
    } else if (json && json_int(out, "expires_at_ms") <= (long)(start * 1000)) {
        c->expired++;
    }
    mcp_oauth_string_free(out);
    mcp_oauth_string_free(err);
}

static void *run(void *p) {
    caller *c = p;
    while (now_s() < c->until) call(c);
    return NULL;
}

/* authorize runs the authorization code flow headlessly; *sent receives the
 * time just before the code exchange's token request. */
static int authorize(mcp_oauth *h, double *sent) {
    char *url = NULL;
    int rc = mcp_oauth_authorize_begin(h, "http://127.0.0.1:9/callback", &url, NULL, NULL);
    if (rc != MCP_OAUTH_OK) return rc;
    http_response r;
    int ok = http_request("GET", url, NULL, &r) == 0 && r.status == 302;
    mcp_oauth_string_free(url);
    if (!ok) return MCP_OAUTH_E_NETWORK;
    *sent = now_s();
    return mcp_oauth_authorize_complete(h, r.location, NULL);
}

static void parse_duration(void) {
    const char *v = getenv("MCP_OAUTH_SOAK");
    if (v == NULL || strcmp(v, "1") == 0) return;
    char *end;
    double d = strtod(v, &end);
    if (end == v || (*end != '\0' && strcmp(end, "s") != 0) || d < 6) {
        fprintf(stderr, "MCP_OAUTH_SOAK=%s: want seconds, at least 6 (e.g. 20s)\n", v);
        exit(2);
    }
    duration_s = d;
}

int main(void) {
    parse_duration();
    const char *args[] = {"-lifetime", LIFETIME, NULL};
    if (server_start(&as, args) != 0) {
        fprintf(stderr, "cannot start the test authorization server\n");
        return 2;
    }
    char config[2048];
    snprintf(config, sizeof config,
             "{\"client_id\":\"public-client\",\"token_url\":\"%s/token\",\"authorize_url\":\"%s/authorize\","
             "\"issuer\":\"%s\",\"scopes\":[\"mcp:read\"],\"refresh_margin_seconds\":%g}",
             as.url, as.url, as.url, MARGIN_S);
    mcp_oauth *h = NULL;
    CHECK_RC(mcp_oauth_new(config, &h, NULL), MCP_OAUTH_OK);
    double first = 0;
    CHECK_RC(authorize(h, &first), MCP_OAUTH_OK);

    /* A whole number of refresh periods and a half, so that the count does
     * not hinge on whether the last refresh, due exactly at the end, starts
     * a few milliseconds before or after it. */
    static caller callers[THREADS];
    pthread_t th[THREADS];
    double until = first + ((long)(duration_s / PERIOD_S) + 0.5) * PERIOD_S;
    for (int i = 0; i < THREADS; i++) {
        callers[i] = (caller){.h = h, .until = until};
        pthread_create(&th[i], NULL, run, &callers[i]);
    }
    long calls = 0, failures = 0, expired = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(th[i], NULL);
        calls += callers[i].calls;
        failures += callers[i].failures;
        expired += callers[i].expired;
        if (callers[i].failures) fprintf(stderr, "thread %d: first failure: %s\n", i, callers[i].first_error);
    }
    double stop = now_s();
    CHECK_RC(mcp_oauth_free(h), MCP_OAUTH_OK);

    char url[1024];
    http_response r;
    snprintf(url, sizeof url, "%s/_test/counts", as.url);
    CHECK(http_request("GET", url, NULL, &r) == 0 && r.status == 200);
    long requests = json_int(r.body, "token");
    long codes = json_int(r.body, "authorization_code");
    long refreshes = json_int(r.body, "refresh_token");
    long expected = (long)((stop - first) / PERIOD_S);
    printf("soak: %d threads, %.1f s: %ld get_token calls, %ld failures, %ld expired tokens; "
           "%ld token requests (%ld authorization_code + %ld refresh_token), %ld refreshes expected\n",
           THREADS, stop - first, calls, failures, expired, requests, codes, refreshes, expected);
    CHECK(failures == 0);
    CHECK(expired == 0);
    CHECK(codes == 1);
    CHECK(requests == codes + refreshes);
    CHECK(refreshes >= expected - 1 && refreshes <= expected + 1);

    server_stop(&as);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
