/* bench_get_token.c — cached mcp_oauth_get_token through the C ABI.
 * Prints one line: "c_abi_get_token_cached <median ns/call> <p10> <p90>".
 * Usage: bench_get_token <authorization-server-url> */
#define _GNU_SOURCE
#include <mcp_oauth.h>

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define BATCHES 41
#define CALLS 20000

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc != 2) return 2;
    char config[512];
    snprintf(config, sizeof config,
             "{\"client_id\":\"test-client\",\"client_secret\":\"test-secret\",\"token_url\":\"%s/token\"}", argv[1]);
    mcp_oauth *h = NULL;
    char *tok = NULL;
    if (mcp_oauth_new(config, &h, NULL) != MCP_OAUTH_OK || mcp_oauth_get_token(h, &tok, NULL) != MCP_OAUTH_OK) {
        fprintf(stderr, "cannot get a first token\n");
        return 1;
    }
    mcp_oauth_string_free(tok);
    double per_call[BATCHES];
    for (int b = 0; b < BATCHES; b++) {
        double t0 = now_ns();
        for (int i = 0; i < CALLS; i++) {
            mcp_oauth_get_token(h, &tok, NULL);
            mcp_oauth_string_free(tok);
        }
        per_call[b] = (now_ns() - t0) / CALLS;
    }
    qsort(per_call, BATCHES, sizeof per_call[0], cmp);
    printf("c_abi_get_token_cached %.1f %.1f %.1f\n", per_call[BATCHES / 2], per_call[BATCHES / 10],
           per_call[BATCHES * 9 / 10]);
    mcp_oauth_free(h);
    return 0;
}
