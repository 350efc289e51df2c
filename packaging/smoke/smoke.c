/* smoke.c — the smoke test of a cross-built libmcp_oauth (aarch64 Linux under
 * qemu, x86_64 Windows under wine): mcp_oauth_new, a client_credentials token
 * from the test authorization server, and the PKCE vector of RFC 7636
 * Appendix B.
 *
 *   smoke <token-url>      prints one "ok ..." line per check, exits 0 if all pass
 */
#include <mcp_oauth.h>
#include <stdio.h>
#include <string.h>

static int failures;

static void check(int ok, const char *what, const char *detail) {
    printf("%s %s%s%s\n", ok ? "ok" : "FAIL", what, detail ? ": " : "", detail ? detail : "");
    if (!ok) failures++;
}

int main(int argc, char **argv) {
    char config[1024], *token = NULL, *err = NULL, *challenge = NULL;
    mcp_oauth *h = NULL;
    int rc;

    if (argc != 2) {
        fprintf(stderr, "usage: smoke <token-url>\n");
        return 2;
    }
    check(strcmp(mcp_oauth_version(), MCP_OAUTH_VERSION) == 0, "version", mcp_oauth_version());

    snprintf(config, sizeof config,
             "{\"token_url\":\"%s\",\"client_id\":\"test-client\",\"client_secret\":\"test-secret\"}", argv[1]);
    rc = mcp_oauth_new(config, &h, &err);
    check(rc == MCP_OAUTH_OK && h != NULL, "mcp_oauth_new", err);
    mcp_oauth_string_free(err);
    err = NULL;

    rc = mcp_oauth_get_token(h, &token, &err);
    check(rc == MCP_OAUTH_OK && token != NULL && token[0] != '\0', "client_credentials token",
          rc == MCP_OAUTH_OK ? NULL : err);
    mcp_oauth_string_free(token);
    mcp_oauth_string_free(err);

    /* RFC 7636 Appendix B. */
    rc = mcp_pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", &challenge);
    check(rc == MCP_OAUTH_OK && challenge && strcmp(challenge, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM") == 0,
          "PKCE S256 vector", challenge);
    mcp_oauth_string_free(challenge);

    check(mcp_oauth_free(h) == MCP_OAUTH_OK, "mcp_oauth_free", NULL);
    printf("%d passed, %d failed\n", 5 - failures, failures);
    return failures == 0 ? 0 : 1;
}
