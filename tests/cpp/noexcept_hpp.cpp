// noexcept_hpp.cpp — mcp_oauth.hpp compiles with -fno-exceptions, offering
// the non-throwing try_...() forms only; run without a server, it reports a
// typed configuration error through a result.
#include "mcp_oauth.hpp"

#include <cstdio>

int main() {
    mcpoauth::config cfg;
    cfg.set("client_id", "x").set("no_such_field", true);
    auto auth = mcpoauth::oauth::try_create(cfg);
    if (auth.ok() || auth.error().code != MCP_OAUTH_E_CONFIG || auth.error().field != "no_such_field") {
        std::printf("0 passed, 1 failed\n");
        return 1;
    }
    std::printf("1 passed, 0 failed\n");
    return 0;
}
