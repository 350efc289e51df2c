// test_hpp.cpp — include/mcp_oauth.hpp under ASan against the real test
// servers: the config builder with a secret needing JSON escapes, tokens,
// the typed exception and the non-throwing results, MCP sessions (one and
// several servers, step-up), skills and elicitation handlers, move-only
// owners that free exactly once.
#include "mcp_oauth.hpp"

#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "check.h"  // CHECK and the pass/fail counters of the C tests
extern "C" {
#include "harness.h"
}

namespace mo = mcpoauth;

// Owners are move-only and nothrow-movable.
static_assert(!std::is_copy_constructible_v<mo::oauth> && !std::is_copy_assignable_v<mo::oauth>);
static_assert(std::is_nothrow_move_constructible_v<mo::oauth> && std::is_nothrow_move_assignable_v<mo::oauth>);
static_assert(!std::is_copy_constructible_v<mo::client> && std::is_nothrow_move_constructible_v<mo::client>);
static_assert(!std::is_copy_constructible_v<mo::client_multi>);
static_assert(!std::is_copy_constructible_v<mo::config> && std::is_nothrow_move_constructible_v<mo::config>);
static_assert(!std::is_copy_constructible_v<mo::unique_string>);

static const char *const SECRET = "c++\"secret\\{}";

static mo::config cc_config(const std::string &as_url, const std::string &secret) {
    mo::config cfg;
    cfg.set("client_id", "cpp-client").set("client_secret", secret).set("token_url", as_url + "/token");
    cfg.add("scopes", "mcp:read").set("http_timeout_seconds", 10);
    return cfg;
}

static void test_tokens(const std::string &as_url) {
    mo::oauth auth = mo::oauth::create(cc_config(as_url, SECRET));
    std::string tok = auth.token();
    CHECK(!tok.empty());
    CHECK(auth.token() == tok);  // cached
    CHECK(auth.token_json().find("\"scope\":\"mcp:read\"") != std::string::npos);
    std::string st = auth.status_json();
    CHECK(st.find("\"has_token\":true") != std::string::npos);
    CHECK(st.find(tok) == std::string::npos && st.find(SECRET) == std::string::npos);

    // Concurrent use of one owner from several threads.
    std::vector<std::thread> threads;
    std::vector<std::string> got(8);
    for (int i = 0; i < 8; i++) threads.emplace_back([&, i] { got[i] = auth.token(); });
    for (auto &t : threads) t.join();
    for (auto &g : got) CHECK(g == tok);

    // Moves: the moved-from owner is empty, the handle is freed once (ASan).
    mo::oauth moved = std::move(auth);
    CHECK(!auth && moved);
    CHECK(moved.token() == tok);
    auto r = auth.try_token();  // a moved-from owner: bad handle, no crash
    CHECK(!r.ok() && r.error().code == MCP_OAUTH_E_BAD_HANDLE);
    moved = mo::oauth();  // frees it
    CHECK(!moved);
}

static void test_errors(const std::string &as_url) {
    // The throwing form: a typed exception.
    mo::oauth bad = mo::oauth::create(cc_config(as_url, "wrong\"one"));
    bool thrown = false;
    try {
        bad.token();
    } catch (const mo::error &e) {
        thrown = true;
        CHECK(e.code() == MCP_OAUTH_E_OAUTH);
        CHECK(e.oauth_error() == "invalid_client");
        CHECK(e.status() == 401);
        CHECK(std::strstr(e.what(), "invalid_client") != nullptr);
        CHECK(std::strstr(e.what(), "wrong") == nullptr);  // no secret in messages
    }
    CHECK(thrown);

    // The non-throwing form: a result.
    auto r = bad.try_token();
    CHECK(!r.ok() && r.error().code == MCP_OAUTH_E_OAUTH && r.error().oauth_error == "invalid_client");

    // A configuration fault names its field.
    mo::config cfg = cc_config(as_url, SECRET);
    cfg.set("tokn_url", "x");
    auto created = mo::oauth::try_create(cfg);
    CHECK(!created && created.error().code == MCP_OAUTH_E_CONFIG && created.error().field == "tokn_url");
    thrown = false;
    try {
        mo::oauth::from_json("{\"client_id\": 1}");
    } catch (const mo::error &e) {
        thrown = e.code() == MCP_OAUTH_E_CONFIG && e.field() == "client_id";
    }
    CHECK(thrown);
    // A setter's own failure surfaces at create().
    mo::config broken;
    broken.set("", "x");
    CHECK(broken.first_error().code == MCP_OAUTH_E_INVALID_ARGUMENT);
    CHECK(mo::oauth::try_create(broken).error().code == MCP_OAUTH_E_INVALID_ARGUMENT);
}

// mcp_as_url is the MCP server's authorization server: the issuer of the
// client's secret, which a discovery configuration must name.
static void test_mcp(const std::string &mcp_url, const std::string &mcp_as_url) {
    mo::config cfg;
    cfg.set("server_url", mcp_url).set("client_id", "test-client").set("client_secret", "test-secret");
    cfg.set("issuer", mcp_as_url);
    mo::oauth auth = mo::oauth::create(cfg);
    mo::client mcp = mo::client::connect(auth, mcp_url);
    CHECK(mcp.list_tools().find("\"write_note\"") != std::string::npos);
    CHECK(mcp.call_tool("add", R"({"a":2,"b":40})").find("\"sum\":42") != std::string::npos);
    CHECK(mcp.call_tool("write_note", R"({"text":"n"})").find("saved note") != std::string::npos);  // step-up
    auto unknown = mcp.try_call_tool("no_such_tool");
    CHECK(!unknown && unknown.error().code == MCP_OAUTH_E_MCP);
    mo::client other = std::move(mcp);
    CHECK(!mcp && other.request("ping") == "{}");

    std::string auth_json = R"({"client_id": "test-client", "client_secret": "test-secret", "issuer": ")" + mcp_as_url + R"("})";
    std::string servers = R"({"a": {"url": ")" + mcp_url + R"(", "auth": )" + auth_json + R"(},)"
                          R"( "b": {"url": ")" + mcp_url + R"(", "auth": )" + auth_json + R"(}})";
    mo::client_multi multi = mo::client_multi::create(servers);
    CHECK(multi.call_tool("b", "echo", R"({"text":"hi"})").find("\"hi\"") != std::string::npos);
    CHECK(multi.list_tools().find("\"server\":\"a\"") != std::string::npos);
    auto missing = multi.try_call_tool("c", "echo");
    CHECK(!missing && missing.error().code == MCP_OAUTH_E_CONFIG && missing.error().field == "server");
}

// contains: text holds needle (the tool's JSON result quotes the answer,
// so its quotes come escaped).
static bool contains(const std::string &text, const std::string &needle) { return text.find(needle) != std::string::npos; }

// Skills (SEP-2640) and elicitation through the C++ owners: the handler
// answers in place, throws (cancel), forgets (decline), or hands the request
// to another thread that answers later.
static void test_skills_and_elicitation(const std::string &mcp_url, const std::string &mcp_as_url) {
    mo::config cfg;
    cfg.set("server_url", mcp_url).set("client_id", "test-client").set("client_secret", "test-secret");
    cfg.set("issuer", mcp_as_url);
    mo::oauth auth = mo::oauth::create(cfg);
    mo::client mcp = mo::client::connect(auth, mcp_url);

    CHECK(contains(mcp.list_skills(), "\"uri\":\"skill://greeting/SKILL.md\""));
    CHECK(contains(mcp.load_skill("skill://greeting/SKILL.md"), "Say hello."));
    auto missing = mcp.try_load_skill("skill://nothing/SKILL.md");
    CHECK(!missing && missing.error().code == MCP_OAUTH_E_CONFIG && missing.error().field == "uri");

    CHECK(contains(mcp.call_tool("ask", "{}"), R"(\"action\":\"decline\")"));  // no handler
    std::string seen;
    mcp.set_elicitation_handler([&seen](mo::elicitation &e) {
        seen = e.request_json();
        e.reply(R"({"action":"accept","content":{"name":"C++"}})");
        CHECK(!e.pending());
    });
    std::string answered = mcp.call_tool("ask", "{}");
    CHECK(contains(seen, "\"mode\":\"form\"") && contains(seen, "\"requestedSchema\""));
    CHECK(contains(answered, R"(\"name\":\"C++\")") && contains(answered, R"(\"count\":3)"));  // defaults

    mcp.set_elicitation_handler([](mo::elicitation &e) {
        auto bad = e.try_reply(R"({"action":"perhaps"})");  // malformed: still pending
        CHECK(!bad && bad.error().code == MCP_OAUTH_E_INVALID_ARGUMENT && e.pending());
        throw std::runtime_error("the dialog crashed");
    });
    CHECK(contains(mcp.call_tool("ask", "{}"), R"(\"action\":\"cancel\")"));
    mcp.set_elicitation_handler([](mo::elicitation &) {});  // neither answered nor kept
    CHECK(contains(mcp.call_tool("ask", "{}"), R"(\"action\":\"decline\")"));

    std::thread later;
    mcp.set_elicitation_handler([&later](mo::elicitation &e) {
        later = std::thread([kept = std::move(e)]() mutable { kept.reply(R"({"action":"cancel"})"); });
    });
    std::string url_answer = mcp.call_tool("ask", R"({"url":"https://example.com/connect"})");
    later.join();
    CHECK(contains(url_answer, R"(\"action\":\"cancel\")"));

    mcp.set_elicitation_handler(nullptr);  // back to declining
    CHECK(contains(mcp.call_tool("ask", "{}"), R"(\"action\":\"decline\")"));
    mcp.set_elicitation_handler([](mo::elicitation &e) { e.reply({}); });
    mo::client moved = std::move(mcp);  // the handler moves with the session
    CHECK(contains(moved.call_tool("ask", "{}"), R"(\"action\":\"decline\")"));
    moved = mo::client();  // closed before its handlers are freed (ASan)
}

int main() {
    const char *as_args[] = {"-client", "cpp-client:c++\"secret\\{}", nullptr};
    test_server as{}, mcp{};
    if (server_start(&as, as_args) != 0) return 1;
    const char *bin = std::getenv("MCP_OAUTH_MCP_TEST_SERVER");
    const char *none[] = {nullptr};
    if (server_start_bin(&mcp, bin ? bin : "build/mcp-test-server", none) != 0) return 1;
    char mcp_url[512], mcp_as_url[512];
    if (json_str(mcp.url, "mcp", mcp_url, sizeof mcp_url) != 0) return 1;
    if (json_str(mcp.url, "as", mcp_as_url, sizeof mcp_as_url) != 0) return 1;

    test_tokens(as.url);
    test_errors(as.url);
    test_mcp(mcp_url, mcp_as_url);
    test_skills_and_elicitation(mcp_url, mcp_as_url);

    server_stop(&mcp);
    server_stop(&as);
    std::printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
