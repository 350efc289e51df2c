/* test_device.c — the device authorization grant (RFC 8628) through the
 * public header, against the project's test authorization server running as
 * a real process, approved or denied through its control API. Built with
 * -fsanitize=address. */
#define _GNU_SOURCE
#include "mcp_oauth.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "harness.h"

static test_server as;
static char device_config[2048], cc_config[2048];

/* control posts a control API request and returns its HTTP status. */
static int control(const char *path, const char *body) {
    http_response r;
    char url[1024];
    snprintf(url, sizeof url, "%s%s", as.url, path);
    if (http_request("POST", url, body, &r) != 0) return -1;
    return r.status;
}

/* decide approves or denies the device authorization of user_code. */
static int decide(const char *user_code, const char *action) {
    char body[256];
    snprintf(body, sizeof body, "{\"user_code\":\"%s\",\"action\":\"%s\"}", user_code, action);
    return control("/_test/device", body);
}

static mcp_oauth *new_client(const char *config) {
    mcp_oauth *h = NULL;
    char *err = NULL;
    if (mcp_oauth_new(config, &h, &err) != MCP_OAUTH_OK) fprintf(stderr, "mcp_oauth_new: %s\n", err);
    mcp_oauth_string_free(err);
    return h;
}

/* begin starts a device authorization and copies its user code. */
static int begin(mcp_oauth *h, char *user_code, size_t size) {
    char *js = NULL, *err = NULL;
    int rc = mcp_oauth_device_begin(h, &js, &err);
    if (rc == MCP_OAUTH_OK && json_str(js, "user_code", user_code, size) != 0) rc = -100;
    if (rc != MCP_OAUTH_OK) fprintf(stderr, "mcp_oauth_device_begin: %d %s\n", rc, err ? err : "");
    mcp_oauth_string_free(js);
    mcp_oauth_string_free(err);
    return rc;
}

static void test_begin_json(void) {
    control("/_test/reset", "{}");
    CHECK(control("/_test/config", "{\"device_interval_ms\":1000,\"device_code_lifetime_ms\":120000}") == 200);
    mcp_oauth *h = new_client(device_config);
    char *js = NULL, *err = (char *)1;
    CHECK_RC(mcp_oauth_device_begin(h, &js, &err), MCP_OAUTH_OK);
    CHECK(err == NULL);
    if (err != (char *)1) mcp_oauth_string_free(err);
    char user_code[64] = "", uri[600] = "", complete[600] = "", want[600];
    CHECK(json_str(js, "user_code", user_code, sizeof user_code) == 0 && strlen(user_code) == 9);
    snprintf(want, sizeof want, "%s/device", as.url);
    CHECK(json_str(js, "verification_uri", uri, sizeof uri) == 0 && strcmp(uri, want) == 0);
    CHECK(json_str(js, "verification_uri_complete", complete, sizeof complete) == 0 && strstr(complete, user_code) != NULL);
    CHECK(json_int(js, "expires_in") >= 119 && json_int(js, "expires_in") <= 120);
    CHECK(json_int(js, "interval") == 1);
    CHECK(strstr(js, "device_code") == NULL && strstr(js, "dc_") == NULL);
    mcp_oauth_string_free(js);
    mcp_oauth_free(h);
}

static void test_approved(void) {
    control("/_test/reset", "{}");
    control("/_test/config", "{\"device_interval_ms\":1000}");
    mcp_oauth *h = new_client(device_config);
    char user_code[64], *err = NULL, *token = NULL;

    /* Not yet approved: the call times out and the authorization stays pending. */
    CHECK_RC(begin(h, user_code, sizeof user_code), MCP_OAUTH_OK);
    CHECK_RC(mcp_oauth_device_complete(h, 1, &err), MCP_OAUTH_E_TIMEOUT);
    CHECK(err && strstr(err, "expired_token") == NULL);
    mcp_oauth_string_free(err);
    CHECK_RC(mcp_oauth_get_token(h, &token, NULL), MCP_OAUTH_E_AUTHORIZATION_REQUIRED);

    /* A poll at the server when that timeout fell is not cut: its answer
     * (pending, or the tokens when the approval below came first) is taken
     * by the next call (core/devicepoll.go). */
    CHECK(decide(user_code, "approve") == 200);
    err = (char *)1;
    CHECK_RC(mcp_oauth_device_complete(h, 30, &err), MCP_OAUTH_OK);
    CHECK(err == NULL);
    if (err != (char *)1) mcp_oauth_string_free(err); /* the failure's error document */
    err = NULL;
    CHECK_RC(mcp_oauth_get_token(h, &token, NULL), MCP_OAUTH_OK);
    CHECK(token && strncmp(token, "at_", 3) == 0);
    mcp_oauth_string_free(token);

    /* The device code is spent: nothing is pending any more. */
    CHECK_RC(mcp_oauth_device_complete(h, 1, &err), MCP_OAUTH_E_INVALID_ARGUMENT);
    CHECK(err && strstr(err, "mcp_oauth_device_begin") != NULL);
    mcp_oauth_string_free(err);
    mcp_oauth_free(h);
}

static void test_new_begin_replaces(void) {
    control("/_test/reset", "{}");
    control("/_test/config", "{\"device_interval_ms\":1000}");
    mcp_oauth *h = new_client(device_config);
    char first[64], second[64];
    CHECK_RC(begin(h, first, sizeof first), MCP_OAUTH_OK);
    CHECK_RC(begin(h, second, sizeof second), MCP_OAUTH_OK);
    CHECK(strcmp(first, second) != 0);
    CHECK(decide(second, "approve") == 200);
    CHECK_RC(mcp_oauth_device_complete(h, 30, NULL), MCP_OAUTH_OK);
    mcp_oauth_free(h);
}

static void test_auto_approved(void) {
    control("/_test/reset", "{}");
    control("/_test/config", "{\"device_interval_ms\":1000,\"device_auto_approve_polls\":2}");
    mcp_oauth *h = new_client(device_config);
    char user_code[64];
    CHECK_RC(begin(h, user_code, sizeof user_code), MCP_OAUTH_OK);
    CHECK_RC(mcp_oauth_device_complete(h, 0, NULL), MCP_OAUTH_OK);
    mcp_oauth_free(h);
}

static void test_denied(void) {
    control("/_test/reset", "{}");
    control("/_test/config", "{\"device_interval_ms\":1000}");
    mcp_oauth *h = new_client(device_config);
    char user_code[64], *err = NULL;
    CHECK_RC(begin(h, user_code, sizeof user_code), MCP_OAUTH_OK);
    CHECK(decide(user_code, "deny") == 200);
    CHECK_RC(mcp_oauth_device_complete(h, 30, &err), MCP_OAUTH_E_AUTHORIZATION_DENIED);
    CHECK(err && strstr(err, "\"error\":\"access_denied\"") != NULL);
    mcp_oauth_string_free(err);
    CHECK_RC(mcp_oauth_device_complete(h, 1, NULL), MCP_OAUTH_E_INVALID_ARGUMENT);
    mcp_oauth_free(h);
}

static void test_expired(void) {
    control("/_test/reset", "{}");
    control("/_test/config", "{\"device_interval_ms\":1000,\"device_code_lifetime_ms\":1500}");
    mcp_oauth *h = new_client(device_config);
    char user_code[64], *err = NULL;
    CHECK_RC(begin(h, user_code, sizeof user_code), MCP_OAUTH_OK);
    CHECK_RC(mcp_oauth_device_complete(h, 30, &err), MCP_OAUTH_E_TIMEOUT);
    CHECK(err && strstr(err, "\"error\":\"expired_token\"") != NULL);
    mcp_oauth_string_free(err);
    mcp_oauth_free(h);
}

static void test_unsupported(void) {
    mcp_oauth *h = new_client(cc_config);
    char *js = (char *)1, *err = NULL;
    CHECK_RC(mcp_oauth_device_begin(h, &js, &err), MCP_OAUTH_E_UNSUPPORTED);
    CHECK(js == NULL);
    CHECK(err && strstr(err, "\"code\":-12") != NULL);
    mcp_oauth_string_free(err);
    CHECK_RC(mcp_oauth_device_complete(h, 1, NULL), MCP_OAUTH_E_INVALID_ARGUMENT);
    mcp_oauth_free(h);
}

static void test_misuse(void) {
    char *js = (char *)1, *err = NULL;
    CHECK_RC(mcp_oauth_device_begin(NULL, &js, &err), MCP_OAUTH_E_BAD_HANDLE);
    CHECK(js == NULL && err != NULL);
    mcp_oauth_string_free(err);
    CHECK_RC(mcp_oauth_device_begin(NULL, NULL, NULL), MCP_OAUTH_E_BAD_HANDLE);
    CHECK_RC(mcp_oauth_device_complete(NULL, 1, NULL), MCP_OAUTH_E_BAD_HANDLE);
    int not_a_handle = 0;
    CHECK_RC(mcp_oauth_device_begin((mcp_oauth *)&not_a_handle, &js, NULL), MCP_OAUTH_E_BAD_HANDLE);
    CHECK_RC(mcp_oauth_device_complete((mcp_oauth *)&not_a_handle, 1, NULL), MCP_OAUTH_E_BAD_HANDLE);

    mcp_oauth *h = new_client(device_config);
    err = NULL;
    CHECK_RC(mcp_oauth_device_begin(h, NULL, &err), MCP_OAUTH_E_INVALID_ARGUMENT);
    CHECK(err && strstr(err, "out_json") != NULL);
    mcp_oauth_string_free(err);
    CHECK_RC(mcp_oauth_device_complete(h, 1, NULL), MCP_OAUTH_E_INVALID_ARGUMENT);

    char user_code[64];
    CHECK_RC(begin(h, user_code, sizeof user_code), MCP_OAUTH_OK);
    mcp_oauth_free(h);
    CHECK_RC(mcp_oauth_device_begin(h, &js, NULL), MCP_OAUTH_E_BAD_HANDLE);
    CHECK_RC(mcp_oauth_device_complete(h, 1, NULL), MCP_OAUTH_E_BAD_HANDLE);
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A blocking call run in a thread, for mcp_oauth_cancel() to end. */
/* The "browser" of the interactive case: a script that records that it was
 * opened (the URL) in opened_file. */
static char browser_dir[64] = "/tmp/test_device.XXXXXX", browser[128], opened_file[128];

typedef struct {
    mcp_oauth *h;
    int which; /* 0 device_complete, 1 get_token, 2 authorize_interactive */
    int rc;
    char *err;
} blocked_call;

static void *run_blocked(void *arg) {
    blocked_call *c = arg;
    char *tok = NULL;
    switch (c->which) {
    case 0: c->rc = mcp_oauth_device_complete(c->h, 0, &c->err); break;
    case 1: c->rc = mcp_oauth_get_token(c->h, &tok, &c->err); break;
    default: c->rc = mcp_oauth_authorize_interactive(c->h, browser, 60, &c->err); break;
    }
    mcp_oauth_string_free(tok);
    return NULL;
}

/* token_requests is the test server's count of token requests (polls
 * included) since its last reset. */
static long token_requests(void) {
    http_response r;
    char url[1024];
    snprintf(url, sizeof url, "%s/_test/counts", as.url);
    if (http_request("GET", url, NULL, &r) != 0) return -1;
    return json_int(r.body, "token");
}

static int token_request_arrived(void) { return token_requests() >= 1; }


static void make_browser(void) {
    CHECK(mkdtemp(browser_dir) != NULL);
    snprintf(browser, sizeof browser, "%s/browser", browser_dir);
    snprintf(opened_file, sizeof opened_file, "%s/opened", browser_dir);
    FILE *f = fopen(browser, "w");
    CHECK(f != NULL);
    fprintf(f, "#!/bin/sh\nprintf '%%s' \"$1\" > %s.tmp && mv %s.tmp %s\n", opened_file, opened_file, opened_file);
    fclose(f);
    CHECK(chmod(browser, 0700) == 0);
}

static void remove_browser(void) {
    unlink(opened_file);
    unlink(browser);
    rmdir(browser_dir);
}

static int browser_opened(void) { return access(opened_file, F_OK) == 0; }

/* cancel_when starts the call, cancels it once the event shows that it is
 * under way (polled every 5 ms, for at most 30 s), and waits for it. */
static void cancel_when(blocked_call *c, int (*under_way)(void)) {
    pthread_t t;
    pthread_create(&t, NULL, run_blocked, c);
    double deadline = now_s() + 30;
    while (!under_way() && now_s() < deadline) usleep(5000);
    CHECK(under_way());
    CHECK_RC(mcp_oauth_cancel(c->h), MCP_OAUTH_OK);
    pthread_join(t, NULL);
}

static void test_cancel(void) {
    /* A device authorization being polled: cancelled, and still pending. */
    control("/_test/reset", "{}");
    control("/_test/config", "{\"device_interval_ms\":1000}");
    mcp_oauth *h = new_client(device_config);
    char user_code[64];
    CHECK_RC(begin(h, user_code, sizeof user_code), MCP_OAUTH_OK);
    blocked_call c = {.h = h, .which = 0};
    cancel_when(&c, token_request_arrived); /* the first poll came; the next is 1 s away */
    CHECK_RC(c.rc, MCP_OAUTH_E_CANCELLED);
    CHECK(c.err && strstr(c.err, "\"code\":-20") != NULL);
    mcp_oauth_string_free(c.err);
    CHECK(decide(user_code, "approve") == 200);
    CHECK_RC(mcp_oauth_device_complete(h, 30, NULL), MCP_OAUTH_OK); /* the handle stays usable */
    mcp_oauth_free(h);

    /* get_token waiting for a token request that hangs. */
    control("/_test/reset", "{}");
    control("/_test/fail", "{\"count\":1,\"mode\":\"hang\"}");
    char timed_config[2048];
    snprintf(timed_config, sizeof timed_config,
             "{\"client_id\":\"test-client\",\"client_secret\":\"test-secret\",\"token_url\":\"%s/token\","
             "\"http_timeout_seconds\":3}", as.url);
    h = new_client(timed_config);
    c = (blocked_call){.h = h, .which = 1};
    cancel_when(&c, token_request_arrived); /* the request hangs at the server */
    CHECK_RC(c.rc, MCP_OAUTH_E_CANCELLED); /* not MCP_OAUTH_E_TIMEOUT after 3 s */
    mcp_oauth_string_free(c.err);
    /* The hung request itself runs on to its timeout; a caller joining it
     * gets its outcome, and the next one a token. */
    char *tok = NULL;
    int rc = mcp_oauth_get_token(h, &tok, NULL);
    CHECK(rc == MCP_OAUTH_E_TIMEOUT || rc == MCP_OAUTH_OK);
    mcp_oauth_string_free(tok);
    tok = NULL;
    CHECK_RC(mcp_oauth_get_token(h, &tok, NULL), MCP_OAUTH_OK);
    mcp_oauth_string_free(tok);
    mcp_oauth_free(h);

    /* authorize_interactive waiting for the browser. */
    char code_config[2048];
    snprintf(code_config, sizeof code_config,
             "{\"client_id\":\"public-client\",\"token_url\":\"%s/token\",\"authorize_url\":\"%s/authorize\"}",
             as.url, as.url);
    h = new_client(code_config);
    make_browser();
    c = (blocked_call){.h = h, .which = 2};
    cancel_when(&c, browser_opened); /* the listener waits for the redirect */
    CHECK_RC(c.rc, MCP_OAUTH_E_CANCELLED);
    remove_browser();
    mcp_oauth_string_free(c.err);

    /* Nothing in progress: harmless; later calls are not affected. */
    CHECK_RC(mcp_oauth_cancel(h), MCP_OAUTH_OK);
    char *url = NULL;
    CHECK_RC(mcp_oauth_authorize_begin(h, "http://127.0.0.1:9/cb", &url, NULL, NULL), MCP_OAUTH_OK);
    mcp_oauth_string_free(url);
    mcp_oauth_free(h);

    CHECK_RC(mcp_oauth_cancel(NULL), MCP_OAUTH_E_BAD_HANDLE);
    CHECK_RC(mcp_oauth_cancel(h), MCP_OAUTH_E_BAD_HANDLE); /* freed */
    int not_a_handle = 0;
    CHECK_RC(mcp_oauth_cancel((mcp_oauth *)&not_a_handle), MCP_OAUTH_E_BAD_HANDLE);
}

int main(void) {
    if (server_start(&as, NULL) != 0) {
        fprintf(stderr, "cannot start the test authorization server\n");
        return 2;
    }
    snprintf(device_config, sizeof device_config,
             "{\"client_id\":\"public-client\",\"token_url\":\"%s/token\","
             "\"device_authorization_url\":\"%s/device_authorization\",\"scopes\":[\"read\"]}",
             as.url, as.url);
    snprintf(cc_config, sizeof cc_config,
             "{\"client_id\":\"test-client\",\"client_secret\":\"test-secret\",\"token_url\":\"%s/token\"}", as.url);

    test_begin_json();
    test_approved();
    test_new_begin_replaces();
    test_auto_approved();
    test_denied();
    test_expired();
    test_unsupported();
    test_misuse();
    test_cancel();

    server_stop(&as);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
