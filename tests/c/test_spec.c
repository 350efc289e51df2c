/* test_spec.c — MCP 2026-07-28 and the auth extensions end to end through
 * the C ABI, against the project's test MCP server run as a process: DPoP
 * (RFC 9449) with nonces at both servers, authorization-server migration
 * (SEP-2352), workload identity federation (RFC 7523 §2.1) and a step-up
 * whose scope is not granted. Built with -fsanitize=address. */
#define _GNU_SOURCE
#include "mcp_oauth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "harness.h"

static const char *mcp_server_bin(void) {
    const char *bin = getenv("MCP_OAUTH_MCP_TEST_SERVER");
    return bin ? bin : "build/mcp-test-server";
}

static mcp_oauth *new_auth(const char *json) {
    mcp_oauth *h = NULL;
    char *err = NULL;
    if (mcp_oauth_new(json, &h, &err) != MCP_OAUTH_OK) fprintf(stderr, "mcp_oauth_new: %s\n", err);
    mcp_oauth_string_free(err);
    return h;
}

/* authorize_headless plays the user's browser for an auto-approving AS. */
static int authorize_headless(mcp_oauth *auth) {
    char *url = NULL;
    int rc = mcp_oauth_authorize_begin(auth, NULL, &url, NULL, NULL);
    if (rc != MCP_OAUTH_OK) return rc;
    http_response r;
    rc = http_request("GET", url, NULL, &r) == 0 && r.status == 302 ? MCP_OAUTH_OK : MCP_OAUTH_E_NETWORK;
    mcp_oauth_string_free(url);
    if (rc == MCP_OAUTH_OK) rc = mcp_oauth_authorize_complete(auth, r.location, NULL);
    return rc;
}

/* start starts the test MCP server with args; mcp gets its endpoint, as the
 * authorization server's base URL and origin the MCP server's. */
static int start(test_server *srv, const char *const args[], char mcp[256], char as[256], char origin[256]) {
    if (server_start_bin(srv, mcp_server_bin(), args) != 0) return -1;
    json_str(srv->url, "mcp", mcp, 256);
    json_str(srv->url, "as", as, 256);
    snprintf(origin, 256, "%s", mcp);
    char *slash = strstr(origin + strlen("http://"), "/");
    if (slash) *slash = '\0';
    return 0;
}

static long counter(const char *url, const char *key) {
    http_response r;
    if (http_request("GET", url, NULL, &r) != 0 || r.status != 200) return -1;
    return json_int(r.body, key);
}

static void echo_ok(mcp_client *c, const char *text) {
    char args[128], *out = NULL, *err = NULL;
    snprintf(args, sizeof args, "{\"text\":\"%s\"}", text);
    int rc = mcp_client_call_tool(c, "echo", args, &out, &err);
    if (rc != MCP_OAUTH_OK) fprintf(stderr, "echo: %s\n", err);
    CHECK_RC(rc, MCP_OAUTH_OK);
    CHECK(out && strstr(out, text));
    mcp_oauth_string_free(out);
    mcp_oauth_string_free(err);
}

/* What an HTTP client of one's own sends with the bound token
 * (mcp_oauth_request_headers): the DPoP scheme and a proof, fresh each time;
 * and mcp_oauth_dpop_nonce asks for one more send only for a new nonce that
 * a use_dpop_nonce 401 demands. */
static void request_headers_of_a_bound_token(mcp_oauth *auth, const char *mcp) {
    char *token = NULL, *first = NULL, *second = NULL, *err = NULL;
    CHECK_RC(mcp_oauth_get_token(auth, &token, NULL), MCP_OAUTH_OK);
    if (!token) return;
    CHECK_RC(mcp_oauth_request_headers(auth, "POST", mcp, token, &first, &err), MCP_OAUTH_OK);
    CHECK_RC(mcp_oauth_request_headers(auth, "POST", mcp, token, &second, NULL), MCP_OAUTH_OK);
    char scheme[600];
    snprintf(scheme, sizeof scheme, "\"Authorization\":\"DPoP %s\"", token);
    CHECK(first && strstr(first, scheme) && strstr(first, "\"Dpop\":\"ey"));
    CHECK(first && second && strcmp(first, second) != 0); /* a new proof (jti) for every send */
    const char *demand = "DPoP error=\"use_dpop_nonce\", error_description=\"fresh nonce\"";
    CHECK_RC(mcp_oauth_dpop_nonce(auth, mcp, token, 401, demand, "nonce-new-1"), 1);
    CHECK_RC(mcp_oauth_dpop_nonce(auth, mcp, token, 401, demand, "nonce-new-1"), 0); /* not new: final */
    CHECK_RC(mcp_oauth_dpop_nonce(auth, mcp, token, 200, NULL, "nonce-new-2"), 0);   /* kept, no resend */
    CHECK_RC(mcp_oauth_dpop_nonce(auth, mcp, "not-the-token", 401, demand, "nonce-new-3"), 0); /* Bearer */
    mcp_oauth_string_free(first);
    mcp_oauth_string_free(second);
    mcp_oauth_string_free(err);
    mcp_oauth_string_free(token);
}

/* DPoP required by the MCP server, nonces demanded by both servers: the
 * library binds the token to its key and proves it on every request. */
static void test_dpop(void) {
    test_server srv;
    char mcp[256], as[256], origin[256], cfg[1024], url[512];
    const char *args[] = {"-dpop-required", "-dpop-nonce", NULL};
    if (start(&srv, args, mcp, as, origin) != 0) {
        CHECK(!"cannot start the DPoP MCP server");
        return;
    }
    snprintf(cfg, sizeof cfg, "{\"server_url\":\"%s\",\"client_id\":\"test-client\",\"client_secret\":\"test-secret\",\"issuer\":\"%s\"}", mcp, as);
    mcp_oauth *auth = new_auth(cfg);
    mcp_client *c = NULL;
    CHECK_RC(mcp_client_connect(auth, mcp, NULL, &c, NULL), MCP_OAUTH_OK);
    echo_ok(c, "dpop one");
    echo_ok(c, "dpop two");
    char *tok = NULL;
    CHECK_RC(mcp_oauth_get_token_json(auth, &tok, NULL), MCP_OAUTH_OK);
    CHECK(tok && strstr(tok, "\"token_type\":\"DPoP\""));
    mcp_oauth_string_free(tok);
    snprintf(url, sizeof url, "%s/_test/counts", as);
    CHECK(counter(url, "dpop_proofs") == 1);
    snprintf(url, sizeof url, "%s/_test/mcp_counts", origin);
    CHECK(counter(url, "dpop_requests") >= 3);
    request_headers_of_a_bound_token(auth, mcp);
    mcp_client_close(c);
    mcp_oauth_free(auth);
    server_stop(&srv);
}

/* The MCP server moves to a new authorization server: the user client
 * registers there and asks for a new authorization; the old registration
 * never reaches the new server. */
static void test_migration(void) {
    test_server srv;
    char mcp[256], as[256], origin[256], cfg[1024], url[512];
    if (start(&srv, NULL, mcp, as, origin) != 0) {
        CHECK(!"cannot start the MCP server");
        return;
    }
    snprintf(cfg, sizeof cfg, "{\"server_url\":\"%s\"}", mcp);
    mcp_oauth *auth = new_auth(cfg);
    mcp_client *c = NULL;
    CHECK_RC(mcp_client_connect(auth, mcp, NULL, &c, NULL), MCP_OAUTH_E_AUTHORIZATION_REQUIRED);
    CHECK_RC(authorize_headless(auth), MCP_OAUTH_OK);
    CHECK_RC(mcp_client_connect(auth, mcp, NULL, &c, NULL), MCP_OAUTH_OK);
    echo_ok(c, "before");

    http_response r;
    snprintf(url, sizeof url, "%s/_test/migrate_as", origin);
    CHECK(http_request("POST", url, "{}", &r) == 0 && r.status == 200);
    char as2[256];
    CHECK(json_str(r.body, "as", as2, sizeof as2) == 0);

    char *out = NULL, *err = NULL;
    CHECK_RC(mcp_client_call_tool(c, "echo", "{\"text\":\"x\"}", &out, &err), MCP_OAUTH_E_AUTHORIZATION_REQUIRED);
    mcp_oauth_string_free(err);
    char *auth_url = NULL;
    CHECK_RC(mcp_oauth_authorize_begin(auth, NULL, &auth_url, NULL, NULL), MCP_OAUTH_OK);
    CHECK(auth_url && strncmp(auth_url, as2, strlen(as2)) == 0); /* the user goes to the new server */
    CHECK(http_request("GET", auth_url, NULL, &r) == 0 && r.status == 302);
    mcp_oauth_string_free(auth_url);
    CHECK_RC(mcp_oauth_authorize_complete(auth, r.location, NULL), MCP_OAUTH_OK);
    echo_ok(c, "after");
    snprintf(url, sizeof url, "%s/_test/counts", as2);
    CHECK(counter(url, "register") == 1);
    mcp_client_close(c);
    mcp_oauth_free(auth);
    server_stop(&srv);
}

/* A workload presents its identity JWT, from a file and from a command. */
static void test_workload_identity(void) {
    test_server srv;
    char mcp[256], as[256], origin[256], cfg[1024], url[512], token[2048];
    const char *args[] = {"-workload-tokens", NULL};
    if (start(&srv, args, mcp, as, origin) != 0) {
        CHECK(!"cannot start the workload identity MCP server");
        return;
    }
    http_response r;
    snprintf(url, sizeof url, "%s/_test/workload_token", as);
    CHECK(http_request("POST", url, "{\"sub\":\"c-job\"}", &r) == 0 && r.status == 200);
    CHECK(json_str(r.body, "token", token, sizeof token) == 0);
    char path[] = "/tmp/mcp-oauth-wif-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0 && write(fd, token, strlen(token)) == (ssize_t)strlen(token));
    close(fd);

    const char *forms[] = {
        "{\"server_url\":\"%s\",\"workload_identity_token_file\":\"%s\"}",
        "{\"server_url\":\"%s\",\"workload_identity_token_command\":[\"cat\",\"%s\"]}",
    };
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        snprintf(cfg, sizeof cfg, forms[i], mcp, path);
        mcp_oauth *auth = new_auth(cfg);
        mcp_client *c = NULL;
        CHECK_RC(mcp_client_connect(auth, mcp, NULL, &c, NULL), MCP_OAUTH_OK);
        char *out = NULL;
        CHECK_RC(mcp_client_call_tool(c, "whoami", "{}", &out, NULL), MCP_OAUTH_OK);
        CHECK(out && strstr(out, "workload:c-job"));
        mcp_oauth_string_free(out);
        mcp_client_close(c);
        mcp_oauth_free(auth);
    }
    snprintf(url, sizeof url, "%s/_test/counts", as);
    CHECK(counter(url, "workload_grants") == 2);
    unlink(path);

    mcp_oauth *h = NULL;
    snprintf(cfg, sizeof cfg, "{\"server_url\":\"%s\",\"workload_identity_token\":\"a.b.c\",\"workload_identity_token_file\":\"/x\"}", mcp);
    CHECK_RC(mcp_oauth_new(cfg, &h, NULL), MCP_OAUTH_E_CONFIG);
    server_stop(&srv);
}

/* The authorization server never grants mcp:write: after the 403, the
 * login client is told which scope to grant, and once the token response
 * shows it was not granted the call stops with INSUFFICIENT_SCOPE naming
 * it; a machine client stops at once. */
static void test_step_up_not_granted(void) {
    test_server srv;
    char mcp[256], as[256], origin[256], cfg[1024];
    const char *args[] = {"-withhold-scopes", "mcp:write", NULL};
    if (start(&srv, args, mcp, as, origin) != 0) {
        CHECK(!"cannot start the MCP server");
        return;
    }
    snprintf(cfg, sizeof cfg, "{\"server_url\":\"%s\"}", mcp);
    mcp_oauth *auth = new_auth(cfg);
    mcp_client *c = NULL;
    CHECK_RC(mcp_client_connect(auth, mcp, NULL, &c, NULL), MCP_OAUTH_E_AUTHORIZATION_REQUIRED);
    CHECK_RC(authorize_headless(auth), MCP_OAUTH_OK);
    CHECK_RC(mcp_client_connect(auth, mcp, NULL, &c, NULL), MCP_OAUTH_OK);
    char *out = NULL, *err = NULL;
    CHECK_RC(mcp_client_call_tool(c, "write_note", "{\"text\":\"x\"}", &out, &err), MCP_OAUTH_E_AUTHORIZATION_REQUIRED);
    CHECK(err && strstr(err, "mcp:write") && !strstr(err, "no token is held"));
    mcp_oauth_string_free(err);
    err = NULL;
    char *url = NULL;
    CHECK_RC(mcp_oauth_authorize_begin(auth, NULL, &url, NULL, NULL), MCP_OAUTH_OK);
    http_response r;
    CHECK(http_request("GET", url, NULL, &r) == 0 && r.status == 302);
    mcp_oauth_string_free(url);
    CHECK_RC(mcp_oauth_authorize_complete(auth, r.location, &err), MCP_OAUTH_E_INSUFFICIENT_SCOPE);
    CHECK(err && strstr(err, "mcp:write"));
    mcp_oauth_string_free(err);
    mcp_client_close(c);
    mcp_oauth_free(auth);

    snprintf(cfg, sizeof cfg, "{\"server_url\":\"%s\",\"client_id\":\"test-client\",\"client_secret\":\"test-secret\",\"issuer\":\"%s\"}", mcp, as);
    auth = new_auth(cfg);
    CHECK_RC(mcp_client_connect(auth, mcp, NULL, &c, NULL), MCP_OAUTH_OK);
    err = NULL;
    CHECK_RC(mcp_client_call_tool(c, "write_note", "{\"text\":\"x\"}", &out, &err), MCP_OAUTH_E_INSUFFICIENT_SCOPE);
    CHECK(err && strstr(err, "mcp:write"));
    mcp_oauth_string_free(err);
    mcp_client_close(c);
    mcp_oauth_free(auth);
    server_stop(&srv);
}

int main(void) {
    test_dpop();
    test_migration();
    test_workload_identity();
    test_step_up_not_granted();
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
