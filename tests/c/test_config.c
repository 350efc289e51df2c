/* test_config.c — building a configuration and reading error details without
 * JSON (mcp_oauth_config_*, mcp_oauth_new_from_config, mcp_oauth_error_*),
 * under ASan. The regression: the README quick start built its JSON with
 * snprintf, so a client secret containing '"' gave "malformed JSON at
 * offset 49" instead of a token; through the setters the same secret works. */
#include "mcp_oauth.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "harness.h"

#define QUOTE_SECRET "te\"st\\secret{}"

static test_server as;

/* A client_credentials configuration of quote-client, built with setters. */
static mcp_oauth_config *quote_config(const char *secret) {
    char token_url[600];
    mcp_oauth_config *cfg = NULL;
    snprintf(token_url, sizeof token_url, "%s/token", as.url);
    CHECK_RC(mcp_oauth_config_new(&cfg), MCP_OAUTH_OK);
    CHECK_RC(mcp_oauth_config_set_string(cfg, "client_id", "quote-client", NULL), MCP_OAUTH_OK);
    CHECK_RC(mcp_oauth_config_set_string(cfg, "client_secret", secret, NULL), MCP_OAUTH_OK);
    CHECK_RC(mcp_oauth_config_set_string(cfg, "token_url", token_url, NULL), MCP_OAUTH_OK);
    CHECK_RC(mcp_oauth_config_add_string(cfg, "scopes", "mcp:read", NULL), MCP_OAUTH_OK);
    CHECK_RC(mcp_oauth_config_add_string(cfg, "scopes", "mcp:write", NULL), MCP_OAUTH_OK);
    CHECK_RC(mcp_oauth_config_set_number(cfg, "http_timeout_seconds", 10, NULL), MCP_OAUTH_OK);
    return cfg;
}

static void test_secret_with_a_quote(void) {
    mcp_oauth_config *cfg = quote_config(QUOTE_SECRET);
    mcp_oauth *h = NULL;
    char *err = NULL, *json = NULL;
    CHECK_RC(mcp_oauth_new_from_config(cfg, &h, &err), MCP_OAUTH_OK);
    CHECK(err == NULL);
    CHECK_RC(mcp_oauth_config_free(cfg), MCP_OAUTH_OK); /* the client keeps its copy */
    CHECK_RC(mcp_oauth_get_token_json(h, &json, &err), MCP_OAUTH_OK);
    CHECK(json != NULL && strstr(json, "\"scope\":\"mcp:read mcp:write\"") != NULL);
    mcp_oauth_string_free(json);
    mcp_oauth_string_free(err);
    CHECK_RC(mcp_oauth_free(h), MCP_OAUTH_OK);
}

static void test_wrong_secret_error_members(void) {
    mcp_oauth_config *cfg = quote_config("wrong\"secret");
    mcp_oauth *h = NULL;
    char *err = NULL, *tok = NULL, *v = NULL;
    CHECK_RC(mcp_oauth_new_from_config(cfg, &h, &err), MCP_OAUTH_OK);
    CHECK_RC(mcp_oauth_get_token(h, &tok, &err), MCP_OAUTH_E_OAUTH);
    CHECK(err != NULL && strstr(err, "wrong") == NULL); /* no secret in errors */
    CHECK_RC(mcp_oauth_error_code(err), MCP_OAUTH_E_OAUTH);
    CHECK_RC(mcp_oauth_error_member(err, "error", &v), MCP_OAUTH_OK);
    CHECK(v != NULL && strcmp(v, "invalid_client") == 0);
    mcp_oauth_string_free(v);
    CHECK_RC(mcp_oauth_error_member(err, "status", &v), MCP_OAUTH_OK);
    CHECK(v != NULL && strcmp(v, "401") == 0); /* a number, in decimal */
    mcp_oauth_string_free(v);
    CHECK_RC(mcp_oauth_error_member(err, "field", &v), MCP_OAUTH_OK);
    CHECK(v == NULL); /* absent */
    mcp_oauth_string_free(err);
    mcp_oauth_free(h);
    mcp_oauth_config_free(cfg);
}

static void test_core_decoder_names_the_field(void) {
    mcp_oauth_config *cfg = quote_config(QUOTE_SECRET);
    mcp_oauth *h = NULL;
    char *err = NULL, *v = NULL;
    /* An unknown member: the one decoder of mcp_oauth_new() names it. */
    CHECK_RC(mcp_oauth_config_set_string(cfg, "client_secrte", "x", NULL), MCP_OAUTH_OK);
    CHECK_RC(mcp_oauth_new_from_config(cfg, &h, &err), MCP_OAUTH_E_CONFIG);
    CHECK(h == NULL);
    CHECK_RC(mcp_oauth_error_member(err, "field", &v), MCP_OAUTH_OK);
    CHECK(v != NULL && strcmp(v, "client_secrte") == 0);
    mcp_oauth_string_free(v);
    mcp_oauth_string_free(err);
    mcp_oauth_config_free(cfg);

    /* A wrong type: a number where a string belongs. */
    cfg = quote_config(QUOTE_SECRET);
    CHECK_RC(mcp_oauth_config_set_number(cfg, "client_id", 7, NULL), MCP_OAUTH_OK);
    CHECK_RC(mcp_oauth_new_from_config(cfg, &h, &err), MCP_OAUTH_E_CONFIG);
    CHECK_RC(mcp_oauth_error_member(err, "field", &v), MCP_OAUTH_OK);
    CHECK(v != NULL && strcmp(v, "client_id") == 0);
    mcp_oauth_string_free(v);
    mcp_oauth_string_free(err);
    /* A later set replaces the value, the type included. */
    CHECK_RC(mcp_oauth_config_set_string(cfg, "client_id", "quote-client", NULL), MCP_OAUTH_OK);
    CHECK_RC(mcp_oauth_config_set_bool(cfg, "pkce", 1, NULL), MCP_OAUTH_OK);
    CHECK_RC(mcp_oauth_new_from_config(cfg, &h, &err), MCP_OAUTH_OK);
    mcp_oauth_free(h);
    mcp_oauth_config_free(cfg);
}

static void test_misuse(void) {
    mcp_oauth_config *cfg = NULL;
    mcp_oauth *h = NULL;
    char *err = NULL, *v = NULL;
    CHECK_RC(mcp_oauth_config_new(NULL), MCP_OAUTH_E_INVALID_ARGUMENT);
    CHECK_RC(mcp_oauth_config_free(NULL), MCP_OAUTH_OK);
    CHECK_RC(mcp_oauth_config_set_string(NULL, "client_id", "x", &err), MCP_OAUTH_E_BAD_HANDLE);
    mcp_oauth_string_free(err);
    CHECK_RC(mcp_oauth_new_from_config(NULL, &h, NULL), MCP_OAUTH_E_BAD_HANDLE);
    CHECK_RC(mcp_oauth_config_new(&cfg), MCP_OAUTH_OK);
    CHECK_RC(mcp_oauth_config_set_string(cfg, NULL, "x", NULL), MCP_OAUTH_E_INVALID_ARGUMENT);
    CHECK_RC(mcp_oauth_config_set_string(cfg, "", "x", NULL), MCP_OAUTH_E_INVALID_ARGUMENT);
    CHECK_RC(mcp_oauth_config_set_string(cfg, "client_id", NULL, NULL), MCP_OAUTH_E_INVALID_ARGUMENT);
    CHECK_RC(mcp_oauth_config_set_string(cfg, "client_id", "\xff", NULL), MCP_OAUTH_E_INVALID_ARGUMENT);
    CHECK_RC(mcp_oauth_config_set_number(cfg, "http_timeout_seconds", NAN, NULL), MCP_OAUTH_E_INVALID_ARGUMENT);
    CHECK_RC(mcp_oauth_config_set_number(cfg, "http_timeout_seconds", INFINITY, NULL), MCP_OAUTH_E_INVALID_ARGUMENT);
    CHECK_RC(mcp_oauth_new_from_config(cfg, NULL, NULL), MCP_OAUTH_E_INVALID_ARGUMENT);
    /* A configuration handle is not a client handle, nor the reverse. */
    CHECK_RC(mcp_oauth_free((mcp_oauth *)cfg), MCP_OAUTH_E_BAD_HANDLE);
    CHECK_RC(mcp_oauth_config_free(cfg), MCP_OAUTH_OK);
    CHECK_RC(mcp_oauth_config_free(cfg), MCP_OAUTH_E_BAD_HANDLE); /* no double free */
    CHECK_RC(mcp_oauth_config_set_bool(cfg, "pkce", 1, NULL), MCP_OAUTH_E_BAD_HANDLE);

    CHECK_RC(mcp_oauth_error_code(NULL), MCP_OAUTH_E_INVALID_ARGUMENT);
    CHECK_RC(mcp_oauth_error_code("not json"), MCP_OAUTH_E_INVALID_ARGUMENT);
    CHECK_RC(mcp_oauth_error_code("[1]"), MCP_OAUTH_E_INVALID_ARGUMENT);
    CHECK_RC(mcp_oauth_error_member("{}", "message", NULL), MCP_OAUTH_E_INVALID_ARGUMENT);
    CHECK_RC(mcp_oauth_error_member("{", "message", &v), MCP_OAUTH_E_INVALID_ARGUMENT);
    CHECK(v == NULL);
    CHECK_RC(mcp_oauth_error_member("{\"message\":\"a \\\"b\\\"\"}", "message", &v), MCP_OAUTH_OK);
    CHECK(v != NULL && strcmp(v, "a \"b\"") == 0); /* unescaped */
    mcp_oauth_string_free(v);
}

int main(void) {
    const char *args[] = {"-client", "quote-client:" QUOTE_SECRET, NULL};
    if (server_start(&as, args) != 0) {
        fprintf(stderr, "cannot start the test server\n");
        return 1;
    }
    test_secret_with_a_quote();
    test_wrong_secret_error_members();
    test_core_decoder_names_the_field();
    test_misuse();
    server_stop(&as);
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
