/* test_log.c — the library's events through the C ABI: a log callback and
 * the drained buffer at the most verbose level during a whole flow
 * (discovery, dynamic registration, client_credentials, refresh, an
 * authorization code flow with PKCE), which must tell each step and quote
 * no credential; and MCP_OAUTH_LOG=debug writing lines to stderr (a child
 * process of this program, the variable being read when the library
 * loads). Built with -fsanitize=address. */
#define _GNU_SOURCE
#include "mcp_oauth.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harness.h"

static const char *mcp_server_bin(void) {
    const char *bin = getenv("MCP_OAUTH_MCP_TEST_SERVER");
    return bin ? bin : "build/mcp-test-server";
}

/* The callback's record: every call appended as "level event message fields\n". */
static struct {
    pthread_mutex_t mu;
    char *text;
    size_t len;
    int calls, in_call, overlapped;
} seen = {.mu = PTHREAD_MUTEX_INITIALIZER};

static void on_log(void *userdata, int level, const char *event, const char *message, const char *fields_json) {
    CHECK(userdata == &seen);
    pthread_mutex_lock(&seen.mu);
    if (seen.in_call) seen.overlapped = 1;
    seen.in_call = 1;
    char *line = NULL;
    int n = asprintf(&line, "%d %s %s %s\n", level, event, message, fields_json);
    if (n > 0) {
        seen.text = realloc(seen.text, seen.len + (size_t)n + 1);
        memcpy(seen.text + seen.len, line, (size_t)n + 1);
        seen.len += (size_t)n;
    }
    free(line);
    seen.calls++;
    seen.in_call = 0;
    pthread_mutex_unlock(&seen.mu);
}

static mcp_oauth *new_auth(const char *json) {
    mcp_oauth *h = NULL;
    char *err = NULL;
    if (mcp_oauth_new(json, &h, &err) != MCP_OAUTH_OK) fprintf(stderr, "mcp_oauth_new: %s\n", err);
    mcp_oauth_string_free(err);
    return h;
}

/* token returns a fresh copy of h's access token, or NULL. */
static char *token(mcp_oauth *h) {
    char *tok = NULL, *err = NULL;
    if (mcp_oauth_get_token(h, &tok, &err) != MCP_OAUTH_OK) fprintf(stderr, "get_token: %s\n", err);
    mcp_oauth_string_free(err);
    return tok;
}

/* form_value copies the first value of "name":["..."] in json into out. */
static int form_value(const char *json, const char *name, char *out, size_t size) {
    char key[64];
    snprintf(key, sizeof key, "\"%s\":[\"", name);
    const char *p = strstr(json, key);
    if (!p) return -1;
    p += strlen(key);
    const char *end = strchr(p, '"');
    if (!end || (size_t)(end - p) >= size) return -1;
    memcpy(out, p, (size_t)(end - p));
    out[end - p] = 0;
    return 0;
}

/* no_secret checks that text quotes none of the values (each non-empty). */
static void no_secret(const char *text, const char *what, const char *const values[]) {
    for (int i = 0; values[i]; i++) {
        CHECK(strlen(values[i]) >= 8);
        if (strstr(text, values[i])) {
            failed++;
            fprintf(stderr, "FAIL: the %s quotes credential #%d\n", what, i);
        }
    }
}

static void authorize_headless(mcp_oauth *auth) {
    char *url = NULL;
    CHECK_RC(mcp_oauth_authorize_begin(auth, NULL, &url, NULL, NULL), MCP_OAUTH_OK);
    http_response r;
    CHECK(url && http_request("GET", url, NULL, &r) == 0 && r.status == 302);
    mcp_oauth_string_free(url);
    CHECK_RC(mcp_oauth_authorize_complete(auth, r.location, NULL), MCP_OAUTH_OK);
}

/* child: one token request with MCP_OAUTH_LOG set by the parent. */
static int child(const char *mcp, const char *as) {
    char cfg[1024];
    snprintf(cfg, sizeof cfg, "{\"server_url\":\"%s\",\"client_id\":\"test-client\",\"client_secret\":\"test-secret\","
             "\"issuer\":\"%s\"}", mcp, as);
    mcp_oauth *h = new_auth(cfg);
    char *tok = token(h);
    printf("%s\n", tok ? tok : "");
    mcp_oauth_string_free(tok);
    mcp_oauth_free(h);
    return 0;
}

static void test_stderr(const char *self, const char *mcp, const char *as) {
    char cmd[2048];
    /* stdout (the token) to a file, stderr (the log) to the pipe. */
    snprintf(cmd, sizeof cmd, "MCP_OAUTH_LOG=debug '%s' child '%s' '%s' 2>&1 >build/test_log.token", self, mcp, as);
    FILE *p = popen(cmd, "r");
    CHECK(p != NULL);
    if (!p) return;
    static char out[1 << 16];
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = 0;
    CHECK(pclose(p) == 0);
    CHECK(strstr(out, "mcp-oauth: DEBUG token.request: token request grant_type=client_credentials") != NULL);
    CHECK(strstr(out, "mcp-oauth: INFO token.response: token issued") != NULL);
    char tok[1024] = "";
    FILE *f = fopen("build/test_log.token", "r");
    CHECK(f && fgets(tok, sizeof tok, f));
    if (f) fclose(f);
    tok[strcspn(tok, "\n")] = 0;
    const char *secrets[] = {"test-secret", tok, NULL};
    no_secret(out, "stderr log", secrets);
}

int main(int argc, char **argv) {
    if (argc == 4 && strcmp(argv[1], "child") == 0) return child(argv[2], argv[3]);
    const char *const args[] = {"-refresh-for-client-credentials", NULL};
    test_server srv;
    if (server_start_bin(&srv, mcp_server_bin(), args) != 0) {
        fprintf(stderr, "cannot start %s\n", mcp_server_bin());
        return 2;
    }
    char mcp[256], as[256], cfg[1024];
    if (json_str(srv.url, "mcp", mcp, sizeof mcp) || json_str(srv.url, "as", as, sizeof as)) {
        fprintf(stderr, "unexpected first line: %s\n", srv.url);
        return 2;
    }
    CHECK_RC(mcp_oauth_set_log_callback(on_log, &seen, 5), MCP_OAUTH_E_INVALID_ARGUMENT);
    CHECK_RC(mcp_oauth_log_buffer(50), MCP_OAUTH_E_INVALID_ARGUMENT);
    CHECK_RC(mcp_oauth_log_drain(NULL), MCP_OAUTH_E_INVALID_ARGUMENT);
    CHECK_RC(mcp_oauth_set_log_callback(on_log, &seen, MCP_OAUTH_LOG_DEBUG), MCP_OAUTH_OK);
    CHECK_RC(mcp_oauth_log_buffer(MCP_OAUTH_LOG_DEBUG), MCP_OAUTH_OK);

    /* Discovery and dynamic registration of a confidential client. */
    snprintf(cfg, sizeof cfg, "{\"server_url\":\"%s\",\"grant_type\":\"client_credentials\"}", mcp);
    mcp_oauth *registered = new_auth(cfg);
    char *tok0 = token(registered);
    /* A pre-registered client: client_credentials, then the refresh grant. */
    snprintf(cfg, sizeof cfg, "{\"server_url\":\"%s\",\"client_id\":\"test-client\",\"client_secret\":\"test-secret\","
             "\"issuer\":\"%s\"}", mcp, as);
    mcp_oauth *machine = new_auth(cfg);
    char *tok1 = token(machine);
    CHECK_RC(mcp_oauth_invalidate(machine, tok1), MCP_OAUTH_OK);
    char *tok2 = token(machine);
    /* The authorization code flow: a code and a PKCE verifier. */
    snprintf(cfg, sizeof cfg, "{\"server_url\":\"%s\"}", mcp);
    mcp_oauth *user = new_auth(cfg);
    authorize_headless(user);
    char *tok3 = token(user);
    CHECK(tok0 && tok1 && tok2 && tok3);

    char url[512], refresh[512] = "", code[512] = "", verifier[512] = "";
    snprintf(url, sizeof url, "%s/_test/token_requests", as);
    http_response r;
    CHECK(http_request("GET", url, NULL, &r) == 0 && r.status == 200);
    CHECK(form_value(r.body, "refresh_token", refresh, sizeof refresh) == 0);
    CHECK(form_value(r.body, "code", code, sizeof code) == 0);
    CHECK(form_value(r.body, "code_verifier", verifier, sizeof verifier) == 0);

    pthread_mutex_lock(&seen.mu);
    const char *text = seen.text ? seen.text : "";
    CHECK(!seen.overlapped);
    const char *events[] = {"10 discovery.resource_metadata ", "20 discovery.start ", "20 discovery.done ",
                            "20 registration.request ", "20 registration.done ", "10 token.request ",
                            "20 token.response ", "20 token.refresh ", "20 authorization.begin ",
                            "20 authorization.complete ", "10 http.request ", "grant_type=refresh_token",
                            "\"grant_type\":\"authorization_code\"", NULL};
    for (int i = 0; events[i]; i++) {
        if (!strstr(text, events[i])) {
            failed++;
            fprintf(stderr, "FAIL: no %s in the log\n", events[i]);
        } else {
            passed++;
        }
    }
    const char *secrets[] = {"test-secret", tok0, tok1, tok2, tok3, refresh, code, verifier, NULL};
    no_secret(text, "callback's log", secrets);
    int calls = seen.calls;
    pthread_mutex_unlock(&seen.mu);

    /* The buffer kept the same events. */
    char *drained = NULL;
    CHECK_RC(mcp_oauth_log_drain(&drained), MCP_OAUTH_OK);
    CHECK(drained && strstr(drained, "\"event\":\"token.refresh\"") && strstr(drained, "\"level\":20"));
    if (drained) no_secret(drained, "drained log", secrets);
    mcp_oauth_string_free(drained);
    CHECK_RC(mcp_oauth_log_drain(&drained), MCP_OAUTH_OK);
    CHECK(drained && strcmp(drained, "[]") == 0);
    mcp_oauth_string_free(drained);

    /* Off: no more calls, nothing kept. */
    CHECK_RC(mcp_oauth_set_log_callback(NULL, NULL, MCP_OAUTH_LOG_DEBUG), MCP_OAUTH_OK);
    CHECK_RC(mcp_oauth_log_buffer(0), MCP_OAUTH_OK);
    CHECK_RC(mcp_oauth_invalidate(machine, tok2), MCP_OAUTH_OK);
    char *tok4 = token(machine);
    CHECK(tok4 != NULL);
    CHECK(seen.calls == calls);
    CHECK_RC(mcp_oauth_log_drain(&drained), MCP_OAUTH_OK);
    CHECK(drained && strcmp(drained, "[]") == 0);
    mcp_oauth_string_free(drained);

    test_stderr(argv[0], mcp, as);

    mcp_oauth_string_free(tok0);
    mcp_oauth_string_free(tok1);
    mcp_oauth_string_free(tok2);
    mcp_oauth_string_free(tok3);
    mcp_oauth_string_free(tok4);
    mcp_oauth_free(registered);
    mcp_oauth_free(machine);
    mcp_oauth_free(user);
    free(seen.text);
    server_stop(&srv);
    printf("test_log: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
