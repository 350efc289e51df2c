/* test_skills.c — the skills extension (SEP-2640) through the C ABI
 * (mcp_client_list_skills, mcp_client_load_skill) against the project's test
 * MCP server, which serves the skill "greeting" (SKILL.md and one supporting
 * file). Built with -fsanitize=address. */
#define _GNU_SOURCE
#include "mcp_oauth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "harness.h"

#define SKILL "skill://greeting/SKILL.md"

int main(void) {
    const char *bin = getenv("MCP_OAUTH_MCP_TEST_SERVER");
    test_server srv;
    if (server_start_bin(&srv, bin ? bin : "build/mcp-test-server", NULL) != 0) {
        fprintf(stderr, "cannot start the MCP test server\n");
        return 2;
    }
    char mcp[256], as[256], cfg[1024];
    if (json_str(srv.url, "mcp", mcp, sizeof mcp) || json_str(srv.url, "as", as, sizeof as)) {
        fprintf(stderr, "unexpected first line: %s\n", srv.url);
        return 2;
    }
    snprintf(cfg, sizeof cfg, "{\"server_url\":\"%s\",\"client_id\":\"test-client\",\"client_secret\":\"test-secret\","
             "\"issuer\":\"%s\"}", mcp, as);
    mcp_oauth *auth = NULL;
    CHECK_RC(mcp_oauth_new(cfg, &auth, NULL), MCP_OAUTH_OK);
    mcp_client *c = NULL;
    CHECK_RC(mcp_client_connect(auth, mcp, NULL, &c, NULL), MCP_OAUTH_OK);

    char *out = NULL, *err = NULL;
    CHECK_RC(mcp_client_list_skills(c, &out, NULL), MCP_OAUTH_OK);
    CHECK(out && strstr(out, "\"uri\":\"" SKILL "\"") && strstr(out, "\"digest\":\"sha256:"));
    mcp_oauth_string_free(out);

    CHECK_RC(mcp_client_load_skill(c, SKILL, &out, NULL), MCP_OAUTH_OK);
    CHECK(out && strstr(out, "Say hello.") && strstr(out, "skill://greeting/references/PHRASES.md"));
    mcp_oauth_string_free(out);

    CHECK_RC(mcp_client_load_skill(c, "skill://nothing/SKILL.md", &out, &err), MCP_OAUTH_E_CONFIG);
    CHECK(out == NULL && err && strstr(err, "\"field\":\"uri\""));
    mcp_oauth_string_free(err);
    CHECK_RC(mcp_client_load_skill(c, NULL, &out, NULL), MCP_OAUTH_E_INVALID_ARGUMENT);
    CHECK_RC(mcp_client_load_skill(c, SKILL, NULL, NULL), MCP_OAUTH_E_INVALID_ARGUMENT);
    CHECK_RC(mcp_client_list_skills(NULL, &out, NULL), MCP_OAUTH_E_BAD_HANDLE);
    CHECK_RC(mcp_client_load_skill((mcp_client *)auth, SKILL, &out, NULL), MCP_OAUTH_E_BAD_HANDLE);

    mcp_client_close(c);
    mcp_oauth_free(auth);
    server_stop(&srv);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
