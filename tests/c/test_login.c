/* test_login.c — the manager's own login (config member "login") through the
 * public header, against the project's test authorization server running as
 * a real process: several threads calling mcp_oauth_get_token at once, with
 * nobody logged in, share one login — the interactive flow driven by
 * tests/c/browser.sh as open_command, or the device grant auto-approved by
 * the server, whose user code is shown on standard error. Built with
 * -fsanitize=address. */
#define _GNU_SOURCE
#include "mcp_oauth.h"

#include <pthread.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "harness.h"

enum { THREADS = 6 };

static test_server as;

static int control(const char *path, const char *body) {
    http_response r;
    char url[1024];
    snprintf(url, sizeof url, "%s%s", as.url, path);
    if (http_request("POST", url, body, &r) != 0) return -1;
    return r.status;
}

/* count is the test server's counter named key since its last reset. */
static long count(const char *key) {
    http_response r;
    char url[1024];
    snprintf(url, sizeof url, "%s/_test/counts", as.url);
    if (http_request("GET", url, NULL, &r) != 0) return -1;
    return json_int(r.body, key);
}

typedef struct {
    mcp_oauth *h;
    int rc;
    char *token;
} caller;

static void *get_token(void *arg) {
    caller *c = arg;
    c->rc = mcp_oauth_get_token(c->h, &c->token, NULL);
    return NULL;
}

/* all_get_tokens runs THREADS concurrent mcp_oauth_get_token calls on a new
 * handle for config and checks that each got the same token. */
static void all_get_tokens(const char *config) {
    mcp_oauth *h = NULL;
    char *err = NULL;
    CHECK_RC(mcp_oauth_new(config, &h, &err), MCP_OAUTH_OK);
    if (err) fprintf(stderr, "mcp_oauth_new: %s\n", err);
    mcp_oauth_string_free(err);
    caller c[THREADS];
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++) {
        c[i] = (caller){.h = h};
        pthread_create(&t[i], NULL, get_token, &c[i]);
    }
    for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
    for (int i = 0; i < THREADS; i++) {
        CHECK_RC(c[i].rc, MCP_OAUTH_OK);
        CHECK(c[i].token && c[0].token && strcmp(c[i].token, c[0].token) == 0);
    }
    for (int i = 0; i < THREADS; i++) mcp_oauth_string_free(c[i].token);
    mcp_oauth_free(h);
}

static void test_browser(void) {
    control("/_test/reset", "{}");
    char config[2048];
    snprintf(config, sizeof config,
             "{\"client_id\":\"public-client\",\"token_url\":\"%s/token\",\"authorize_url\":\"%s/authorize\","
             "\"login\":\"browser\",\"open_command\":\"tests/c/browser.sh\"}",
             as.url, as.url);
    all_get_tokens(config);
    CHECK(count("authorize") == 1); /* one login for every thread */
}

/* The login member's open_command gets the environment as it is when it
 * starts: a variable set after the library loaded reaches it (Go's runtime
 * copied the environment at load). */
static void test_browser_sees_current_environment(void) {
    control("/_test/reset", "{}");
    char dir[] = "/tmp/mcp-oauth-login-env-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char script[256], seen[256], config[2048];
    snprintf(script, sizeof script, "%s/open.sh", dir);
    snprintf(seen, sizeof seen, "%s/seen", dir);
    FILE *f = fopen(script, "w");
    CHECK(f != NULL);
    if (f == NULL) return;
    fprintf(f, "#!/bin/sh\nprintf '%%s' \"$MCP_OAUTH_LOGIN_LATE\" > '%s'\nexec tests/c/browser.sh \"$1\"\n", seen);
    fclose(f);
    chmod(script, 0700);
    CHECK(setenv("MCP_OAUTH_LOGIN_LATE", "set-after-load", 1) == 0);
    snprintf(config, sizeof config,
             "{\"client_id\":\"public-client\",\"token_url\":\"%s/token\",\"authorize_url\":\"%s/authorize\","
             "\"login\":\"browser\",\"open_command\":\"%s\"}",
             as.url, as.url, script);
    all_get_tokens(config);
    unsetenv("MCP_OAUTH_LOGIN_LATE");
    char body[256] = "";
    f = fopen(seen, "r");
    CHECK(f != NULL);
    if (f != NULL) {
        size_t n = fread(body, 1, sizeof body - 1, f);
        body[n] = 0;
        fclose(f);
    }
    CHECK(strcmp(body, "set-after-load") == 0);
    unlink(seen);
    unlink(script);
    rmdir(dir);
}

static void test_device(void) {
    control("/_test/reset", "{}");
    CHECK(control("/_test/config", "{\"device_interval_ms\":1000,\"device_auto_approve_polls\":1}") == 200);
    char config[2048];
    snprintf(config, sizeof config,
             "{\"client_id\":\"public-client\",\"token_url\":\"%s/token\","
             "\"device_authorization_url\":\"%s/device_authorization\",\"login\":\"device\"}",
             as.url, as.url);
    /* The user code goes to standard error: capture it in a file. */
    char path[] = "/tmp/test_login.XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    fflush(stderr);
    int saved = dup(2);
    dup2(fd, 2);
    all_get_tokens(config);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    char shown[4096] = "";
    ssize_t n = pread(fd, shown, sizeof shown - 1, 0);
    shown[n > 0 ? n : 0] = 0;
    close(fd);
    unlink(path);
    CHECK(count("device_authorization") == 1);
    CHECK(strstr(shown, "enter the code") != NULL);
    CHECK(strstr(shown, "/device") != NULL);
    char *first = strstr(shown, "enter the code");
    CHECK(first && strstr(first + 1, "enter the code") == NULL); /* shown once */
}

static void test_refused(void) {
    char config[2048], *err = NULL;
    mcp_oauth *h = NULL;
    snprintf(config, sizeof config,
             "{\"client_id\":\"test-client\",\"client_secret\":\"test-secret\",\"token_url\":\"%s/token\","
             "\"login\":\"device\"}", as.url);
    CHECK_RC(mcp_oauth_new(config, &h, &err), MCP_OAUTH_E_CONFIG);
    CHECK(err && strstr(err, "\"field\":\"login\"") != NULL);
    mcp_oauth_string_free(err);
}

int main(void) {
    if (server_start(&as, NULL) != 0) {
        fprintf(stderr, "cannot start the test authorization server\n");
        return 2;
    }
    test_browser();
    test_browser_sees_current_environment();
    test_device();
    test_refused();
    server_stop(&as);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
