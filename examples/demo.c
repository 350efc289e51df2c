/* demo.c — mcp-oauth from C: a token by client_credentials, then a PKCE
 * authorization code flow run headlessly (the "browser" is a plain HTTP GET
 * whose redirect Location is handed back to the library).
 *
 * Then, given an MCP server URL or two, the MCP part: the client starts
 * knowing only the server URL, discovers its authorization server, registers
 * itself, authorizes (headlessly) and calls a tool, over each transport.
 *
 * Usage: demo <authorization-server-url> [<mcp-url> <mcp-sse-url>]
 * Start the project's test servers first (make demo does). */
#define _GNU_SOURCE
#include <mcp_oauth.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

/* fail prints the error details (a JSON object) and exits. */
static void fail(const char *what, int rc, char *err) {
    fprintf(stderr, "%s failed: %s (%d): %s\n", what, mcp_oauth_strerror(rc), rc, err ? err : "");
    mcp_oauth_string_free(err);
    exit(1);
}

/* redirect_location plays the browser: GET url on a loopback http server and
 * return the Location header of its redirect (caller frees). */
static char *redirect_location(const char *url) {
    char host[64], path[4096] = "/";
    int port;
    if (sscanf(url, "http://%63[^:]:%d%4095s", host, &port, path) < 2) return NULL;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
    inet_pton(AF_INET, host, &addr.sin_addr);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) return NULL;
    dprintf(fd, "GET %s HTTP/1.1\r\nHost: %s:%d\r\nConnection: close\r\n\r\n", path, host, port);
    static char buf[16384];
    size_t len = 0;
    ssize_t n;
    while (len + 1 < sizeof buf && (n = read(fd, buf + len, sizeof buf - 1 - len)) > 0) len += (size_t)n;
    buf[len] = '\0';
    close(fd);
    for (char *line = strstr(buf, "\r\n"); line; line = strstr(line + 2, "\r\n")) {
        if (strncasecmp(line + 2, "Location: ", 10) == 0) return strndup(line + 12, strcspn(line + 12, "\r\n"));
    }
    return NULL;
}

/* mcp_tool_call connects to an MCP server knowing only its URL and calls
 * its echo tool, authorizing headlessly when the library asks for a user. */
static void mcp_tool_call(const char *server_url, const char *transport) {
    char config[512], options[128], *err = NULL, *result = NULL;
    mcp_oauth *auth = NULL;
    mcp_client *client = NULL;
    int rc;
    snprintf(config, sizeof config, "{\"server_url\":\"%s\",\"client_name\":\"mcp-oauth C demo\"}", server_url);
    snprintf(options, sizeof options, "{\"transport\":\"%s\"}", transport);
    if ((rc = mcp_oauth_new(config, &auth, &err)) != MCP_OAUTH_OK) fail("mcp_oauth_new", rc, err);
    rc = mcp_client_connect(auth, server_url, options, &client, &err);
    if (rc == MCP_OAUTH_E_AUTHORIZATION_REQUIRED) { /* discovered + registered; a user must approve */
        mcp_oauth_string_free(err);
        char *url = NULL;
        if ((rc = mcp_oauth_authorize_begin(auth, NULL, &url, NULL, &err)) != MCP_OAUTH_OK) fail("authorize_begin", rc, err);
        char *location = redirect_location(url);
        mcp_oauth_string_free(url);
        if (!location) fail("following the authorization URL", MCP_OAUTH_E_NETWORK, NULL);
        if ((rc = mcp_oauth_authorize_complete(auth, location, &err)) != MCP_OAUTH_OK) fail("authorize_complete", rc, err);
        free(location);
        rc = mcp_client_connect(auth, server_url, options, &client, &err);
    }
    if (rc != MCP_OAUTH_OK) fail("mcp_client_connect", rc, err);
    if ((rc = mcp_client_call_tool(client, "echo", "{\"text\":\"hello over OAuth\"}", &result, &err)) != MCP_OAUTH_OK)
        fail("mcp_client_call_tool", rc, err);
    printf("[C] MCP %s tools/call echo -> %s\n", transport, result);
    mcp_oauth_string_free(result);
    mcp_client_close(client);
    mcp_oauth_free(auth);
}

int main(int argc, char **argv) {
    if (argc != 2 && argc != 4) {
        fprintf(stderr, "usage: %s <authorization-server-url> [<mcp-url> <mcp-sse-url>]\n", argv[0]);
        return 2;
    }
    const char *as = argv[1];
    char config[1024];
    char *err = NULL, *token = NULL;
    mcp_oauth *client = NULL;
    int rc;
    printf("libmcp_oauth %s\n", mcp_oauth_version());

    /* 1. Machine client: client_credentials. */
    snprintf(config, sizeof config,
             "{\"client_id\":\"test-client\",\"client_secret\":\"test-secret\",\"token_url\":\"%s/token\","
             "\"scopes\":[\"mcp:read\",\"mcp:write\"]}",
             as);
    if ((rc = mcp_oauth_new(config, &client, &err)) != MCP_OAUTH_OK) fail("mcp_oauth_new", rc, err);
    if ((rc = mcp_oauth_get_token(client, &token, &err)) != MCP_OAUTH_OK) fail("mcp_oauth_get_token", rc, err);
    printf("[C] client_credentials token: %.12s... (%zu chars)\n", token, strlen(token));
    mcp_oauth_string_free(token);
    mcp_oauth_free(client);

    /* 2. User-facing client: authorization code + PKCE (S256). */
    snprintf(config, sizeof config,
             "{\"client_id\":\"public-client\",\"token_url\":\"%s/token\",\"authorize_url\":\"%s/authorize\","
             "\"issuer\":\"%s\",\"redirect_uri\":\"http://127.0.0.1:8976/callback\",\"scopes\":[\"mcp:read\"]}",
             as, as, as);
    if ((rc = mcp_oauth_new(config, &client, &err)) != MCP_OAUTH_OK) fail("mcp_oauth_new", rc, err);
    char *url = NULL;
    if ((rc = mcp_oauth_authorize_begin(client, NULL, &url, NULL, &err)) != MCP_OAUTH_OK) fail("authorize_begin", rc, err);
    printf("[C] open in a browser: %.70s...\n", url);
    char *location = redirect_location(url);
    mcp_oauth_string_free(url);
    if (!location) fail("following the authorization URL", MCP_OAUTH_E_NETWORK, NULL);
    if ((rc = mcp_oauth_authorize_complete(client, location, &err)) != MCP_OAUTH_OK) fail("authorize_complete", rc, err);
    free(location);
    if ((rc = mcp_oauth_get_token(client, &token, &err)) != MCP_OAUTH_OK) fail("mcp_oauth_get_token", rc, err);
    printf("[C] authorization_code+PKCE token: %.12s... (%zu chars)\n", token, strlen(token));
    mcp_oauth_string_free(token);
    mcp_oauth_free(client);

    /* 3. MCP: OAuth injected into Streamable HTTP and SSE connections. */
    if (argc == 4) {
        mcp_tool_call(argv[2], "streamable_http");
        mcp_tool_call(argv[3], "sse");
    }
    return 0;
}
