// header_cpp.cpp — the public header compiles as C++ (extern "C") with
// -Wall -Wextra -Werror and links against the library.
#include "mcp_oauth.h"

#include <cstdio>
#include <cstring>

int main() {
    char *challenge = nullptr;
    int rc = mcp_pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", &challenge);
    bool ok = rc == MCP_OAUTH_OK && std::strcmp(challenge, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM") == 0;
    mcp_oauth_string_free(challenge);
    ok = ok && mcp_oauth_free(nullptr) == MCP_OAUTH_OK;
    std::printf("%d passed, %d failed\n", ok ? 1 : 0, ok ? 0 : 1);
    return ok ? 0 : 1;
}
