/* test_mcp.c — MCP authorization end to end through the C ABI: the project's
 * test MCP server (official Go SDK, bearer-protected, Streamable HTTP and
 * SSE) and its authorization server run as a real process; the client
 * starts knowing only the MCP URL. Built with -fsanitize=address. */
#define _GNU_SOURCE
#include "mcp_oauth.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "harness.h"


static const char *mcp_server_bin(void) {
    const char *bin = getenv("MCP_OAUTH_MCP_TEST_SERVER");
    return bin ? bin : "build/mcp-test-server";
}

/* authorize_headless plays the user's browser for an auto-approving AS. */
static int authorize_headless(mcp_oauth *auth) {
    char *url = NULL, *err = NULL;
    int rc = mcp_oauth_authorize_begin(auth, NULL, &url, NULL, &err);
    if (rc != MCP_OAUTH_OK) {
        fprintf(stderr, "authorize_begin: %s\n", err);
        mcp_oauth_string_free(err);
        return rc;
    }
    http_response r;
    rc = http_request("GET", url, NULL, &r) == 0 && r.status == 302 ? MCP_OAUTH_OK : MCP_OAUTH_E_NETWORK;
    mcp_oauth_string_free(url);
    if (rc == MCP_OAUTH_OK) rc = mcp_oauth_authorize_complete(auth, r.location, NULL);
    return rc;
}

/* connect_authorized connects, authorizing headlessly when asked to. */
static mcp_client *connect_authorized(mcp_oauth *auth, const char *url, const char *options) {
    mcp_client *c = NULL;
    char *err = NULL;
    int rc = mcp_client_connect(auth, url, options, &c, &err);
    if (rc == MCP_OAUTH_E_AUTHORIZATION_REQUIRED) {
        /* The message is the library's own, not the SDK's wrapping of it. */
        CHECK(err && strstr(err, "\"message\":\"mcp-oauth: no token is held"));
        mcp_oauth_string_free(err);
        err = NULL;
        CHECK_RC(authorize_headless(auth), MCP_OAUTH_OK);
        rc = mcp_client_connect(auth, url, options, &c, &err);
    }
    if (rc != MCP_OAUTH_OK) fprintf(stderr, "connect %s: %s\n", url, err);
    mcp_oauth_string_free(err);
    return c;
}

static mcp_oauth *new_auth(const char *json) {
    mcp_oauth *h = NULL;
    char *err = NULL;
    if (mcp_oauth_new(json, &h, &err) != MCP_OAUTH_OK) fprintf(stderr, "mcp_oauth_new: %s\n", err);
    mcp_oauth_string_free(err);
    return h;
}

/* main_issuer is the authorization server of the test server main()
 * starts: the issuer its credentials belong to. */
static char main_issuer[256];

/* machine_auth: the test client's credentials in discovery mode for url,
 * bound to issuer. */
static mcp_oauth *machine_auth(const char *url, const char *issuer) {
    char cfg[1024];
    snprintf(cfg, sizeof cfg,
             "{\"server_url\":\"%s\",\"client_id\":\"test-client\",\"client_secret\":\"test-secret\",\"issuer\":\"%s\"}",
             url, issuer);
    return new_auth(cfg);
}

/* start_server starts an MCP test server with args; url gets its Streamable
 * HTTP endpoint and issuer its authorization server (each 256 bytes). */
static int start_server(test_server *srv, const char *const args[], char url[256], char issuer[256]) {
    if (server_start_bin(srv, mcp_server_bin(), args) != 0) {
        CHECK(!"cannot start the MCP test server");
        return -1;
    }
    json_str(srv->url, "mcp", url, 256);
    json_str(srv->url, "as", issuer, 256);
    return 0;
}

static void test_user_flow(const char *url, const char *transport) {
    char cfg[1024], opts[128];
    snprintf(cfg, sizeof cfg, "{\"server_url\":\"%s\"}", url);
    snprintf(opts, sizeof opts, "{\"transport\":\"%s\",\"client_name\":\"c-e2e\"}", transport);
    mcp_oauth *auth = new_auth(cfg);
    mcp_client *c = connect_authorized(auth, url, opts);
    CHECK(c != NULL);
    char *out = NULL, *err = NULL;
    CHECK_RC(mcp_client_list_tools(c, &out, NULL), MCP_OAUTH_OK);
    CHECK(out && strstr(out, "\"echo\"") && strstr(out, "\"write_note\""));
    mcp_oauth_string_free(out);
    CHECK_RC(mcp_client_call_tool(c, "echo", "{\"text\":\"hello from C\"}", &out, NULL), MCP_OAUTH_OK);
    CHECK(out && strstr(out, "hello from C"));
    mcp_oauth_string_free(out);
    CHECK_RC(mcp_client_request(c, "ping", NULL, &out, NULL), MCP_OAUTH_OK);
    mcp_oauth_string_free(out);
    CHECK_RC(mcp_client_request(c, "tools/call", "{\"name\":\"add\",\"arguments\":{\"a\":2,\"b\":40}}", &out, NULL), MCP_OAUTH_OK);
    CHECK(out && strstr(out, "42"));
    mcp_oauth_string_free(out);
    CHECK_RC(mcp_client_request(c, "sampling/createMessage", "{}", &out, &err), MCP_OAUTH_E_CONFIG);
    CHECK(err && strstr(err, "\"field\":\"method\""));
    mcp_oauth_string_free(err);
    CHECK_RC(mcp_client_close(c), MCP_OAUTH_OK);
    CHECK_RC(mcp_client_close(c), MCP_OAUTH_E_BAD_HANDLE);
    CHECK_RC(mcp_client_list_tools(c, &out, NULL), MCP_OAUTH_E_BAD_HANDLE);
    mcp_oauth_free(auth);
}

static void test_machine_flow_with_step_up(const char *url) {
    mcp_oauth *auth = machine_auth(url, main_issuer);
    mcp_client *c = connect_authorized(auth, url, NULL);
    CHECK(c != NULL);
    char *out = NULL;
    CHECK_RC(mcp_client_call_tool(c, "write_note", "{\"text\":\"step up\"}", &out, NULL), MCP_OAUTH_OK);
    CHECK(out && !strstr(out, "\"isError\":true"));
    mcp_oauth_string_free(out);
    CHECK_RC(mcp_client_call_tool(c, "echo", "not json", &out, NULL), MCP_OAUTH_E_INVALID_ARGUMENT);
    CHECK_RC(mcp_client_call_tool(c, NULL, NULL, &out, NULL), MCP_OAUTH_E_INVALID_ARGUMENT);
    CHECK_RC(mcp_client_call_tool(c, "echo", NULL, NULL, NULL), MCP_OAUTH_E_INVALID_ARGUMENT);
    mcp_client_close(c);
    mcp_oauth_free(auth);
}

struct blocked_call {
    mcp_client *c;
    int rc;
};

static void *call_wait(void *arg) {
    struct blocked_call *b = arg;
    char *out = NULL, *err = NULL;
    b->rc = mcp_client_call_tool(b->c, "wait", NULL, &out, &err);
    mcp_oauth_string_free(out);
    mcp_oauth_string_free(err);
    return NULL;
}

/* wait_calls returns once the server has seen n calls of the tool "wait". */
static int wait_calls(const char *url, long n) {
    char counts[512];
    const char *path = strstr(url + strlen("http://"), "/");
    snprintf(counts, sizeof counts, "%.*s/_test/mcp_counts", (int)(path - url), url);
    for (int i = 0; i < 1500; i++) {
        http_response r;
        if (http_request("GET", counts, NULL, &r) == 0) {
            const char *w = strstr(r.body, "\"wait\":");
            if (w && atol(w + strlen("\"wait\":")) >= n) return 0;
        }
        nanosleep(&(struct timespec){.tv_nsec = 10 * 1000 * 1000}, NULL);
    }
    return -1;
}

/* mcp_client_cancel ends a call blocked in another thread (issue 12 item
 * 9): the tool "wait" never answers; the session stays usable. */
static void test_cancel_blocked_call(const char *url) {
    mcp_oauth *auth = machine_auth(url, main_issuer);
    mcp_client *c = connect_authorized(auth, url, "{\"timeout_seconds\":3600}");
    CHECK(c != NULL);
    struct blocked_call b = {c, 1};
    pthread_t t;
    CHECK(pthread_create(&t, NULL, call_wait, &b) == 0);
    CHECK(wait_calls(url, 1) == 0);
    CHECK_RC(mcp_client_cancel(c), MCP_OAUTH_OK);
    pthread_join(t, NULL);
    CHECK_RC(b.rc, MCP_OAUTH_E_CANCELLED);
    char *out = NULL;
    CHECK_RC(mcp_client_call_tool(c, "echo", "{\"text\":\"still here\"}", &out, NULL), MCP_OAUTH_OK);
    CHECK(out && strstr(out, "still here"));
    mcp_oauth_string_free(out);
    mcp_client_close(c);
    CHECK_RC(mcp_client_cancel(c), MCP_OAUTH_E_BAD_HANDLE);
    CHECK_RC(mcp_client_cancel(NULL), MCP_OAUTH_E_BAD_HANDLE);
    CHECK_RC(mcp_client_cancel((mcp_client *)auth), MCP_OAUTH_E_BAD_HANDLE);
    CHECK_RC(mcp_client_multi_cancel(NULL), MCP_OAUTH_E_BAD_HANDLE);
    mcp_oauth_free(auth);
}

static void test_misuse(const char *url) {
    mcp_client *c = (mcp_client *)1;
    char *out = NULL;
    CHECK_RC(mcp_client_connect(NULL, url, NULL, &c, NULL), MCP_OAUTH_E_BAD_HANDLE);
    CHECK(c == NULL);
    CHECK_RC(mcp_client_close(NULL), MCP_OAUTH_OK);
    CHECK_RC(mcp_client_list_tools(NULL, &out, NULL), MCP_OAUTH_E_BAD_HANDLE);
    mcp_oauth *auth = new_auth("{\"client_id\":\"test-client\",\"client_secret\":\"test-secret\",\"token_url\":\"http://127.0.0.1:1/token\"}");
    CHECK_RC(mcp_client_connect(auth, url, "{\"transport\":\"carrier-pigeon\"}", &c, NULL), MCP_OAUTH_E_CONFIG);
    CHECK_RC(mcp_client_connect(auth, url, "{\"bogus\":1}", &c, NULL), MCP_OAUTH_E_CONFIG);
    CHECK_RC(mcp_client_connect(auth, NULL, NULL, &c, NULL), MCP_OAUTH_E_INVALID_ARGUMENT);
    CHECK_RC(mcp_client_connect(auth, url, NULL, NULL, NULL), MCP_OAUTH_E_INVALID_ARGUMENT);
    /* An mcp_oauth handle is not an mcp_client, and the other way round. */
    CHECK_RC(mcp_client_close((mcp_client *)auth), MCP_OAUTH_E_BAD_HANDLE);
    mcp_oauth_free(auth);
}

static void test_resource_mismatch(void) {
    test_server srv;
    const char *args[] = {"-prm-resource", "https://other.example/mcp", NULL};
    char url[256], issuer[256];
    if (start_server(&srv, args, url, issuer) != 0) return;
    mcp_oauth *auth = machine_auth(url, issuer);
    mcp_client *c = NULL;
    char *err = NULL;
    CHECK_RC(mcp_client_connect(auth, url, NULL, &c, &err), MCP_OAUTH_E_RESOURCE_MISMATCH);
    CHECK(err && strstr(err, "\"code\":-17"));
    mcp_oauth_string_free(err);
    mcp_oauth_free(auth);
    server_stop(&srv);
}

/* A client whose tokens are issued for another resource (RFC 8707): the
 * server refuses the new token too, which is MCP_OAUTH_E_TOKEN_REJECTED with
 * its challenge, not a bare MCP error. */
static void test_token_rejected(const char *url) {
    char cfg[1024];
    snprintf(cfg, sizeof cfg,
             "{\"server_url\":\"%s\",\"client_id\":\"test-client\",\"client_secret\":\"test-secret\","
             "\"resource\":\"https://other.example/mcp\",\"issuer\":\"%s\"}", url, main_issuer);
    mcp_oauth *auth = new_auth(cfg);
    mcp_client *c = NULL;
    char *err = NULL;
    CHECK_RC(mcp_client_connect(auth, url, NULL, &c, &err), MCP_OAUTH_E_TOKEN_REJECTED);
    CHECK(c == NULL);
    CHECK(err && strstr(err, "\"code\":-21") && strstr(err, "\"status\":401") && strstr(err, "\"error\":\"invalid_token\""));
    mcp_oauth_string_free(err);
    mcp_oauth_free(auth);
}

/* An attacker's MCP server names its own authorization server (which
 * accepts test-client's secret) in its protected resource metadata: the
 * secret never reaches it. Without "issuer" the configuration is refused
 * (MCP_OAUTH_E_CONFIG naming issuer); with the client's real issuer the
 * other authorization server is refused before it is contacted. */
static void test_secret_only_to_its_issuer(void) {
    test_server attacker;
    if (server_start_bin(&attacker, mcp_server_bin(), NULL) != 0) {
        CHECK(!"cannot start the attacker's MCP server");
        return;
    }
    char url[256], evil_as[256], counts_url[300], cfg[1024];
    json_str(attacker.url, "mcp", url, sizeof url);
    json_str(attacker.url, "as", evil_as, sizeof evil_as);
    snprintf(counts_url, sizeof counts_url, "%s/_test/counts", evil_as);

    /* The README's quick start without issuer. */
    snprintf(cfg, sizeof cfg, "{\"server_url\":\"%s\",\"client_id\":\"test-client\",\"client_secret\":\"test-secret\"}", url);
    mcp_oauth *auth = NULL;
    char *err = NULL, *token = NULL;
    int rc = mcp_oauth_new(cfg, &auth, &err);
    CHECK_RC(rc, MCP_OAUTH_E_CONFIG);
    CHECK(err && strstr(err, "\"field\":\"issuer\"") && strstr(err, "issued them"));
    mcp_oauth_string_free(err);
    err = NULL;
    if (rc == MCP_OAUTH_OK) { /* the attack as it went before: the secret is sent */
        mcp_oauth_get_token(auth, &token, NULL);
        mcp_oauth_string_free(token);
        mcp_oauth_free(auth);
    }

    /* With the client's own issuer (not the attacker's). */
    auth = machine_auth(url, main_issuer);
    CHECK(auth != NULL);
    token = NULL;
    CHECK_RC(mcp_oauth_get_token(auth, &token, &err), MCP_OAUTH_E_REGISTRATION);
    CHECK(token == NULL);
    CHECK(err && strstr(err, "registered with issuer"));
    mcp_oauth_string_free(err);
    mcp_oauth_free(auth);

    http_response r;
    CHECK(http_request("GET", counts_url, NULL, &r) == 0 && r.status == 200);
    CHECK(json_int(r.body, "token") == 0);
    CHECK(json_int(r.body, "metadata") == 0);
    server_stop(&attacker);
}

/* A server that serves one tool per tools/list page: mcp_client_list_tools
 * returns every page's tools, and no nextCursor. */
static void test_list_tools_every_page(void) {
    test_server srv;
    const char *args[] = {"-tools-page-size", "1", NULL};
    char url[256], issuer[256];
    if (start_server(&srv, args, url, issuer) != 0) return;
    mcp_oauth *auth = machine_auth(url, issuer);
    mcp_client *c = connect_authorized(auth, url, NULL);
    CHECK(c != NULL);
    char *out = NULL;
    CHECK_RC(mcp_client_request(c, "tools/list", NULL, &out, NULL), MCP_OAUTH_OK);
    CHECK(out && strstr(out, "\"nextCursor\"")); /* the server does page */
    mcp_oauth_string_free(out);
    out = NULL;
    CHECK_RC(mcp_client_list_tools(c, &out, NULL), MCP_OAUTH_OK);
    CHECK(out && strstr(out, "\"echo\"") && strstr(out, "\"add\"") && strstr(out, "\"whoami\"") &&
          strstr(out, "\"write_note\""));
    CHECK(out && !strstr(out, "\"nextCursor\""));
    mcp_oauth_string_free(out);
    mcp_client_close(c);
    mcp_oauth_free(auth);
    server_stop(&srv);
}

/* transport "auto" speaks Streamable HTTP, and falls back to HTTP+SSE for a
 * server that only speaks that. */
static void test_transport_auto(const char *mcp, const char *sse) {
    const char *urls[] = {mcp, sse};
    for (int i = 0; i < 2; i++) {
        mcp_oauth *auth = machine_auth(urls[i], main_issuer);
        mcp_client *c = connect_authorized(auth, urls[i], "{\"transport\":\"auto\"}");
        CHECK(c != NULL);
        char *out = NULL;
        CHECK_RC(mcp_client_call_tool(c, "echo", "{\"text\":\"auto\"}", &out, NULL), MCP_OAUTH_OK);
        CHECK(out && strstr(out, "auto"));
        mcp_oauth_string_free(out);
        mcp_client_close(c);
        mcp_oauth_free(auth);
    }
}

/* read_stored copies the first token store entry of dir that holds tokens
 * into out (an authorization server's registration has its own entry). */
static int read_stored(const char *dir, char *out, size_t size) {
    DIR *d = opendir(dir);
    if (!d) return -1;
    struct dirent *e;
    int rc = -1;
    while ((e = readdir(d)) != NULL && rc != 0) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 5, ".json") != 0) continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "r");
        if (!f) continue;
        size_t got = fread(out, 1, size - 1, f);
        out[got] = '\0';
        fclose(f);
        if (strstr(out, "\"access_token\"") != NULL) rc = 0;
    }
    closedir(d);
    return rc;
}

/* test_status: mcp_oauth_status and mcp_client_status after a real login
 * show the state, and no token or secret the store holds. */
static void test_status(const char *url) {
    char dir[] = "/tmp/mcp-oauth-status-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char cfg[1024];
    snprintf(cfg, sizeof cfg, "{\"server_url\":\"%s\",\"token_store_dir\":\"%s\"}", url, dir);
    mcp_oauth *auth = new_auth(cfg);
    char *js = NULL, *err = NULL;
    CHECK_RC(mcp_oauth_status(auth, &js, &err), MCP_OAUTH_OK);
    CHECK(err == NULL);
    CHECK(js && strstr(js, "\"has_token\":false") && strstr(js, "\"discovered\":false"));
    CHECK(js && strstr(js, "\"kind\":\"file\""));
    mcp_oauth_string_free(js);

    mcp_client *c = connect_authorized(auth, url, NULL);
    CHECK(c != NULL);
    CHECK_RC(mcp_client_status(c, &js, NULL), MCP_OAUTH_OK);
    char v[512];
    CHECK(json_str(js, "session_id", v, sizeof v) == 0 && v[0] != '\0');
    CHECK(json_str(js, "protocol_version", v, sizeof v) == 0 && v[0] != '\0');
    CHECK(json_str(js, "transport", v, sizeof v) == 0 && strcmp(v, "streamable_http") == 0);
    CHECK(json_str(js, "issuer", v, sizeof v) == 0 && strcmp(v, main_issuer) == 0);
    CHECK(json_str(js, "client_source", v, sizeof v) == 0 && strcmp(v, "dynamic_registration") == 0);
    CHECK(json_str(js, "expires_at", v, sizeof v) == 0 && strlen(v) == 20 && v[19] == 'Z');
    CHECK(strstr(js, "\"has_token\":true") && strstr(js, "\"has_refresh_token\":true"));
    CHECK(json_int(js, "expires_in_seconds") > 3000);

    static char stored[16384];
    CHECK(read_stored(dir, stored, sizeof stored) == 0);
    const char *keys[] = {"access_token", "refresh_token"};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        char secret[4096];
        CHECK(json_str(stored, keys[i], secret, sizeof secret) == 0 && secret[0] != '\0');
        CHECK(strstr(js, secret) == NULL);
    }
    mcp_oauth_string_free(js);

    CHECK_RC(mcp_client_status(c, NULL, &err), MCP_OAUTH_E_INVALID_ARGUMENT);
    mcp_oauth_string_free(err);
    CHECK_RC(mcp_client_close(c), MCP_OAUTH_OK);
    js = (char *)"unchanged";
    CHECK_RC(mcp_client_status(c, &js, NULL), MCP_OAUTH_E_BAD_HANDLE);
    CHECK(js == NULL);
    CHECK_RC(mcp_client_status(NULL, &js, NULL), MCP_OAUTH_E_BAD_HANDLE);
    mcp_oauth_free(auth);
    CHECK_RC(mcp_oauth_status(auth, &js, NULL), MCP_OAUTH_E_BAD_HANDLE);

    char rm[128];
    snprintf(rm, sizeof rm, "rm -rf %s", dir);
    CHECK(system(rm) == 0);
}

/* test_machine_status: a client-credentials session's status never shows
 * its token or its secret. */
static void test_machine_status(const char *url) {
    mcp_oauth *auth = machine_auth(url, main_issuer);
    mcp_client *c = connect_authorized(auth, url, NULL);
    CHECK(c != NULL);
    char *token = NULL, *js = NULL;
    CHECK_RC(mcp_oauth_get_token(auth, &token, NULL), MCP_OAUTH_OK);
    CHECK_RC(mcp_oauth_status(auth, &js, NULL), MCP_OAUTH_OK);
    CHECK(js && token && strstr(js, token) == NULL && strstr(js, "test-secret") == NULL);
    CHECK(js && strstr(js, "\"client_source\":\"configured\"") && strstr(js, "\"client_id\":\"test-client\""));
    mcp_oauth_string_free(js);
    mcp_oauth_string_free(token);
    mcp_client_close(c);
    mcp_oauth_free(auth);
}

/* closed_port is a loopback port nothing listens on (bound, then closed). */
static int closed_port(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t n = sizeof a;
    CHECK(fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 && getsockname(fd, (struct sockaddr *)&a, &n) == 0);
    close(fd);
    return ntohs(a.sin_port);
}

/* test_not_mcp_server: a typo'd path is refused at login and at connect as
 * "no MCP server at URL (HTTP 404)", MCP_OAUTH_E_DISCOVERY with status 404;
 * an unreachable server is MCP_OAUTH_E_NETWORK (issue 16). */
static void test_not_mcp_server(const char *mcp) {
    char url[300], cfg[1024], want[400];
    snprintf(url, sizeof url, "%.*s/mpc", (int)(strlen(mcp) - strlen("/mcp")), mcp);
    snprintf(want, sizeof want, "\"message\":\"mcp-oauth: no MCP server at %s (HTTP 404)\"", url);
    snprintf(cfg, sizeof cfg, "{\"server_url\":\"%s\"}", url);
    mcp_oauth *auth = new_auth(cfg);
    char *authz = NULL, *err = NULL;
    CHECK_RC(mcp_oauth_authorize_begin(auth, NULL, &authz, NULL, &err), MCP_OAUTH_E_DISCOVERY);
    CHECK(err && strstr(err, want) && json_int(err, "status") == 404);
    mcp_oauth_string_free(err);
    err = NULL;
    mcp_oauth_free(auth);

    auth = machine_auth(url, main_issuer);
    mcp_client *c = NULL;
    CHECK_RC(mcp_client_connect(auth, url, "{\"transport\":\"auto\"}", &c, &err), MCP_OAUTH_E_DISCOVERY);
    CHECK(c == NULL && err && strstr(err, want));
    mcp_oauth_string_free(err);
    err = NULL;
    mcp_oauth_free(auth);

    char gone[64];
    snprintf(gone, sizeof gone, "http://127.0.0.1:%d/mcp", closed_port());
    snprintf(cfg, sizeof cfg, "{\"server_url\":\"%s\"}", gone);
    auth = new_auth(cfg);
    CHECK_RC(mcp_client_connect(auth, gone, NULL, &c, &err), MCP_OAUTH_E_NETWORK);
    mcp_oauth_string_free(err);
    mcp_oauth_free(auth);
}

/* test_step_up_names_scope: after a 403 insufficient_scope a user client's
 * error names the scope its token lacks, not "no token is held" (issue 16). */
static void test_step_up_names_scope(const char *url) {
    char cfg[1024];
    snprintf(cfg, sizeof cfg, "{\"server_url\":\"%s\",\"scopes\":[\"mcp:read\"]}", url);
    mcp_oauth *auth = new_auth(cfg);
    CHECK_RC(authorize_headless(auth), MCP_OAUTH_OK);
    mcp_client *c = connect_authorized(auth, url, NULL);
    CHECK(c != NULL);
    char *out = NULL, *err = NULL, *msg = NULL;
    CHECK_RC(mcp_client_call_tool(c, "write_note", "{\"text\":\"n\"}", &out, &err), MCP_OAUTH_E_AUTHORIZATION_REQUIRED);
    CHECK_RC(mcp_oauth_error_member(err, "message", &msg), MCP_OAUTH_OK);
    CHECK(msg && strstr(msg, "requires scope \"mcp:write\", which the token was not granted") && !strstr(msg, "no token is held"));
    mcp_oauth_string_free(msg);
    mcp_oauth_string_free(err);
    mcp_client_close(c);
    mcp_oauth_free(auth);
}

int main(void) {
    test_server srv;
    if (server_start_bin(&srv, mcp_server_bin(), NULL) != 0) {
        fprintf(stderr, "cannot start %s\n", mcp_server_bin());
        return 2;
    }
    char mcp[256], sse[256];
    if (json_str(srv.url, "mcp", mcp, sizeof mcp) || json_str(srv.url, "sse", sse, sizeof sse) ||
        json_str(srv.url, "as", main_issuer, sizeof main_issuer)) {
        fprintf(stderr, "unexpected first line: %s\n", srv.url);
        return 2;
    }
    test_user_flow(mcp, "streamable_http");
    test_user_flow(sse, "sse");
    test_machine_flow_with_step_up(mcp);
    test_misuse(mcp);
    test_cancel_blocked_call(mcp);
    test_resource_mismatch();
    test_token_rejected(mcp);
    test_secret_only_to_its_issuer();
    test_list_tools_every_page();
    test_transport_auto(mcp, sse);
    test_status(mcp);
    test_machine_status(mcp);
    test_not_mcp_server(mcp);
    test_step_up_names_scope(mcp);
    server_stop(&srv);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
