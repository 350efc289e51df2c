/* test_multi.c — mcp_client_multi end to end through the C ABI: the
 * project's test MCP server runs as a real process; one client holds two
 * named servers, its Streamable HTTP endpoint (client_credentials) and its
 * SSE endpoint (discovery, dynamic registration, user authorization through
 * tests/c/browser.sh). Built with -fsanitize=address, which also reports any
 * string left unfreed. */
#define _GNU_SOURCE
#include "mcp_oauth.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "harness.h"


static const char *mcp_server_bin(void) {
    const char *bin = getenv("MCP_OAUTH_MCP_TEST_SERVER");
    return bin ? bin : "build/mcp-test-server";
}

/* free_port returns a loopback TCP port free at the time of the call: the
 * test exercises a configured redirect_uri with a fixed port. */
static int free_port(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    int port = -1;
    if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
        getsockname(fd, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    if (fd >= 0) close(fd);
    return port;
}

/* count occurrences of needle in s. */
static int count(const char *s, const char *needle) {
    int n = 0;
    for (const char *p = s; p && (p = strstr(p, needle)) != NULL; p += strlen(needle)) n++;
    return n;
}

/* as_url is the test MCP server's authorization server: the issuer of
 * test-client. */
static char as_url[256];

static void test_two_servers(const char *mcp, const char *sse) {
    char servers[2048];
    int port = free_port();
    CHECK(port > 0);
    snprintf(servers, sizeof servers,
             "{\"machine\":{\"url\":\"%s\",\"transport\":\"streamable_http\",\"client_name\":\"c-multi\","
             "\"timeout_seconds\":20,\"auth\":{\"client_id\":\"test-client\",\"client_secret\":\"test-secret\",\"issuer\":\"%s\"}},"
             " \"user\":{\"url\":\"%s\",\"transport\":\"sse\","
             "\"auth\":{\"server_url\":\"%s\",\"redirect_uri\":\"http://127.0.0.1:%d/callback\"}}}",
             mcp, as_url, sse, sse, port);
    mcp_client_multi *m = NULL;
    char *out = NULL, *err = NULL;
    CHECK_RC(mcp_client_multi_new(servers, &m, &err), MCP_OAUTH_OK);
    CHECK(m != NULL && err == NULL);
    if (m == NULL) {
        fprintf(stderr, "mcp_client_multi_new: %s\n", err);
        mcp_oauth_string_free(err);
        return;
    }

    /* The user server needs a user first: the error names it. */
    CHECK_RC(mcp_client_multi_list_tools(m, &out, &err), MCP_OAUTH_E_AUTHORIZATION_REQUIRED);
    CHECK(out == NULL);
    CHECK(err && strstr(err, "\"server\":\"user\"") && strstr(err, "\"code\":-10"));
    mcp_oauth_string_free(err);
    err = NULL;

    /* The machine server works meanwhile. */
    CHECK_RC(mcp_client_multi_call_tool(m, "machine", "echo", "{\"text\":\"hello machine\"}", &out, &err),
             MCP_OAUTH_OK);
    CHECK(out && strstr(out, "hello machine") && err == NULL);
    mcp_oauth_string_free(out);
    out = NULL;

    /* Authorize the user server through the headless browser. */
    CHECK_RC(mcp_client_multi_authorize_interactive(m, "user", "tests/c/browser.sh", 20, &err), MCP_OAUTH_OK);
    if (err) fprintf(stderr, "authorize_interactive: %s\n", err);
    mcp_oauth_string_free(err);
    err = NULL;

    CHECK_RC(mcp_client_multi_list_tools(m, &out, &err), MCP_OAUTH_OK);
    if (err) fprintf(stderr, "list_tools: %s\n", err);
    mcp_oauth_string_free(err);
    err = NULL;
    CHECK(out && strncmp(out, "{\"tools\":[", 10) == 0);
    int machine = count(out, "\"server\":\"machine\""), user = count(out, "\"server\":\"user\"");
    CHECK(machine >= 4 && machine == user);
    CHECK(count(out, "\"name\":\"echo\"") == 2 && count(out, "\"name\":\"write_note\"") == 2);
    /* Sorted by server name: machine's tools come first. */
    const char *first_user = out ? strstr(out, "\"server\":\"user\"") : NULL;
    CHECK(first_user && !strstr(first_user, "\"server\":\"machine\""));
    mcp_oauth_string_free(out);
    out = NULL;

    CHECK_RC(mcp_client_multi_call_tool(m, "user", "add", "{\"a\":2,\"b\":40}", &out, &err), MCP_OAUTH_OK);
    CHECK(out && strstr(out, "42") && err == NULL);
    mcp_oauth_string_free(out);
    out = NULL;
    CHECK_RC(mcp_client_multi_call_tool(m, "machine", "whoami", NULL, &out, NULL), MCP_OAUTH_OK);
    CHECK(out && strstr(out, "test-client"));
    mcp_oauth_string_free(out);
    out = NULL;

    /* Unknown server. */
    CHECK_RC(mcp_client_multi_call_tool(m, "nobody", "echo", NULL, &out, &err), MCP_OAUTH_E_CONFIG);
    CHECK(out == NULL && err && strstr(err, "\"field\":\"server\""));
    mcp_oauth_string_free(err);
    err = NULL;
    CHECK_RC(mcp_client_multi_authorize_interactive(m, "nobody", "tests/c/browser.sh", 1, &err), MCP_OAUTH_E_CONFIG);
    CHECK(err && strstr(err, "\"field\":\"server\""));
    mcp_oauth_string_free(err);
    err = NULL;

    /* Argument mistakes on a live handle. */
    CHECK_RC(mcp_client_multi_call_tool(m, NULL, "echo", NULL, &out, NULL), MCP_OAUTH_E_INVALID_ARGUMENT);
    CHECK_RC(mcp_client_multi_call_tool(m, "machine", NULL, NULL, &out, NULL), MCP_OAUTH_E_INVALID_ARGUMENT);
    CHECK_RC(mcp_client_multi_call_tool(m, "machine", "echo", "not json", &out, NULL), MCP_OAUTH_E_INVALID_ARGUMENT);
    CHECK_RC(mcp_client_multi_call_tool(m, "machine", "echo", NULL, NULL, NULL), MCP_OAUTH_E_INVALID_ARGUMENT);
    CHECK_RC(mcp_client_multi_list_tools(m, NULL, &err), MCP_OAUTH_E_INVALID_ARGUMENT);
    mcp_oauth_string_free(err);
    err = NULL;
    CHECK_RC(mcp_client_multi_authorize_interactive(m, NULL, NULL, 1, NULL), MCP_OAUTH_E_INVALID_ARGUMENT);
    CHECK(out == NULL);

    /* Wrong handle kinds, both ways. */
    CHECK_RC(mcp_client_close((mcp_client *)m), MCP_OAUTH_E_BAD_HANDLE);
    CHECK_RC(mcp_oauth_free((mcp_oauth *)m), MCP_OAUTH_E_BAD_HANDLE);
    CHECK_RC(mcp_client_list_tools((mcp_client *)m, &out, NULL), MCP_OAUTH_E_BAD_HANDLE);
    CHECK_RC(mcp_client_multi_list_tools(m, &out, NULL), MCP_OAUTH_OK); /* still alive */
    mcp_oauth_string_free(out);
    out = NULL;

    CHECK_RC(mcp_client_multi_free(m), MCP_OAUTH_OK);
    /* Freed. */
    CHECK_RC(mcp_client_multi_free(m), MCP_OAUTH_E_BAD_HANDLE);
    CHECK_RC(mcp_client_multi_list_tools(m, &out, &err), MCP_OAUTH_E_BAD_HANDLE);
    CHECK(out == NULL && err && strstr(err, "\"code\":-2"));
    mcp_oauth_string_free(err);
    err = NULL;
    CHECK_RC(mcp_client_multi_call_tool(m, "machine", "echo", NULL, &out, NULL), MCP_OAUTH_E_BAD_HANDLE);
    CHECK_RC(mcp_client_multi_authorize_interactive(m, "user", NULL, 1, NULL), MCP_OAUTH_E_BAD_HANDLE);
}

static void test_failing_server_is_named(const char *mcp) {
    test_server srv;
    const char *args[] = {"-prm-resource", "https://other.example/mcp", NULL};
    if (server_start_bin(&srv, mcp_server_bin(), args) != 0) {
        CHECK(!"cannot start the mismatching MCP server");
        return;
    }
    char bad[256], bad_as[256], servers[1536];
    json_str(srv.url, "mcp", bad, sizeof bad);
    json_str(srv.url, "as", bad_as, sizeof bad_as);
    snprintf(servers, sizeof servers,
             "{\"good\":{\"url\":\"%s\",\"auth\":{\"client_id\":\"test-client\",\"client_secret\":\"test-secret\","
             "\"issuer\":\"%s\"}},"
             "\"mismatch\":{\"url\":\"%s\",\"auth\":{\"client_id\":\"test-client\",\"client_secret\":\"test-secret\","
             "\"issuer\":\"%s\"}}}",
             mcp, as_url, bad, bad_as);
    mcp_client_multi *m = NULL;
    char *out = NULL, *err = NULL;
    CHECK_RC(mcp_client_multi_new(servers, &m, NULL), MCP_OAUTH_OK);
    CHECK_RC(mcp_client_multi_list_tools(m, &out, &err), MCP_OAUTH_E_RESOURCE_MISMATCH);
    CHECK(out == NULL && err && strstr(err, "\"server\":\"mismatch\"") && strstr(err, "\"code\":-17"));
    mcp_oauth_string_free(err);
    err = NULL;
    CHECK_RC(mcp_client_multi_call_tool(m, "good", "echo", "{\"text\":\"still fine\"}", &out, NULL), MCP_OAUTH_OK);
    CHECK(out && strstr(out, "still fine"));
    mcp_oauth_string_free(out);
    CHECK_RC(mcp_client_multi_free(m), MCP_OAUTH_OK);
    server_stop(&srv);
}

static void test_new_misuse(void) {
    mcp_client_multi *m = (mcp_client_multi *)1;
    char *err = NULL;
    CHECK_RC(mcp_client_multi_new(NULL, &m, &err), MCP_OAUTH_E_INVALID_ARGUMENT);
    CHECK(m == NULL && err != NULL);
    mcp_oauth_string_free(err);
    err = NULL;
    CHECK_RC(mcp_client_multi_new("{\"a\":{\"url\":\"https://a.example/mcp\"}}", NULL, NULL),
             MCP_OAUTH_E_INVALID_ARGUMENT);
    CHECK_RC(mcp_client_multi_new("{}", &m, &err), MCP_OAUTH_E_CONFIG);
    CHECK(m == NULL && err && strstr(err, "\"field\":\"servers\""));
    mcp_oauth_string_free(err);
    err = NULL;
    CHECK_RC(mcp_client_multi_new("[1]", &m, NULL), MCP_OAUTH_E_CONFIG);
    CHECK_RC(mcp_client_multi_new("{\"a\":{\"url\":\"https://a.example/mcp\",\"bogus\":1}}", &m, &err),
             MCP_OAUTH_E_CONFIG);
    CHECK(err && strstr(err, "\"field\":\"servers_json\""));
    mcp_oauth_string_free(err);
    err = NULL;
    CHECK_RC(mcp_client_multi_new("{\"a\":{\"url\":\"https://a.example/mcp\"}} x", &m, NULL), MCP_OAUTH_E_CONFIG);
    CHECK_RC(mcp_client_multi_new("{\"a\":{\"url\":\"https://a.example/mcp\",\"transport\":\"pigeon\"}}", &m, &err),
             MCP_OAUTH_E_CONFIG);
    CHECK(err && strstr(err, "\"field\":\"servers.a.transport\"") && strstr(err, "\"server\":\"a\""));
    mcp_oauth_string_free(err);
    err = NULL;
    CHECK_RC(mcp_client_multi_new("{\"a\":{\"url\":\"http://a.example/mcp\"}}", &m, &err), MCP_OAUTH_E_CONFIG);
    CHECK(err && strstr(err, "\"field\":\"servers.a.url\""));
    mcp_oauth_string_free(err);
    err = NULL;
    CHECK_RC(mcp_client_multi_new("{\"a\":{\"url\":\"https://a.example/mcp\",\"auth\":{\"pkce\":\"yes\"}}}", &m, &err),
             MCP_OAUTH_E_CONFIG);
    CHECK(err && strstr(err, "\"field\":\"servers.a.auth.pkce\""));
    mcp_oauth_string_free(err);
    err = NULL;
    CHECK(m == NULL);

    /* NULL and non-handles. */
    char *out = NULL;
    CHECK_RC(mcp_client_multi_free(NULL), MCP_OAUTH_OK);
    CHECK_RC(mcp_client_multi_list_tools(NULL, &out, &err), MCP_OAUTH_E_BAD_HANDLE);
    CHECK(out == NULL && err && strstr(err, "\"code\":-2"));
    mcp_oauth_string_free(err);
    err = NULL;
    CHECK_RC(mcp_client_multi_call_tool(NULL, "a", "echo", NULL, &out, NULL), MCP_OAUTH_E_BAD_HANDLE);
    CHECK_RC(mcp_client_multi_authorize_interactive(NULL, "a", NULL, 1, NULL), MCP_OAUTH_E_BAD_HANDLE);
    int not_a_handle = 0;
    CHECK_RC(mcp_client_multi_free((mcp_client_multi *)&not_a_handle), MCP_OAUTH_E_BAD_HANDLE);
    CHECK_RC(mcp_client_multi_list_tools((mcp_client_multi *)&not_a_handle, &out, NULL), MCP_OAUTH_E_BAD_HANDLE);

    /* An mcp_oauth handle is not an mcp_client_multi. */
    mcp_oauth *auth = NULL;
    CHECK_RC(mcp_oauth_new("{\"client_id\":\"c\",\"client_secret\":\"s\",\"token_url\":\"http://127.0.0.1:1/t\"}",
                           &auth, NULL),
             MCP_OAUTH_OK);
    CHECK_RC(mcp_client_multi_free((mcp_client_multi *)auth), MCP_OAUTH_E_BAD_HANDLE);
    CHECK_RC(mcp_client_multi_call_tool((mcp_client_multi *)auth, "a", "echo", NULL, &out, NULL),
             MCP_OAUTH_E_BAD_HANDLE);
    CHECK_RC(mcp_client_multi_authorize_interactive((mcp_client_multi *)auth, "a", NULL, 1, NULL),
             MCP_OAUTH_E_BAD_HANDLE);
    CHECK_RC(mcp_oauth_free(auth), MCP_OAUTH_OK);
    CHECK(out == NULL);
}

/* A server authorized by the caller's mcp_oauth (mcp_client_multi_set_auth),
 * its session as an mcp_client (mcp_client_multi_session) and its tools
 * alone (mcp_client_multi_list_server_tools). */
static void test_caller_auth_and_session(const char *mcp, const char *sse, const char *issuer) {
    char servers[1024], cfg[768];
    snprintf(servers, sizeof servers,
             "{\"mine\":{\"url\":\"%s\"},\"other\":{\"url\":\"%s\",\"transport\":\"sse\"}}", mcp, sse);
    snprintf(cfg, sizeof cfg,
             "{\"server_url\":\"%s\",\"client_id\":\"test-client\",\"client_secret\":\"test-secret\",\"issuer\":\"%s\"}",
             mcp, issuer);
    mcp_client_multi *m = NULL;
    mcp_oauth *auth = NULL;
    char *err = NULL, *out = NULL;
    CHECK_RC(mcp_client_multi_new(servers, &m, NULL), MCP_OAUTH_OK);
    CHECK_RC(mcp_oauth_new(cfg, &auth, NULL), MCP_OAUTH_OK);
    CHECK_RC(mcp_client_multi_set_auth(m, "nope", auth, &err), MCP_OAUTH_E_CONFIG);
    CHECK(err && strstr(err, "\"field\":\"server\""));
    mcp_oauth_string_free(err);
    CHECK_RC(mcp_client_multi_set_auth(m, "mine", NULL, NULL), MCP_OAUTH_E_BAD_HANDLE);
    CHECK_RC(mcp_client_multi_set_auth(m, NULL, auth, NULL), MCP_OAUTH_E_INVALID_ARGUMENT);
    CHECK_RC(mcp_client_multi_set_auth(m, "mine", auth, NULL), MCP_OAUTH_OK);

    /* Only "mine" is listed (and connected): "other" has no usable
     * authorization, and listing it would fail. */
    CHECK_RC(mcp_client_multi_list_server_tools(m, "mine", &out, NULL), MCP_OAUTH_OK);
    CHECK(out && count(out, "\"server\":\"mine\"") >= 4 && !strstr(out, "\"other\""));
    mcp_oauth_string_free(out);
    out = NULL;
    CHECK_RC(mcp_client_multi_list_tools(m, &out, NULL), MCP_OAUTH_E_AUTHORIZATION_REQUIRED);
    CHECK_RC(mcp_client_multi_set_auth(m, "mine", auth, NULL), MCP_OAUTH_E_INVALID_ARGUMENT); /* connected */

    mcp_client *c = NULL;
    CHECK_RC(mcp_client_multi_session(m, "mine", NULL, NULL), MCP_OAUTH_E_INVALID_ARGUMENT);
    CHECK_RC(mcp_client_multi_session(m, "mine", &c, NULL), MCP_OAUTH_OK);
    CHECK_RC(mcp_client_call_tool(c, "echo", "{\"text\":\"borrowed\"}", &out, NULL), MCP_OAUTH_OK);
    CHECK(out && strstr(out, "borrowed"));
    mcp_oauth_string_free(out);
    out = NULL;
    CHECK_RC(mcp_client_close(c), MCP_OAUTH_OK);
    /* Closing the borrowed client leaves the multi's session open. */
    CHECK_RC(mcp_client_multi_call_tool(m, "mine", "echo", "{\"text\":\"still\"}", &out, NULL), MCP_OAUTH_OK);
    CHECK(out && strstr(out, "still"));
    mcp_oauth_string_free(out);
    out = NULL;
    CHECK_RC(mcp_client_multi_session(m, "mine", &c, NULL), MCP_OAUTH_OK);
    CHECK_RC(mcp_client_multi_free(m), MCP_OAUTH_OK);
    /* The multi's end ends the session: the client's calls fail, its close works. */
    CHECK(mcp_client_request(c, "ping", NULL, &out, NULL) != MCP_OAUTH_OK);
    mcp_oauth_string_free(out);
    CHECK_RC(mcp_client_close(c), MCP_OAUTH_OK);
    /* The caller's mcp_oauth stays usable. */
    CHECK_RC(mcp_oauth_get_token(auth, &out, NULL), MCP_OAUTH_OK);
    mcp_oauth_string_free(out);
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
        json_str(srv.url, "as", as_url, sizeof as_url)) {
        fprintf(stderr, "unexpected first line: %s\n", srv.url);
        return 2;
    }
    test_new_misuse();
    test_two_servers(mcp, sse);
    test_failing_server_is_named(mcp);
    test_caller_auth_and_session(mcp, sse, as_url);
    server_stop(&srv);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
