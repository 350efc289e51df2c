/* test_capi.c — the C ABI through the public header, against the project's
 * test authorization server running as a real process. Built with
 * -fsanitize=address: a leaked or double-freed string fails the run. */
#define _GNU_SOURCE
#include "mcp_oauth.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "harness.h"


static test_server as;
static char cc_config[2048], public_config[4096];

static long token_requests(void) {
    http_response r;
    char url[1024];
    snprintf(url, sizeof url, "%s/_test/counts", as.url);
    if (http_request("GET", url, NULL, &r) != 0) return -1;
    return json_int(r.body, "token");
}

static void control(const char *path, const char *body) {
    http_response r;
    char url[1024];
    snprintf(url, sizeof url, "%s%s", as.url, path);
    http_request("POST", url, body, &r);
}

static mcp_oauth *new_client(const char *config) {
    mcp_oauth *h = NULL;
    char *err = NULL;
    int rc = mcp_oauth_new(config, &h, &err);
    if (rc != MCP_OAUTH_OK) fprintf(stderr, "mcp_oauth_new: %s\n", err);
    mcp_oauth_string_free(err);
    return h;
}

static void test_version_and_strerror(void) {
    CHECK(strcmp(mcp_oauth_version(), MCP_OAUTH_VERSION) == 0);
    CHECK(strcmp(mcp_oauth_strerror(MCP_OAUTH_E_BAD_HANDLE), "bad handle") == 0);
    CHECK(strcmp(mcp_oauth_strerror(MCP_OAUTH_OK), "ok") == 0);
    CHECK(strcmp(mcp_oauth_strerror(-9999), "unknown status") == 0);
    for (int code = 0; code >= MCP_OAUTH_E_TOKEN_REJECTED; code--) CHECK(strcmp(mcp_oauth_strerror(code), "unknown status") != 0);
}

static void test_pkce(void) {
    char *challenge = NULL, *verifier = NULL;
    CHECK_RC(mcp_pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", &challenge), MCP_OAUTH_OK);
    CHECK(challenge && strcmp(challenge, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM") == 0);
    mcp_oauth_string_free(challenge);

    CHECK_RC(mcp_pkce_verifier(&verifier), MCP_OAUTH_OK);
    CHECK(verifier && strlen(verifier) == 43 && strspn(verifier, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~") == 43);
    CHECK_RC(mcp_pkce_challenge(verifier, &challenge), MCP_OAUTH_OK);
    mcp_oauth_string_free(challenge);
    mcp_oauth_string_free(verifier);

    challenge = (char *)1;
    CHECK_RC(mcp_pkce_challenge("short", &challenge), MCP_OAUTH_E_INVALID_ARGUMENT);
    CHECK(challenge == NULL);
    CHECK_RC(mcp_pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjX\xff", &challenge), MCP_OAUTH_E_INVALID_ARGUMENT);
    CHECK_RC(mcp_pkce_challenge(NULL, &challenge), MCP_OAUTH_E_INVALID_ARGUMENT);
    CHECK_RC(mcp_pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", NULL), MCP_OAUTH_E_INVALID_ARGUMENT);
    CHECK_RC(mcp_pkce_verifier(NULL), MCP_OAUTH_E_INVALID_ARGUMENT);
}

static void test_config_errors(void) {
    struct {
        const char *json;
        int want;
        const char *field;
    } cases[] = {
        {"{", MCP_OAUTH_E_CONFIG, NULL},
        {"{\"client_id\":\"a\",\"client_secret\":\"hunter2\",\"token_url\":\"https://a/t\",\"bogus\":1}", MCP_OAUTH_E_CONFIG, "\"field\":\"bogus\""},
        {"{\"client_id\":\"a\",\"client_secret\":\"hunter2\",\"token_url\":\"http://as.example/t\"}", MCP_OAUTH_E_CONFIG, "\"field\":\"token_url\""},
        {"{\"client_id\":7,\"token_url\":\"https://a/t\"}", MCP_OAUTH_E_CONFIG, "\"field\":\"client_id\""},
        {"{\"client_secret\":\"hunter2\",\"token_url\":\"https://a/t\"}", MCP_OAUTH_E_CONFIG, "\"field\":\"client_id\""},
        {"{\"client_id\":\"\xc3\x28\",\"token_url\":\"https://a/t\"}", MCP_OAUTH_E_INVALID_ARGUMENT, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mcp_oauth *h = (mcp_oauth *)1;
        char *err = NULL;
        CHECK_RC(mcp_oauth_new(cases[i].json, &h, &err), cases[i].want);
        CHECK(h == NULL);
        CHECK(err != NULL && strstr(err, "\"message\":") != NULL);
        CHECK(err == NULL || strstr(err, "hunter2") == NULL);
        if (cases[i].field) CHECK(err && strstr(err, cases[i].field));
        mcp_oauth_string_free(err);
    }
    mcp_oauth *h = NULL;
    CHECK_RC(mcp_oauth_new(NULL, &h, NULL), MCP_OAUTH_E_INVALID_ARGUMENT);
    CHECK_RC(mcp_oauth_new(cc_config, NULL, NULL), MCP_OAUTH_E_INVALID_ARGUMENT);
}

static void test_client_credentials(void) {
    control("/_test/reset", "{}");
    mcp_oauth *h = new_client(cc_config);
    CHECK(h != NULL);
    char *first = NULL, *err = NULL;
    CHECK_RC(mcp_oauth_get_token(h, &first, &err), MCP_OAUTH_OK);
    CHECK(first && strlen(first) > 10 && err == NULL);
    for (int i = 0; i < 100; i++) {
        char *tok = NULL;
        CHECK_RC(mcp_oauth_get_token(h, &tok, NULL), MCP_OAUTH_OK);
        if (i % 25 == 0) CHECK(tok && strcmp(tok, first) == 0);
        mcp_oauth_string_free(tok);
    }
    CHECK(token_requests() == 1);

    char *js = NULL;
    const volatile uint32_t *gen = NULL;
    CHECK_RC(mcp_oauth_get_token_json(h, &js, NULL), MCP_OAUTH_OK);
    CHECK_RC(mcp_oauth_generation_ptr(h, &gen), MCP_OAUTH_OK);
    CHECK(js && strstr(js, first) && strstr(js, "\"token_type\":\"Bearer\"") && strstr(js, "\"scope\":\"mcp:read\""));
    CHECK(js && json_int(js, "expires_at_ms") > json_int(js, "valid_until_ms"));
    CHECK(js && json_int(js, "valid_until_ms") > json_int(js, "refresh_at_ms"));
    CHECK(js && gen && json_int(js, "generation") == (long)*gen);
    CHECK(js && !strstr(js, "refresh_token"));
    mcp_oauth_string_free(js);

    uint32_t before = *gen;
    CHECK_RC(mcp_oauth_invalidate(h, "not-the-token"), MCP_OAUTH_OK);
    CHECK(*gen == before);
    CHECK_RC(mcp_oauth_invalidate(h, first), MCP_OAUTH_OK);
    CHECK(*gen == before + 1);
    char *second = NULL;
    CHECK_RC(mcp_oauth_get_token(h, &second, NULL), MCP_OAUTH_OK);
    CHECK(second && strcmp(first, second) != 0);
    CHECK(token_requests() == 2);
    mcp_oauth_string_free(first);
    mcp_oauth_string_free(second);
    CHECK_RC(mcp_oauth_free(h), MCP_OAUTH_OK);
}

/* A server's escape sequences never reach an error (issue 12 item 5): the
 * error_description below retitles the terminal, clears it and writes the
 * clipboard; the message and the details carry it escaped (\x1b), never as
 * the raw control character (which JSON would write as \u001b). */
static void test_errors_carry_no_control_characters(void) {
    control("/_test/fail", "{\"count\":1,\"status\":400,\"body\":\"{\\\"error\\\":\\\"invalid_client\\\","
                           "\\\"error_description\\\":\\\"\\\\u001b]0;pwned\\\\u0007\\\\u001b[2J\\\\u001b]52;c;eA==\\\\u0007\\\\u009b2J\\\"}\"}");
    mcp_oauth *h = new_client(cc_config);
    char *tok = NULL, *err = NULL;
    CHECK_RC(mcp_oauth_get_token(h, &tok, &err), MCP_OAUTH_E_OAUTH);
    CHECK(err && strstr(err, "\\\\x1b]0;pwned"));
    CHECK(err && !strstr(err, "\\u001b") && !strstr(err, "\\u0007") && !strstr(err, "\\u009b"));
    for (const char *p = err; p && *p; p++) CHECK((unsigned char)*p >= 0x20);
    if (err) fprintf(stderr, "escaped: %s\n", err);
    mcp_oauth_string_free(err);
    mcp_oauth_free(h);
}

static void test_token_endpoint_errors(void) {
    char cfg[2048];
    snprintf(cfg, sizeof cfg,
             "{\"client_id\":\"test-client\",\"client_secret\":\"wrong-secret-xyz\",\"token_url\":\"%s/token\"}", as.url);
    mcp_oauth *h = new_client(cfg);
    char *tok = (char *)1, *err = NULL;
    CHECK_RC(mcp_oauth_get_token(h, &tok, &err), MCP_OAUTH_E_OAUTH);
    CHECK(tok == NULL);
    CHECK(err && strstr(err, "\"error\":\"invalid_client\"") && strstr(err, "\"status\":401"));
    CHECK(err && !strstr(err, "wrong-secret-xyz"));
    mcp_oauth_string_free(err);
    mcp_oauth_free(h);

    control("/_test/fail", "{\"count\":1,\"status\":200,\"body\":\"{not json\"}");
    h = new_client(cc_config);
    CHECK_RC(mcp_oauth_get_token(h, &tok, NULL), MCP_OAUTH_E_PROTOCOL);
    mcp_oauth_free(h);

    /* A Retry-After longer than the 5 s timeout ends the retries at once. */
    snprintf(cfg, sizeof cfg,
             "{\"client_id\":\"test-client\",\"client_secret\":\"test-secret\",\"token_url\":\"%s/token\",\"http_timeout_seconds\":5}",
             as.url);
    control("/_test/fail", "{\"count\":1,\"status\":503,\"body\":\"busy\",\"content_type\":\"text/plain\","
                           "\"header\":{\"Retry-After\":\"7\"}}");
    h = new_client(cfg);
    CHECK_RC(mcp_oauth_get_token(h, &tok, &err), MCP_OAUTH_E_SERVER);
    CHECK(err && strstr(err, "\"status\":503") && strstr(err, "\"retry_after\":7"));
    mcp_oauth_string_free(err);
    mcp_oauth_free(h);

    h = new_client("{\"client_id\":\"c\",\"client_secret\":\"s\",\"token_url\":\"http://127.0.0.1:1/token\"}");
    CHECK_RC(mcp_oauth_get_token(h, &tok, NULL), MCP_OAUTH_E_NETWORK);
    mcp_oauth_free(h);

    snprintf(cfg, sizeof cfg,
             "{\"client_id\":\"test-client\",\"client_secret\":\"test-secret\",\"token_url\":\"%s/token\",\"http_timeout_seconds\":0.3}",
             as.url);
    control("/_test/fail", "{\"count\":1,\"mode\":\"hang\"}");
    h = new_client(cfg);
    CHECK_RC(mcp_oauth_get_token(h, &tok, NULL), MCP_OAUTH_E_TIMEOUT);
    mcp_oauth_free(h);
}

/* set_param replaces the value of query parameter name in url (in place),
 * or appends it when absent. */
static void set_param(char *url, size_t size, const char *name, const char *value) {
    char key[32], rest[4096] = "";
    snprintf(key, sizeof key, "%s=", name);
    char *p = strstr(url, key);
    if (p && (p[-1] == '?' || p[-1] == '&')) {
        char *end = strchr(p, '&');
        if (end) snprintf(rest, sizeof rest, "%s", end);
        snprintf(p, size - (size_t)(p - url), "%s%s%s", key, value, rest);
    } else {
        size_t len = strlen(url);
        snprintf(url + len, size - len, "&%s%s", key, value);
    }
}

/* authorize follows the authorization URL like a browser would, headlessly,
 * optionally tampering with one parameter of the response ("name=value"). */
static int authorize(mcp_oauth *h, const char *tamper, char **out_error) {
    char *url = NULL, *state = NULL;
    int rc = mcp_oauth_authorize_begin(h, "http://127.0.0.1:9/callback", &url, &state, out_error);
    if (rc != MCP_OAUTH_OK) return rc;
    http_response r;
    CHECK(http_request("GET", url, NULL, &r) == 0 && r.status == 302);
    CHECK(strstr(url, "code_challenge_method=S256") && strstr(url, state));
    char location[4096];
    snprintf(location, sizeof location, "%s", r.location);
    if (tamper) {
        char name[32];
        const char *eq = strchr(tamper, '=');
        snprintf(name, sizeof name, "%.*s", (int)(eq - tamper), tamper);
        set_param(location, sizeof location, name, eq + 1);
    }
    rc = mcp_oauth_authorize_complete(h, location, out_error);
    mcp_oauth_string_free(url);
    mcp_oauth_string_free(state);
    return rc;
}

/* Timeouts cannot overflow (issue 12 item 8): INFINITY is no timeout, huge
 * values are clamped (they expired at once before), NaN and negatives are
 * refused. */
static void test_timeouts_do_not_overflow(void) {
    const double endless[] = {INFINITY, 1e300, 1e10};
    for (size_t i = 0; i < sizeof endless / sizeof endless[0]; i++) {
        mcp_oauth *h = new_client(public_config);
        char *err = NULL;
        CHECK_RC(mcp_oauth_authorize_interactive(h, "tests/c/browser.sh", endless[i], &err), MCP_OAUTH_OK);
        if (err) fprintf(stderr, "timeout %g: %s\n", endless[i], err);
        mcp_oauth_string_free(err);
        mcp_oauth_free(h);
    }
    const double refused[] = {NAN, -1, -INFINITY};
    mcp_oauth *h = new_client(public_config);
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        char *err = NULL;
        CHECK_RC(mcp_oauth_authorize_interactive(h, "tests/c/browser.sh", refused[i], &err), MCP_OAUTH_E_INVALID_ARGUMENT);
        CHECK(err && strstr(err, "timeout_seconds"));
        mcp_oauth_string_free(err);
    }
    mcp_oauth_free(h);
}

static void test_authorization_code(void) {
    control("/_test/reset", "{}");
    mcp_oauth *h = new_client(public_config);
    char *tok = NULL, *err = NULL;
    CHECK_RC(mcp_oauth_get_token(h, &tok, NULL), MCP_OAUTH_E_AUTHORIZATION_REQUIRED);
    CHECK_RC(authorize(h, NULL, NULL), MCP_OAUTH_OK);
    CHECK_RC(mcp_oauth_get_token(h, &tok, NULL), MCP_OAUTH_OK);
    CHECK(tok && strlen(tok) > 10);
    mcp_oauth_string_free(tok);

    CHECK_RC(authorize(h, "state=forged", NULL), MCP_OAUTH_E_STATE_MISMATCH);
    CHECK_RC(authorize(h, "iss=https%3A%2F%2Fevil.example", NULL), MCP_OAUTH_E_ISSUER_MISMATCH);
    control("/_test/deny", "{\"error\":\"access_denied\"}");
    CHECK_RC(authorize(h, NULL, &err), MCP_OAUTH_E_AUTHORIZATION_DENIED);
    CHECK(err && strstr(err, "\"error\":\"access_denied\""));
    mcp_oauth_string_free(err);
    control("/_test/deny", "{\"error\":\"\"}");
    mcp_oauth_free(h);

    h = new_client(cc_config);
    char *url = NULL;
    CHECK_RC(mcp_oauth_authorize_begin(h, "http://127.0.0.1:9/cb", &url, NULL, NULL), MCP_OAUTH_E_UNSUPPORTED);
    mcp_oauth_free(h);

    /* The whole flow with a loopback listener and a (headless) browser. */
    h = new_client(public_config);
    CHECK_RC(mcp_oauth_authorize_interactive(h, "tests/c/browser.sh", 10, &err), MCP_OAUTH_OK);
    mcp_oauth_string_free(err);
    CHECK_RC(mcp_oauth_get_token(h, &tok, NULL), MCP_OAUTH_OK);
    mcp_oauth_string_free(tok);
    CHECK_RC(mcp_oauth_authorize_interactive(h, "/nonexistent/browser", 1, &err), MCP_OAUTH_E_INVALID_ARGUMENT);
    mcp_oauth_string_free(err);
    CHECK_RC(mcp_oauth_authorize_interactive(h, "true", 0.3, NULL), MCP_OAUTH_E_TIMEOUT);
    CHECK_RC(mcp_oauth_authorize_interactive(NULL, NULL, 1, NULL), MCP_OAUTH_E_BAD_HANDLE);
    mcp_oauth_free(h);
    test_timeouts_do_not_overflow();
}

struct thread_arg {
    mcp_oauth *h;
    int failures;
    char first[256];
    int mismatches;
};

static void *hammer(void *p) {
    struct thread_arg *a = p;
    for (int i = 0; i < 2000; i++) {
        char *tok = NULL;
        if (mcp_oauth_get_token(a->h, &tok, NULL) != MCP_OAUTH_OK) {
            a->failures++;
            continue;
        }
        if (!a->first[0]) snprintf(a->first, sizeof a->first, "%s", tok);
        else if (strcmp(a->first, tok) != 0) a->mismatches++;
        mcp_oauth_string_free(tok);
    }
    return NULL;
}

static void test_threads(void) {
    control("/_test/reset", "{}");
    control("/_test/config", "{\"latency_ms\":50}");
    mcp_oauth *h = new_client(cc_config);
    pthread_t th[16];
    struct thread_arg args[16];
    for (int i = 0; i < 16; i++) {
        memset(&args[i], 0, sizeof args[i]);
        args[i].h = h;
        pthread_create(&th[i], NULL, hammer, &args[i]);
    }
    int failures = 0, mismatches = 0;
    for (int i = 0; i < 16; i++) {
        pthread_join(th[i], NULL);
        failures += args[i].failures;
        mismatches += args[i].mismatches;
        CHECK(strcmp(args[i].first, args[0].first) == 0);
    }
    CHECK(failures == 0);
    CHECK(mismatches == 0);
    CHECK(token_requests() == 1);
    control("/_test/config", "{\"latency_ms\":0}");
    mcp_oauth_free(h);
}

struct free_race {
    mcp_oauth *h;
    int unexpected;
};

static void *call_during_free(void *p) {
    struct free_race *a = p;
    for (int i = 0; i < 5000; i++) {
        char *tok = NULL;
        int rc = mcp_oauth_get_token(a->h, &tok, NULL);
        if (rc != MCP_OAUTH_OK && rc != MCP_OAUTH_E_BAD_HANDLE) a->unexpected++;
        mcp_oauth_string_free(tok);
    }
    return NULL;
}

static void test_misuse(void) {
    mcp_oauth *h = new_client(cc_config);
    char *s = (char *)1, *err = (char *)1;
    const volatile uint32_t *gen = NULL;

    /* NULL handle in every function that takes one. */
    CHECK_RC(mcp_oauth_get_token(NULL, &s, &err), MCP_OAUTH_E_BAD_HANDLE);
    CHECK(s == NULL && err != NULL && strstr(err, "\"code\":-2"));
    mcp_oauth_string_free(err);
    CHECK_RC(mcp_oauth_get_token_json(NULL, &s, NULL), MCP_OAUTH_E_BAD_HANDLE);
    CHECK_RC(mcp_oauth_generation_ptr(NULL, &gen), MCP_OAUTH_E_BAD_HANDLE);
    CHECK_RC(mcp_oauth_invalidate(NULL, "t"), MCP_OAUTH_E_BAD_HANDLE);
    CHECK_RC(mcp_oauth_authorize_begin(NULL, NULL, &s, NULL, NULL), MCP_OAUTH_E_BAD_HANDLE);
    CHECK_RC(mcp_oauth_authorize_complete(NULL, "http://127.0.0.1/?state=x", NULL), MCP_OAUTH_E_BAD_HANDLE);
    CHECK_RC(mcp_oauth_free(NULL), MCP_OAUTH_OK);
    mcp_oauth_string_free(NULL);

    /* NULL for every other pointer argument. */
    CHECK_RC(mcp_oauth_get_token(h, NULL, NULL), MCP_OAUTH_E_INVALID_ARGUMENT);
    CHECK_RC(mcp_oauth_get_token_json(h, NULL, NULL), MCP_OAUTH_E_INVALID_ARGUMENT);
    CHECK_RC(mcp_oauth_generation_ptr(h, NULL), MCP_OAUTH_E_INVALID_ARGUMENT);
    CHECK_RC(mcp_oauth_invalidate(h, NULL), MCP_OAUTH_E_INVALID_ARGUMENT);
    CHECK_RC(mcp_oauth_authorize_complete(h, NULL, NULL), MCP_OAUTH_E_INVALID_ARGUMENT);
    mcp_oauth *pub = new_client(public_config);
    CHECK_RC(mcp_oauth_authorize_begin(pub, NULL, NULL, NULL, NULL), MCP_OAUTH_E_INVALID_ARGUMENT);
    CHECK_RC(mcp_oauth_authorize_begin(pub, "http://127.0.0.1:9/\xff", &s, NULL, NULL), MCP_OAUTH_E_INVALID_ARGUMENT);
    CHECK_RC(mcp_oauth_authorize_complete(pub, "http://127.0.0.1:9/?state=\xc3", NULL), MCP_OAUTH_E_INVALID_ARGUMENT);
    CHECK_RC(mcp_oauth_invalidate(h, "\xff\xfe"), MCP_OAUTH_E_INVALID_ARGUMENT);
    mcp_oauth_free(pub);

    /* A pointer that is not a handle. */
    int not_a_handle = 0;
    CHECK_RC(mcp_oauth_get_token((mcp_oauth *)&not_a_handle, &s, NULL), MCP_OAUTH_E_BAD_HANDLE);
    CHECK_RC(mcp_oauth_free((mcp_oauth *)&not_a_handle), MCP_OAUTH_E_BAD_HANDLE);

    /* Use after free, double free. */
    CHECK_RC(mcp_oauth_free(h), MCP_OAUTH_OK);
    CHECK_RC(mcp_oauth_get_token(h, &s, NULL), MCP_OAUTH_E_BAD_HANDLE);
    CHECK_RC(mcp_oauth_invalidate(h, "t"), MCP_OAUTH_E_BAD_HANDLE);
    CHECK_RC(mcp_oauth_generation_ptr(h, &gen), MCP_OAUTH_E_BAD_HANDLE);
    CHECK_RC(mcp_oauth_free(h), MCP_OAUTH_E_BAD_HANDLE);
    CHECK_RC(mcp_oauth_free(h), MCP_OAUTH_E_BAD_HANDLE);

    /* A freed handle stays recognised while new handles are created. */
    mcp_oauth *fresh[8];
    for (int i = 0; i < 8; i++) {
        fresh[i] = new_client(cc_config);
        CHECK(fresh[i] != h);
    }
    CHECK_RC(mcp_oauth_get_token(h, &s, NULL), MCP_OAUTH_E_BAD_HANDLE);
    for (int i = 0; i < 8; i++) mcp_oauth_free(fresh[i]);

    /* Free while other threads are inside calls on the same handle. */
    h = new_client(cc_config);
    char *warm = NULL;
    mcp_oauth_get_token(h, &warm, NULL);
    mcp_oauth_string_free(warm);
    pthread_t th[4];
    struct free_race race[4];
    for (int i = 0; i < 4; i++) {
        race[i] = (struct free_race){h, 0};
        pthread_create(&th[i], NULL, call_during_free, &race[i]);
    }
    CHECK_RC(mcp_oauth_free(h), MCP_OAUTH_OK);
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        CHECK(race[i].unexpected == 0);
    }

    /* A huge configuration string is refused, not fatal. */
    size_t big = 8 << 20;
    char *huge = malloc(big + 64);
    memset(huge, 'a', big + 63);
    memcpy(huge, "{\"client_id\":\"", 14);
    strcpy(huge + big, "\",\"token_url\":\"https://a/t\"}");
    mcp_oauth *hh = NULL;
    CHECK_RC(mcp_oauth_new(huge, &hh, NULL), MCP_OAUTH_E_CONFIG);
    free(huge);
}

/* The open command sees the environment as it is when the flow starts: a
 * variable set with setenv() after the library was loaded reaches it, one
 * removed with unsetenv() does not (issue 16; Go's runtime copies the
 * environment once, at load). The command is a script that records both,
 * then approves like tests/c/browser.sh. */
static void test_open_command_sees_current_environment(void) {
    char dir[] = "/tmp/mcp-oauth-env-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char script[256], seen[256], body[1024];
    snprintf(script, sizeof script, "%s/open.sh", dir);
    snprintf(seen, sizeof seen, "%s/seen", dir);
    FILE *f = fopen(script, "w");
    CHECK(f != NULL);
    if (f == NULL) return;
    fprintf(f, "#!/bin/sh\nprintf '%%s|%%s' \"$MCP_OAUTH_SET_LATE\" \"${HOME-unset}\" > '%s'\n"
               "exec tests/c/browser.sh \"$1\"\n", seen);
    fclose(f);
    chmod(script, 0700);

    CHECK(setenv("MCP_OAUTH_SET_LATE", "set-after-load", 1) == 0);
    char *home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
    unsetenv("HOME");
    mcp_oauth *h = new_client(public_config);
    char *err = NULL;
    CHECK_RC(mcp_oauth_authorize_interactive(h, script, 10, &err), MCP_OAUTH_OK);
    mcp_oauth_string_free(err);
    mcp_oauth_free(h);
    if (home) {
        setenv("HOME", home, 1);
        free(home);
    }
    unsetenv("MCP_OAUTH_SET_LATE");

    body[0] = 0;
    f = fopen(seen, "r");
    CHECK(f != NULL);
    if (f) {
        size_t n = fread(body, 1, sizeof body - 1, f);
        body[n] = 0;
        fclose(f);
    }
    if (strcmp(body, "set-after-load|unset") != 0) fprintf(stderr, "the open command saw %s\n", body);
    CHECK(strcmp(body, "set-after-load|unset") == 0);
    unlink(seen);
    unlink(script);
    rmdir(dir);
}

/* mcp_oauth_authorize_interactive_callback: a function shows the URL. This
 * one records it and hands it to the headless browser in the background; a
 * nonzero return ends the login. */
typedef struct {
    int calls;
    int refuse;
    char url[2048];
} open_record;

static int open_url(void *userdata, const char *url) {
    open_record *r = userdata;
    r->calls++;
    snprintf(r->url, sizeof r->url, "%s", url);
    if (r->refuse) return 1;
    char cmd[2300];
    snprintf(cmd, sizeof cmd, "tests/c/browser.sh '%s' &", url);
    return system(cmd) == 0 ? 0 : 1;
}

static void test_open_callback(void) {
    mcp_oauth *h = new_client(public_config);
    open_record r = {0};
    char *err = NULL, *tok = NULL;
    CHECK_RC(mcp_oauth_authorize_interactive_callback(h, open_url, &r, 10, &err), MCP_OAUTH_OK);
    mcp_oauth_string_free(err);
    err = NULL;
    CHECK(r.calls == 1);
    CHECK(strstr(r.url, "/authorize?") != NULL);
    CHECK_RC(mcp_oauth_get_token(h, &tok, NULL), MCP_OAUTH_OK);
    mcp_oauth_string_free(tok);

    open_record refusing = {.refuse = 1};
    CHECK_RC(mcp_oauth_authorize_interactive_callback(h, open_url, &refusing, 10, &err), MCP_OAUTH_E_INVALID_ARGUMENT);
    CHECK(refusing.calls == 1);
    CHECK(err && strstr(err, "open callback"));
    mcp_oauth_string_free(err);
    CHECK_RC(mcp_oauth_authorize_interactive_callback(h, NULL, NULL, 10, NULL), MCP_OAUTH_E_INVALID_ARGUMENT);
    CHECK_RC(mcp_oauth_authorize_interactive_callback(h, open_url, &r, NAN, NULL), MCP_OAUTH_E_INVALID_ARGUMENT);
    CHECK_RC(mcp_oauth_authorize_interactive_callback(NULL, open_url, &r, 1, NULL), MCP_OAUTH_E_BAD_HANDLE);
    mcp_oauth_free(h);
}

int main(void) {
    if (server_start(&as, NULL) != 0) {
        fprintf(stderr, "cannot start the test authorization server\n");
        return 2;
    }
    snprintf(cc_config, sizeof cc_config,
             "{\"client_id\":\"test-client\",\"client_secret\":\"test-secret\",\"token_url\":\"%s/token\","
             "\"scopes\":[\"mcp:read\"],\"resource\":\"https://mcp.example/mcp\"}",
             as.url);
    snprintf(public_config, sizeof public_config,
             "{\"client_id\":\"public-client\",\"token_url\":\"%s/token\",\"authorize_url\":\"%s/authorize\","
             "\"issuer\":\"%s\",\"scopes\":[\"mcp:read\"]}",
             as.url, as.url, as.url);

    test_version_and_strerror();
    test_pkce();
    test_config_errors();
    test_client_credentials();
    test_token_endpoint_errors();
    test_errors_carry_no_control_characters();
    test_authorization_code();
    test_open_command_sees_current_environment();
    test_open_callback();
    test_threads();
    test_misuse();

    server_stop(&as);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
