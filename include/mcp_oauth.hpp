// mcp_oauth.hpp — header-only C++17 interface to libmcp_oauth, over the C
// contract in mcp_oauth.h (which states every status code, ownership rule
// and thread-safety guarantee this header relies on).
//
//   mcpoauth::config cfg;
//   cfg.set("server_url", url).set("client_id", id).set("client_secret", secret);
//   cfg.set("issuer", issuer);    // who issued the secret: it is sent there only
//   auto auth = mcpoauth::oauth::create(cfg);            // throws mcpoauth::error
//   auto mcp = mcpoauth::client::connect(auth, url);
//   std::string result = mcp.call_tool("add", R"({"a":2,"b":40})");
//
// The namespace is mcpoauth (mcp_oauth names the C type). Every fallible
// call exists twice: the throwing one above, and try_...() returning a
// mcpoauth::result<T> that never throws (the only form
// available when exceptions are disabled). Errors carry the library's status
// code, message, configuration field, OAuth error, HTTP status and server,
// read with mcp_oauth_error_member() — no JSON parser involved.
//
// Owners (config, oauth, client, client_multi, unique_string) are move-only
// RAII types: each frees its C object exactly once, a moved-from owner holds
// nothing. The C objects are safe to use from many threads at once, so
// const member functions may be called concurrently; moving or destroying
// an owner must not race with its use. An oauth must outlive the clients
// connected with it (as in C).
#ifndef MCP_OAUTH_HPP
#define MCP_OAUTH_HPP

#include <mcp_oauth.h>

#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>
#if defined(__cpp_exceptions) || defined(__EXCEPTIONS)
#include <stdexcept>
#define MCP_OAUTH_HPP_EXCEPTIONS 1
#endif

namespace mcpoauth {

// unique_string owns a string returned by the library and frees it with
// mcp_oauth_string_free(). Move-only.
class unique_string {
public:
    unique_string() noexcept = default;
    explicit unique_string(char *s) noexcept : s_(s) {}
    unique_string(unique_string &&o) noexcept : s_(std::exchange(o.s_, nullptr)) {}
    unique_string &operator=(unique_string &&o) noexcept {
        if (this != &o) reset(std::exchange(o.s_, nullptr));
        return *this;
    }
    unique_string(const unique_string &) = delete;
    unique_string &operator=(const unique_string &) = delete;
    ~unique_string() { mcp_oauth_string_free(s_); }

    // out() releases the current string and gives a char** for a C out-parameter.
    char **out() noexcept {
        reset(nullptr);
        return &s_;
    }
    const char *get() const noexcept { return s_; }
    explicit operator bool() const noexcept { return s_ != nullptr; }
    std::string str() const { return s_ ? std::string(s_) : std::string(); }
    void reset(char *s) noexcept { mcp_oauth_string_free(std::exchange(s_, s)); }

private:
    char *s_ = nullptr;
};

// error_info is what the library reported about a failure (see the
// out_error members in mcp_oauth.h); absent members are empty / 0.
struct error_info {
    int code = MCP_OAUTH_OK;        // an MCP_OAUTH_E_* status
    std::string message;            // never contains a secret or a token
    std::string field;              // the configuration field at fault
    std::string oauth_error;        // the OAuth error code, e.g. "invalid_client"
    std::string error_description;  // the server's description
    int status = 0;                 // the HTTP status of the response
    std::string server;             // the server of an mcp_client_multi at fault

    // from_out_error reads the details of a failed call with status rc.
    static error_info from_out_error(int rc, const char *out_error) {
        error_info e;
        e.code = rc;
        if (out_error != nullptr) {
            e.message = member(out_error, "message");
            e.field = member(out_error, "field");
            e.oauth_error = member(out_error, "error");
            e.error_description = member(out_error, "error_description");
            e.server = member(out_error, "server");
            e.status = std::atoi(member(out_error, "status").c_str());
        }
        if (e.message.empty()) e.message = mcp_oauth_strerror(rc);
        return e;
    }

private:
    static std::string member(const char *doc, const char *name) {
        unique_string v;
        mcp_oauth_error_member(doc, name, v.out());
        return v.str();
    }
};

#ifdef MCP_OAUTH_HPP_EXCEPTIONS
// error is thrown by the throwing calls: what() is the message; info()
// has the rest.
class error : public std::runtime_error {
public:
    explicit error(error_info info) : std::runtime_error(info.message), info_(std::move(info)) {}
    int code() const noexcept { return info_.code; }
    const std::string &field() const noexcept { return info_.field; }
    const std::string &oauth_error() const noexcept { return info_.oauth_error; }
    int status() const noexcept { return info_.status; }
    const error_info &info() const noexcept { return info_; }

private:
    error_info info_;
};
#endif

// result<T> is a value or an error_info; it never throws unless value() is
// called on an error (with exceptions enabled).
template <class T>
class result {
public:
    result(T value) : v_(std::move(value)) {}
    result(error_info e) : v_(std::move(e)) {}
    bool ok() const noexcept { return v_.index() == 0; }
    explicit operator bool() const noexcept { return ok(); }
    // error() is the failure; only meaningful when !ok().
    const error_info &error() const noexcept {
        static const error_info none;
        return ok() ? none : std::get<1>(v_);
    }
    // value() is the value; on an error it throws mcpoauth::error (with
    // exceptions) or aborts (without): check ok() first.
    T &value() & { check(); return std::get<0>(v_); }
    T &&value() && { check(); return std::get<0>(std::move(v_)); }

private:
    void check() const {
        if (ok()) return;
#ifdef MCP_OAUTH_HPP_EXCEPTIONS
        throw mcpoauth::error(std::get<1>(v_));
#else
        std::abort();
#endif
    }
    std::variant<T, error_info> v_;
};

// status is a result without a value.
struct done {};
using status = result<done>;

namespace detail {
// finish turns a C status and its out_error into a result.
template <class T, class F>
result<T> finish(int rc, const unique_string &err, F &&value) {
    if (rc != MCP_OAUTH_OK) return error_info::from_out_error(rc, err.get());
    return value();
}
inline status finish(int rc, const unique_string &err) {
    return finish<done>(rc, err, [] { return done{}; });
}
inline status finish(int rc) { return finish(rc, unique_string()); }

// owner is the move-only RAII core of the handle classes.
template <class H, int (*Free)(H *)>
class owner {
public:
    owner() noexcept = default;
    explicit owner(H *h) noexcept : h_(h) {}
    owner(owner &&o) noexcept : h_(std::exchange(o.h_, nullptr)) {}
    owner &operator=(owner &&o) noexcept {
        if (this != &o) {
            if (h_) Free(h_);
            h_ = std::exchange(o.h_, nullptr);
        }
        return *this;
    }
    owner(const owner &) = delete;
    owner &operator=(const owner &) = delete;
    ~owner() {
        if (h_) Free(h_);
    }
    H *get() const noexcept { return h_; }
    explicit operator bool() const noexcept { return h_ != nullptr; }

protected:
    H *h_ = nullptr;
};
}  // namespace detail

// config builds an mcp_oauth configuration member by member (the members
// and their types are mcp_oauth_new()'s); no JSON to write or escape. A
// wrong member name or type is reported by oauth::create(), naming it in
// error_info::field. The setters return *this; one that fails (a NULL-free,
// valid-UTF-8 string is all they check) makes create() fail with its error.
class config : public detail::owner<mcp_oauth_config, mcp_oauth_config_free> {
public:
    config() { mcp_oauth_config_new(&h_); }
    config &set(const std::string &field, const std::string &value) {
        return keep(mcp_oauth_config_set_string(h_, field.c_str(), value.c_str(), err_.out()));
    }
    config &set(const std::string &field, const char *value) { return set(field, std::string(value)); }
    config &set(const std::string &field, double value) {
        return keep(mcp_oauth_config_set_number(h_, field.c_str(), value, err_.out()));
    }
    config &set(const std::string &field, int value) { return set(field, static_cast<double>(value)); }
    config &set(const std::string &field, bool value) {
        return keep(mcp_oauth_config_set_bool(h_, field.c_str(), value ? 1 : 0, err_.out()));
    }
    // add appends to a string-array member, e.g. add("scopes", "mcp:read").
    config &add(const std::string &field, const std::string &value) {
        return keep(mcp_oauth_config_add_string(h_, field.c_str(), value.c_str(), err_.out()));
    }
    // first_error is the first setter failure, if any (code MCP_OAUTH_OK if none).
    const error_info &first_error() const noexcept { return first_; }

private:
    config &keep(int rc) {
        if (rc != MCP_OAUTH_OK && first_.code == MCP_OAUTH_OK) first_ = error_info::from_out_error(rc, err_.get());
        return *this;
    }
    unique_string err_;
    error_info first_;
};

// oauth owns an mcp_oauth client: tokens, authorization, discovery.
class oauth : public detail::owner<mcp_oauth, mcp_oauth_free> {
public:
    oauth() noexcept = default;

    static result<oauth> try_create(const config &c) {
        if (c.first_error().code != MCP_OAUTH_OK) return c.first_error();
        mcp_oauth *h = nullptr;
        unique_string err;
        int rc = mcp_oauth_new_from_config(c.get(), &h, err.out());
        return detail::finish<oauth>(rc, err, [h] { return oauth(h); });
    }
    // try_from_json takes the configuration as mcp_oauth_new()'s JSON document.
    static result<oauth> try_from_json(const std::string &config_json) {
        mcp_oauth *h = nullptr;
        unique_string err;
        int rc = mcp_oauth_new(config_json.c_str(), &h, err.out());
        return detail::finish<oauth>(rc, err, [h] { return oauth(h); });
    }
    // try_token returns a valid access token (mcp_oauth_get_token()).
    result<std::string> try_token() const {
        unique_string tok, err;
        int rc = mcp_oauth_get_token(h_, tok.out(), err.out());
        return detail::finish<std::string>(rc, err, [&] { return tok.str(); });
    }
    // try_token_json returns the token as mcp_oauth_get_token_json()'s JSON object.
    result<std::string> try_token_json() const {
        unique_string out, err;
        int rc = mcp_oauth_get_token_json(h_, out.out(), err.out());
        return detail::finish<std::string>(rc, err, [&] { return out.str(); });
    }
    // try_status_json returns mcp_oauth_status()'s JSON object: never a token or secret.
    result<std::string> try_status_json() const {
        unique_string out, err;
        int rc = mcp_oauth_status(h_, out.out(), err.out());
        return detail::finish<std::string>(rc, err, [&] { return out.str(); });
    }
    // invalidate reports a token a resource server rejected (HTTP 401).
    status try_invalidate(const std::string &token) const {
        return detail::finish(mcp_oauth_invalidate(h_, token.c_str()));
    }
    // try_authorize_begin returns {authorization URL, state}.
    result<std::pair<std::string, std::string>> try_authorize_begin(const std::string &redirect_uri = {}) const {
        unique_string url, state, err;
        int rc = mcp_oauth_authorize_begin(h_, redirect_uri.empty() ? nullptr : redirect_uri.c_str(), url.out(),
                                           state.out(), err.out());
        return detail::finish<std::pair<std::string, std::string>>(
            rc, err, [&] { return std::make_pair(url.str(), state.str()); });
    }
    status try_authorize_complete(const std::string &redirect_url) const {
        unique_string err;
        return detail::finish(mcp_oauth_authorize_complete(h_, redirect_url.c_str(), err.out()), err);
    }
    // try_authorize_interactive: open_command empty prints the URL on stderr.
    status try_authorize_interactive(const std::string &open_command = {}, double timeout_seconds = 300) const {
        unique_string err;
        return detail::finish(mcp_oauth_authorize_interactive(h_, open_command.empty() ? nullptr : open_command.c_str(),
                                                              timeout_seconds, err.out()),
                              err);
    }
    // cancel ends the calls on this client blocked in other threads.
    status try_cancel() const { return detail::finish(mcp_oauth_cancel(h_)); }

#ifdef MCP_OAUTH_HPP_EXCEPTIONS
    static oauth create(const config &c) { return try_create(c).value(); }
    static oauth from_json(const std::string &config_json) { return try_from_json(config_json).value(); }
    std::string token() const { return try_token().value(); }
    std::string token_json() const { return try_token_json().value(); }
    std::string status_json() const { return try_status_json().value(); }
    void invalidate(const std::string &token) const { try_invalidate(token).value(); }
    std::pair<std::string, std::string> authorize_begin(const std::string &redirect_uri = {}) const {
        return try_authorize_begin(redirect_uri).value();
    }
    void authorize_complete(const std::string &redirect_url) const { try_authorize_complete(redirect_url).value(); }
    void authorize_interactive(const std::string &open_command = {}, double timeout_seconds = 300) const {
        try_authorize_interactive(open_command, timeout_seconds).value();
    }
    void cancel() const { try_cancel().value(); }
#endif

private:
    explicit oauth(mcp_oauth *h) noexcept : owner(h) {}
};

// elicitation is one pending elicitation request of a server (MCP
// "Elicitation": a form to fill in, or a URL to open), handed to a client's
// elicitation handler. Answer it once with reply() — in the handler, or later
// from any thread after moving it out of the handler. One destroyed without
// an answer is declined, so a forgotten request never holds up its call.
// Move-only.
class elicitation {
public:
    elicitation(elicitation &&o) noexcept : req_(std::exchange(o.req_, nullptr)), json_(std::move(o.json_)) {}
    elicitation &operator=(elicitation &&o) noexcept {
        if (this != &o) {
            decline_pending();
            req_ = std::exchange(o.req_, nullptr);
            json_ = std::move(o.json_);
        }
        return *this;
    }
    elicitation(const elicitation &) = delete;
    elicitation &operator=(const elicitation &) = delete;
    ~elicitation() { decline_pending(); }

    // request_json: the request as mcp_elicitation_fn's request_json
    // ("mode", "message", "requestedSchema" or "url" and "elicitationId").
    const std::string &request_json() const noexcept { return json_; }
    // pending: not answered yet (and not moved from).
    bool pending() const noexcept { return req_ != nullptr; }

    // try_reply: response_json as mcp_client_elicitation_reply()'s
    // ({"action":"accept","content":{...}}, {"action":"decline"},
    // {"action":"cancel"}); empty declines. A malformed answer
    // (MCP_OAUTH_E_INVALID_ARGUMENT) leaves the request pending.
    status try_reply(const std::string &response_json) {
        unique_string err;
        int rc = mcp_client_elicitation_reply(req_, response_json.empty() ? nullptr : response_json.c_str(),
                                              err.out());
        if (rc != MCP_OAUTH_E_INVALID_ARGUMENT) req_ = nullptr;  // answered, or gone with its MCP request
        return detail::finish(rc, err);
    }
#ifdef MCP_OAUTH_HPP_EXCEPTIONS
    void reply(const std::string &response_json) { try_reply(response_json).value(); }
#endif

private:
    friend class client;
    elicitation(mcp_elicitation *request, const char *request_json)
        : req_(request), json_(request_json != nullptr ? request_json : "") {}
    void decline_pending() noexcept {
        if (req_ != nullptr) mcp_client_elicitation_reply(std::exchange(req_, nullptr), nullptr, nullptr);
    }

    mcp_elicitation *req_ = nullptr;
    std::string json_;
};

// elicitation_handler answers a server's elicitation requests. It runs on a
// library thread, possibly for several requests at once (see
// mcp_elicitation_fn for what it may call); a request it neither answers nor
// moves out is declined when it returns, and one it throws on is cancelled.
using elicitation_handler = std::function<void(elicitation &)>;

// client owns an MCP session with one server (mcp_client_connect()).
// Results are the MCP results as JSON text.
class client : public detail::owner<mcp_client, mcp_client_close> {
public:
    client() noexcept = default;

    // try_connect: options_json as mcp_client_connect()'s (empty for none).
    static result<client> try_connect(const oauth &auth, const std::string &server_url,
                                      const std::string &options_json = {}) {
        mcp_client *c = nullptr;
        unique_string err;
        int rc = mcp_client_connect(auth.get(), server_url.c_str(),
                                    options_json.empty() ? nullptr : options_json.c_str(), &c, err.out());
        return detail::finish<client>(rc, err, [c] { return client(c); });
    }
    result<std::string> try_list_tools() const {
        unique_string out, err;
        int rc = mcp_client_list_tools(h_, out.out(), err.out());
        return detail::finish<std::string>(rc, err, [&] { return out.str(); });
    }
    // try_call_tool: arguments_json a JSON object, or empty for none.
    result<std::string> try_call_tool(const std::string &name, const std::string &arguments_json = {}) const {
        unique_string out, err;
        int rc = mcp_client_call_tool(h_, name.c_str(), arguments_json.empty() ? nullptr : arguments_json.c_str(),
                                      out.out(), err.out());
        return detail::finish<std::string>(rc, err, [&] { return out.str(); });
    }
    result<std::string> try_request(const std::string &method, const std::string &params_json = {}) const {
        unique_string out, err;
        int rc = mcp_client_request(h_, method.c_str(), params_json.empty() ? nullptr : params_json.c_str(),
                                    out.out(), err.out());
        return detail::finish<std::string>(rc, err, [&] { return out.str(); });
    }
    // try_status_json returns mcp_client_status()'s JSON object: never a token or secret.
    result<std::string> try_status_json() const {
        unique_string out, err;
        int rc = mcp_client_status(h_, out.out(), err.out());
        return detail::finish<std::string>(rc, err, [&] { return out.str(); });
    }

    // try_list_skills: the server's skills (SEP-2640), mcp_client_list_skills()'s JSON.
    result<std::string> try_list_skills() const {
        unique_string out, err;
        int rc = mcp_client_list_skills(h_, out.out(), err.out());
        return detail::finish<std::string>(rc, err, [&] { return out.str(); });
    }
    // try_load_skill: the skill whose SKILL.md is uri, its files verified
    // against the server's entry (mcp_client_load_skill()).
    result<std::string> try_load_skill(const std::string &uri) const {
        unique_string out, err;
        int rc = mcp_client_load_skill(h_, uri.c_str(), out.out(), err.out());
        return detail::finish<std::string>(rc, err, [&] { return out.str(); });
    }
    // try_set_elicitation_handler: handler answers the server's elicitation
    // requests from now on; an empty one declines them all (the default).
    // The client keeps every handler it was given until it is destroyed, so
    // a request already running in a replaced handler finishes safely.
    status try_set_elicitation_handler(elicitation_handler handler) {
        if (!handler) return detail::finish(mcp_client_set_elicitation_callback(h_, nullptr, nullptr, nullptr));
        auto owned = std::make_unique<elicitation_handler>(std::move(handler));
        unique_string err;
        int rc = mcp_client_set_elicitation_callback(h_, &client::dispatch, owned.get(), err.out());
        if (rc == MCP_OAUTH_OK) handlers_.push_back(std::move(owned));
        return detail::finish(rc, err);
    }

    client(client &&) noexcept = default;
    // Closes the session first: no handler runs once its storage is gone.
    client &operator=(client &&o) noexcept {
        if (this != &o) {
            close();
            owner::operator=(std::move(o));
            handlers_ = std::move(o.handlers_);
        }
        return *this;
    }
    ~client() { close(); }

#ifdef MCP_OAUTH_HPP_EXCEPTIONS
    std::string list_skills() const { return try_list_skills().value(); }
    std::string load_skill(const std::string &uri) const { return try_load_skill(uri).value(); }
    void set_elicitation_handler(elicitation_handler handler) {
        try_set_elicitation_handler(std::move(handler)).value();
    }
    static client connect(const oauth &auth, const std::string &server_url, const std::string &options_json = {}) {
        return try_connect(auth, server_url, options_json).value();
    }
    std::string list_tools() const { return try_list_tools().value(); }
    std::string call_tool(const std::string &name, const std::string &arguments_json = {}) const {
        return try_call_tool(name, arguments_json).value();
    }
    std::string request(const std::string &method, const std::string &params_json = {}) const {
        return try_request(method, params_json).value();
    }
    std::string status_json() const { return try_status_json().value(); }
#endif

private:
    explicit client(mcp_client *c) noexcept : owner(c) {}
    void close() noexcept {
        if (h_ != nullptr) mcp_client_close(std::exchange(h_, nullptr));
    }
    // dispatch is the mcp_elicitation_fn of every handler: no exception
    // crosses into the library.
    static void dispatch(void *userdata, mcp_elicitation *request, const char *request_json) noexcept {
        elicitation e(request, request_json);
#ifdef MCP_OAUTH_HPP_EXCEPTIONS
        try {
            (*static_cast<elicitation_handler *>(userdata))(e);
        } catch (...) {
            if (e.pending()) e.try_reply(R"({"action":"cancel"})");
        }
#else
        (*static_cast<elicitation_handler *>(userdata))(e);
#endif
    }

    std::vector<std::unique_ptr<elicitation_handler>> handlers_;
};

// client_multi owns several named MCP servers (mcp_client_multi_new()).
class client_multi : public detail::owner<mcp_client_multi, mcp_client_multi_free> {
public:
    client_multi() noexcept = default;

    static result<client_multi> try_create(const std::string &servers_json) {
        mcp_client_multi *m = nullptr;
        unique_string err;
        int rc = mcp_client_multi_new(servers_json.c_str(), &m, err.out());
        return detail::finish<client_multi>(rc, err, [m] { return client_multi(m); });
    }
    result<std::string> try_list_tools() const {
        unique_string out, err;
        int rc = mcp_client_multi_list_tools(h_, out.out(), err.out());
        return detail::finish<std::string>(rc, err, [&] { return out.str(); });
    }
    result<std::string> try_call_tool(const std::string &server, const std::string &name,
                                      const std::string &arguments_json = {}) const {
        unique_string out, err;
        int rc = mcp_client_multi_call_tool(h_, server.c_str(), name.c_str(),
                                            arguments_json.empty() ? nullptr : arguments_json.c_str(), out.out(),
                                            err.out());
        return detail::finish<std::string>(rc, err, [&] { return out.str(); });
    }
    status try_authorize_interactive(const std::string &server, const std::string &open_command = {},
                                     double timeout_seconds = 300) const {
        unique_string err;
        return detail::finish(mcp_client_multi_authorize_interactive(
                                  h_, server.c_str(), open_command.empty() ? nullptr : open_command.c_str(),
                                  timeout_seconds, err.out()),
                              err);
    }

#ifdef MCP_OAUTH_HPP_EXCEPTIONS
    static client_multi create(const std::string &servers_json) { return try_create(servers_json).value(); }
    std::string list_tools() const { return try_list_tools().value(); }
    std::string call_tool(const std::string &server, const std::string &name,
                          const std::string &arguments_json = {}) const {
        return try_call_tool(server, name, arguments_json).value();
    }
    void authorize_interactive(const std::string &server, const std::string &open_command = {},
                               double timeout_seconds = 300) const {
        try_authorize_interactive(server, open_command, timeout_seconds).value();
    }
#endif

private:
    explicit client_multi(mcp_client_multi *m) noexcept : owner(m) {}
};

}  // namespace mcpoauth

#endif  // MCP_OAUTH_HPP
