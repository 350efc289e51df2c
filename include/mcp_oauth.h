/*
 * mcp_oauth.h — the public C contract of libmcp_oauth, an OAuth 2.1 client for
 * MCP (Model Context Protocol) clients.
 *
 * This header is written by hand and is the reference for the C ABI. The
 * header that `go build -buildmode=c-shared` generates is a build artefact and
 * is not installed.
 *
 * Conventions (they hold for every function below unless its comment says
 * otherwise):
 *
 *  - Fallible functions return an int status: MCP_OAUTH_OK (0) on success, a
 *    negative MCP_OAUTH_E_* code on failure. Codes are stable and only ever
 *    appended; mcp_oauth_strerror() names them.
 *  - Argument order: the handle (if any), then the inputs, then the output
 *    parameters (`out`, `out_json`, `out_token`, ...), then the optional
 *    `char **out_error` last. On failure every output pointer is set to NULL
 *    (or left untouched when the pointer itself is NULL).
 *  - Error details: most functions take an optional trailing `char **out_error`.
 *    Pass NULL to ignore. On failure it receives a JSON object string owned by
 *    the caller and freed with mcp_oauth_string_free(), with the members
 *        "code"     the status code (number),
 *        "message"  a human-readable sentence,
 *    and, when they apply,
 *        "field"              the configuration field at fault,
 *        "error"              the OAuth error code (RFC 6749 §5.2),
 *        "error_description"  the server's description,
 *        "error_uri"          the server's error URI,
 *        "status"             the HTTP status of the response,
 *        "retry_after"        seconds the server asked to wait (the
 *                             Retry-After of a 429 or 503; the background
 *                             refresh honours it, up to an hour),
 *        "rpc_code"           the JSON-RPC error code of an MCP server,
 *        "server"             the server at fault, for the functions of an
 *                             mcp_client_multi when one of its servers failed.
 *    On success *out_error is set to NULL. New members may be added; parse it
 *    as JSON. Messages never contain a client secret, a token, an
 *    authorization code or a PKCE verifier.
 *  - Strings: every `const char *` argument must be NUL-terminated UTF-8 and
 *    is copied by the library before the call returns, so the caller may free
 *    it at once. Every `char *` the library hands out is owned by the caller
 *    and must be released with mcp_oauth_string_free() — never with free().
 *  - Handles: an mcp_oauth handle is safe to use from many threads at once.
 *    NULL, a freed handle or a pointer that is not a handle makes a function
 *    return MCP_OAUTH_E_BAD_HANDLE — never a crash. (Freed handles are
 *    recognised for certain while the library has not handed out the same
 *    address again; it keeps the addresses of the 1024 most recently freed
 *    handles reserved to make that unlikely.)
 *  - Callbacks: three functions call back into the caller, none on a
 *    common path: the elicitation callback of an mcp_client
 *    (mcp_client_set_elicitation_callback), the open function of
 *    mcp_oauth_authorize_interactive_callback and the log callback
 *    (mcp_oauth_set_log_callback), each a function pointer with a
 *    `void *userdata` handed back unchanged (libcurl-style). They run on a thread of the library, never the
 *    caller's; their comments say what they may call. No function uses
 *    thread-local error state.
 *  - Timeouts: a wait is bounded by a `double timeout_seconds` (INFINITY:
 *    none; NaN or negative: MCP_OAUTH_E_INVALID_ARGUMENT). A prototype never
 *    changes, so mcp_oauth_device_complete() keeps the `int` it was
 *    published with; every new function follows the rule.
 *  - The library embeds the Go runtime: it must stay loaded for the life of
 *    the process (never dlclose it), and after fork() only the parent may
 *    call it — a child must exec first.
 */
#ifndef MCP_OAUTH_H
#define MCP_OAUTH_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The version of this header. mcp_oauth_version() gives the library's; a
 * binding should check that the major versions match (docs/abi.md says what
 * a version promises). MCP_OAUTH_VERSION_NUMBER is
 * MAJOR * 1000000 + MINOR * 1000 + PATCH, for #if:
 *     #if MCP_OAUTH_VERSION_NUMBER >= 2000   (0.2.0 or newer)
 * These lines are copies of the repository's VERSION file, checked by a test. */
#define MCP_OAUTH_VERSION_MAJOR 0
#define MCP_OAUTH_VERSION_MINOR 2
#define MCP_OAUTH_VERSION_PATCH 0
#define MCP_OAUTH_VERSION "0.2.0"
#define MCP_OAUTH_VERSION_NUMBER 2000

/* MCP_OAUTH_API marks every function of the library's ABI: a DLL import on
 * Windows, default visibility elsewhere. The shared library exports exactly
 * these functions, under the symbol version MCP_OAUTH_0 on ELF platforms. */
#if defined(_WIN32) || defined(__CYGWIN__)
#define MCP_OAUTH_API __declspec(dllimport)
#elif defined(__GNUC__)
#define MCP_OAUTH_API __attribute__((visibility("default")))
#else
#define MCP_OAUTH_API
#endif

/* Status codes. Stable: appended, never renumbered. */
#define MCP_OAUTH_OK 0
/* A required pointer argument was NULL, or a string was not valid UTF-8. */
#define MCP_OAUTH_E_INVALID_ARGUMENT -1
/* NULL, freed or unknown handle. */
#define MCP_OAUTH_E_BAD_HANDLE -2
/* The configuration JSON is malformed or a field is invalid ("field" names it). */
#define MCP_OAUTH_E_CONFIG -3
/* The server could not be reached or the connection failed. */
#define MCP_OAUTH_E_NETWORK -4
/* A network call exceeded its timeout. */
#define MCP_OAUTH_E_TIMEOUT -5
/* The authorization server answered with an OAuth error (RFC 6749 §5.2):
 * "error", "error_description", "error_uri" and "status" are set. */
#define MCP_OAUTH_E_OAUTH -6
/* The server's response broke the protocol: not JSON, no access_token, a
 * token_type other than Bearer, a redirect from the token endpoint, an
 * oversized body, ... */
#define MCP_OAUTH_E_PROTOCOL -7
/* The authorization response's `state` matched no pending authorization
 * (RFC 6749 §10.12). */
#define MCP_OAUTH_E_STATE_MISMATCH -8
/* The authorization response carried `error=` (e.g. access_denied): "error"
 * and "error_description" are set. */
#define MCP_OAUTH_E_AUTHORIZATION_DENIED -9
/* No token can be obtained without a user: the configuration uses the
 * authorization_code grant and no (refreshable) token is held. Run the
 * authorization flow (mcp_oauth_authorize_begin/complete) first. After an
 * MCP server's 403 insufficient_scope the message names the scope to grant
 * (a step-up, not a first login); after the MCP server moved to another
 * authorization server (MCP 2026-07-28) the flow goes to the new one. */
#define MCP_OAUTH_E_AUTHORIZATION_REQUIRED -10
/* The authorization response's `iss` did not match the expected issuer
 * (RFC 9207 §2.4). */
#define MCP_OAUTH_E_ISSUER_MISMATCH -11
/* The operation does not apply in this configuration (e.g. authorization
 * without authorize_url). */
#define MCP_OAUTH_E_UNSUPPORTED -12
/* An internal error; the library recovered. Please report it. */
#define MCP_OAUTH_E_INTERNAL -13
/* The server answered with an HTTP error status and no OAuth error body
 * (e.g. 500, 503): "status" is set. */
#define MCP_OAUTH_E_SERVER -14
/* The MCP server answered a request with a JSON-RPC error ("rpc_code" is
 * set), or the MCP session failed. */
#define MCP_OAUTH_E_MCP -15
/* MCP authorization discovery failed: no usable protected resource or
 * authorization server metadata, a metadata issuer mismatch, no PKCE S256
 * support, or a URL refused (not https, link-local, or a URL learned from a
 * server leading to loopback or a private network the MCP server is not on;
 * the message names the URL). */
#define MCP_OAUTH_E_DISCOVERY -16
/* The protected resource metadata names another resource than the MCP
 * server (RFC 9728 §3.3): no authorization request was made. */
#define MCP_OAUTH_E_RESOURCE_MISMATCH -17
/* The client could not be identified to the authorization server: dynamic
 * registration was rejected ("error", "error_description", "status"), none
 * of pre-registration, a client ID metadata document or registration is
 * possible, or a pre-registered client belongs to another issuer. */
#define MCP_OAUTH_E_REGISTRATION -18
/* The MCP server still answered insufficient_scope after 3 step-ups, or
 * after 3 user authorizations in all (the one that obtained the rejected
 * token included) without a request succeeding in between; or the token
 * response of a step-up shows (its "scope") that the authorization server
 * did not grant the challenged scope, which the message names. */
#define MCP_OAUTH_E_INSUFFICIENT_SCOPE -19
/* The call was ended by mcp_oauth_cancel(), mcp_client_cancel() or
 * mcp_client_multi_cancel() from another thread. */
#define MCP_OAUTH_E_CANCELLED -20
/* The MCP server answered 401 to an access token obtained just after it had
 * refused the previous one: it does not take this client's tokens (issued
 * for another resource, by another authorization server, with scopes it
 * does not accept) or cannot validate them. "status" is 401; "error" and
 * "error_description" carry its WWW-Authenticate challenge, when sent. */
#define MCP_OAUTH_E_TOKEN_REJECTED -21

/* An OAuth 2.1 client: configuration, token cache and authorization state.
 * Opaque; created by mcp_oauth_new(), released by mcp_oauth_free(). */
typedef struct mcp_oauth mcp_oauth;

/*
 * mcp_oauth_version returns the library's version, e.g. "0.2.0".
 * The string is static: do not free it. Never fails.
 */
MCP_OAUTH_API const char *mcp_oauth_version(void);

/*
 * mcp_oauth_strerror returns a static description of a status code, e.g.
 * "bad handle" for MCP_OAUTH_E_BAD_HANDLE, and "unknown status" for a code
 * this library does not know. Do not free it. Never fails.
 */
MCP_OAUTH_API const char *mcp_oauth_strerror(int code);

/*
 * mcp_oauth_string_free releases a string returned by this library.
 * NULL is a harmless no-op. Passing anything else is undefined behaviour, as
 * with free().
 */
MCP_OAUTH_API void mcp_oauth_string_free(char *s);

/*
 * mcp_oauth_new creates a client from a JSON configuration, decoded strictly:
 * an unknown member, a wrong type, a missing required member or a
 * non-loopback http:// URL is an error naming the field. Its members (the
 * same in every language; docs/concepts.md has them as a table):
 *
 * BEGIN GENERATED config (make generate; source: core/config.go)
 *   client_id                   string. The OAuth client identifier. With
 *                               `server_url` (and another grant than
 *                               `jwt_bearer`) a client ID metadata document or
 *                               dynamic registration (RFC 7591) may identify
 *                               the client instead. Required unless
 *                               `server_url` is set.
 *   client_secret               string. A confidential client's secret.
 *   token_url                   string. The token endpoint: https://, or
 *                               http:// on a loopback address. Discovered with
 *                               `server_url`. Required unless `server_url` is
 *                               set.
 *   authorize_url               string. The authorization endpoint: enables
 *                               the authorization code flow.
 *   scopes                      array of strings. The scopes to request (RFC
 *                               6749 §3.3). With `server_url`, the server's
 *                               when not set.
 *   pkce                        boolean. PKCE with S256 (RFC 7636). On by
 *                               default with `authorize_url` or the
 *                               `authorization_code` grant; OAuth 2.1 requires
 *                               it, so false is refused together with
 *                               `authorize_url`.
 *   resource                    string. The RFC 8707 resource indicator sent
 *                               on every authorization and token request. With
 *                               `server_url`, the discovered one when not set.
 *   redirect_uri                string. The redirect URI of the authorization
 *                               code flow: the default of authorize_begin.
 *                               With `server_url`, http://127.0.0.1/callback
 *                               (a loopback listener on a free port, RFC 8252
 *                               §7.3) when not set.
 *   grant_type                  "client_credentials", "authorization_code" or
 *                               "jwt_bearer". The grant that obtains tokens.
 *                               Default: `jwt_bearer` when `idp_id_token` or a
 *                               workload identity token is set;
 *                               `authorization_code` with `authorize_url`,
 *                               `device_authorization_url`, or `server_url`
 *                               without a client secret or key; else
 *                               `client_credentials`.
 *   token_endpoint_auth_method  "client_secret_basic", "client_secret_post",
 *                               "private_key_jwt" or "none". How the client
 *                               authenticates at the token endpoint (RFC 7591
 *                               §2). Default: `private_key_jwt` with
 *                               `private_key_pem`, `client_secret_basic` with
 *                               `client_secret`, else `none`.
 *   issuer                      string. The authorization server's issuer:
 *                               authorization responses must carry a matching
 *                               `iss` (RFC 9207). With `server_url`, the only
 *                               authorization server the client's credentials
 *                               are sent to: an MCP server whose metadata
 *                               names another is refused before that server is
 *                               contacted. Required with `jwt_bearer` without
 *                               `server_url` (it is the ID-JAG's audience).
 *                               Required with `server_url` and a
 *                               `client_secret` or `private_key_pem`.
 *   http_timeout_seconds        number. The bound on each HTTP request, in
 *                               seconds (0 means the default; at most 3600).
 *                               Default 30.
 *   refresh_margin_seconds      number. A token is refreshed in the background
 *                               once it is this many seconds from expiry, or
 *                               in its last 10 % of life if that is longer,
 *                               but at most half its lifetime (0 to 86400).
 *                               Default 30.
 *   ca_file                     string. A PEM file of CAs to trust besides the
 *                               system's (a company's private CA, say).
 *   mcp_max_response_bytes      integer. The bound on each MCP response body
 *                               and on each event of an MCP SSE stream, in
 *                               bytes (0 means the default; at most 1 GiB):
 *                               past it the session is closed and the call
 *                               fails, naming this member. Default 8388608 (8
 *                               MiB).
 *   token_store_dir             string. A directory (created 0700; refused if
 *                               others can read it) where the client
 *                               registration and the tokens are kept in 0600
 *                               files, per MCP server, issuer and client, so
 *                               that a restarted program reuses them.
 *   token_store                 string. A token store instead of files:
 *                               `keyring`, the OS keyring (the Secret Service
 *                               on Linux, with `token_store_dir`, default
 *                               ~/.config/mcp-oauth, holding only lock files,
 *                               or everything where no keyring runs; the
 *                               Credential Manager on Windows; see "Token
 *                               store" in docs/concepts.md); or, shared by
 *                               processes on many hosts instead of
 *                               `token_store_dir`, the `redis://` or
 *                               `rediss://` URL of a Redis or Valkey server
 *                               (user and password in the URL, or the password
 *                               in the environment variable
 *                               `MCP_OAUTH_REDIS_PASSWORD`): one token request
 *                               per credential across the fleet; see "Running
 *                               on many hosts" in docs/concepts.md.
 *   token_store_key_file        string. A file holding the key that encrypts
 *                               the entries of `token_store` (AES-256-GCM): 32
 *                               bytes, raw or base64. Without it the
 *                               environment variable `MCP_OAUTH_STORE_KEY` (32
 *                               bytes, base64) is used; without either, tokens
 *                               are stored in clear.
 *   token_store_fallback        "unshared" or "fail". When `token_store`
 *                               cannot be reached: `unshared` requests tokens
 *                               without sharing them, `fail` fails the token
 *                               request with a network error. Callers holding
 *                               a valid token are not affected either way.
 *                               Default unshared.
 *   server_url                  string. The MCP server's URL: discovery mode
 *                               (MCP authorization). The authorization server
 *                               is found from its protected resource metadata
 *                               (RFC 9728, RFC 8414); `token_url`,
 *                               `authorize_url` and `client_id` become
 *                               optional.
 *   client_metadata_url         string. The https URL of the client's ID
 *                               metadata document, used as `client_id` when
 *                               the authorization server supports it.
 *   client_name                 string. The client_name sent in dynamic client
 *                               registration (RFC 7591).
 *   private_key_pem             string. A PEM private key for
 *                               `private_key_jwt` client authentication (RFC
 *                               7523 §2.2), the default auth method with it.
 *   signing_alg                 "ES256" or "RS256". The signing algorithm of
 *                               the `private_key_jwt` assertions. Default
 *                               ES256.
 *   device_authorization_url    string. The device authorization endpoint (RFC
 *                               8628 §3.1), for the device flow, when
 *                               endpoints are configured rather than
 *                               discovered. The device grant obtains
 *                               user-delegated tokens: with it `grant_type`
 *                               defaults to `authorization_code`, which then
 *                               needs no `authorize_url`.
 *   idp_token_endpoint          string. The enterprise identity provider's
 *                               token endpoint (https://, or http:// on
 *                               loopback), where the user's ID token is
 *                               exchanged for an ID-JAG (RFC 8693). Required
 *                               with `jwt_bearer`.
 *   idp_client_id               string. The client's identifier at the
 *                               identity provider. Required with `jwt_bearer`.
 *   idp_client_secret           string. The client's secret at the identity
 *                               provider (client_secret_basic); without it the
 *                               client is public there.
 *   idp_id_token                string. The user's ID token from the identity
 *                               provider. Required with `jwt_bearer`.
 *   dpop                        boolean. DPoP-bound tokens (RFC 9449): true
 *                               binds every token to a key of the client;
 *                               unset uses DPoP when the MCP server asks for
 *                               it (its metadata's
 *                               `dpop_bound_access_tokens_required`, or DPoP
 *                               challenges); false never (a server that
 *                               requires it is then a configuration error).
 *   dpop_key_pem                string. The DPoP private key, PEM: EC P-256
 *                               (ES256) or RSA of at least 2048 bits (RS256).
 *                               Default: a generated key, kept in
 *                               `token_store_dir` with the tokens it binds.
 *   workload_identity_token     string. A workload identity JWT (a Kubernetes
 *                               service-account token, a GitHub Actions OIDC
 *                               token, a SPIFFE JWT-SVID) presented as a
 *                               jwt-bearer grant (RFC 7523 §2.1, workload
 *                               identity federation); selects `jwt_bearer`.
 *   workload_identity_token_file
 *                               string. A file holding the workload identity
 *                               JWT, read again for every new token so that a
 *                               rotated file is followed; selects
 *                               `jwt_bearer`.
 *   workload_identity_token_command
 *                               array of strings. A command (program and
 *                               arguments, no shell) printing the workload
 *                               identity JWT, bounded by
 *                               `http_timeout_seconds`; selects `jwt_bearer`.
 *   login                       "none", "browser" or "device". How the manager
 *                               logs a user in by itself when a token needs
 *                               one (instead of failing with "authorization
 *                               required"): `browser` runs the interactive
 *                               authorization code flow (RFC 8252, a loopback
 *                               redirect) and shows the URL with
 *                               `open_command`; `device` runs the device
 *                               authorization grant (RFC 8628) and prints its
 *                               user code and verification URI to standard
 *                               error. One login at a time, shared by every
 *                               caller waiting for a token; the explicit
 *                               authorize and device calls remain. Needs the
 *                               `authorization_code` grant. Default none.
 *   open_command                string. The program that opens the
 *                               authorization URL of `login` `browser`,
 *                               started with the URL as its only argument (no
 *                               shell), e.g. `xdg-open`; without it the URL is
 *                               printed to standard error.
 *   mcp_headers                 array of strings. HTTP headers sent on every
 *                               MCP request to the server (its origin only,
 *                               never to the authorization server), as lines
 *                               "Name: value" — an API key or a routing
 *                               header a gateway wants. Authorization, DPoP,
 *                               Cookie, Host, the MCP transport's own headers
 *                               (Accept, Content-Type, Mcp-*) and HTTP framing
 *                               headers are refused.
 * END GENERATED config
 *
 * MCP authorization (discovery mode, MCP 2025-11-25 "Authorization"): with
 * server_url set and token_url not, the client finds the authorization
 * server from the MCP server (RFC 9728 protected resource metadata, RFC 8414
 * metadata), identifies itself (client_id configured; else a client ID
 * metadata document; else dynamic registration, RFC 7591) and picks scopes.
 * Discovery runs on first need (get_token, authorize_begin, or a connection)
 * and may then return MCP_OAUTH_E_DISCOVERY, MCP_OAUTH_E_RESOURCE_MISMATCH
 * or MCP_OAUTH_E_REGISTRATION.
 *
 * The 2025-03-26 fallback (a server without protected resource metadata)
 * accepts authorization server metadata at the server's origin whose issuer
 * is that origin or a path on it (e.g. <origin>/oauth); never another origin.
 *
 * Enterprise-managed authorization (grant_type "jwt_bearer", MCP extension
 * SEP-990 "cross-app access"): the user's ID token from the enterprise
 * identity provider (idp_id_token) is exchanged at the IdP
 * (idp_token_endpoint) for an ID-JAG (RFC 8693 token exchange:
 * subject_token_type id_token, requested_token_type id-jag, audience = the
 * MCP authorization server's issuer, resource = the MCP server), which is
 * then presented to the MCP server's authorization server with the JWT
 * bearer grant (RFC 7523) and the client's own authentication there
 * (client_id required; client_secret or private_key_pem as usual). No user
 * interaction: a new token repeats both steps. The idp_* members are refused
 * with other grants.
 *
 * Workload identity federation (grant_type "jwt_bearer" with one of the
 * workload_identity_token members instead of the idp_* ones; SEP-1933,
 * RFC 7523 §2.1): the workload's JWT from its platform is the assertion of a
 * jwt-bearer grant at the MCP server's authorization server, with the
 * resource and the scopes. client_id is optional (sent when given). A
 * refused assertion is MCP_OAUTH_E_OAUTH, never retried nor followed by
 * another grant; a source that cannot be read is MCP_OAUTH_E_CONFIG naming
 * it.
 *
 * DPoP (RFC 9449, MCP extension io.modelcontextprotocol/auth/dpop; members
 * dpop and dpop_key_pem): tokens bound to a key of the client, presented by
 * mcp_client_* with "Authorization: DPoP" and a fresh proof on every
 * request; nonces demanded by either server (use_dpop_nonce) are answered
 * with one retry.
 *
 * Authorization-server migration (MCP 2026-07-28): when the MCP server
 * refuses a token and its protected resource metadata names another
 * authorization server, the old server's tokens and dynamic registration
 * are dropped (memory and store) and the client discovers and registers
 * again; a pre-registered client is never sent to the new issuer
 * (MCP_OAUTH_E_REGISTRATION).
 *
 * On success *out is a new handle (free it with mcp_oauth_free()). No network
 * I/O happens here.
 *
 * Returns MCP_OAUTH_OK, MCP_OAUTH_E_INVALID_ARGUMENT (config_json or out is
 * NULL, or config_json is not UTF-8), MCP_OAUTH_E_CONFIG.
 */
MCP_OAUTH_API int mcp_oauth_new(const char *config_json, mcp_oauth **out, char **out_error);

/* ------------------------------------------------------------------------
 * Configuration and error details without JSON, for C programs that have no
 * JSON library (in the manner of sqlite3_bind_* and curl_easy_setopt): set
 * the members of the configuration one by one, then create the client from
 * it; read an out_error document's members one by one.
 *
 *     mcp_oauth_config *cfg = NULL;
 *     mcp_oauth_config_new(&cfg);
 *     mcp_oauth_config_set_string(cfg, "server_url", url, NULL);
 *     mcp_oauth_config_set_string(cfg, "client_secret", secret, NULL);
 *     mcp_oauth_config_add_string(cfg, "scopes", "mcp:read", NULL);
 *     rc = mcp_oauth_new_from_config(cfg, &auth, &err);
 *     mcp_oauth_config_free(cfg);
 *
 * The members and their types are mcp_oauth_new()'s. The setters check
 * only their arguments: mcp_oauth_new_from_config() encodes the members as
 * the JSON document mcp_oauth_new() takes and decodes it with the same
 * strict decoder, so an unknown member or a wrong type is
 * MCP_OAUTH_E_CONFIG there, naming the member in "field".
 * ------------------------------------------------------------------------ */

/* A configuration under construction. Opaque; safe to use from many
 * threads at once; released by mcp_oauth_config_free(). */
typedef struct mcp_oauth_config mcp_oauth_config;

/*
 * mcp_oauth_config_new creates an empty configuration in *out (free it with
 * mcp_oauth_config_free()).
 *
 * Returns MCP_OAUTH_OK, MCP_OAUTH_E_INVALID_ARGUMENT (out is NULL).
 */
MCP_OAUTH_API int mcp_oauth_config_new(mcp_oauth_config **out);

/*
 * mcp_oauth_config_set_string sets the string member `field` (e.g.
 * "client_secret") to `value`, replacing an earlier value. Both strings are
 * copied; any character may appear in value (no escaping needed).
 *
 * Returns MCP_OAUTH_OK, MCP_OAUTH_E_BAD_HANDLE, MCP_OAUTH_E_INVALID_ARGUMENT
 * (field or value NULL or not UTF-8, field empty).
 */
MCP_OAUTH_API int mcp_oauth_config_set_string(mcp_oauth_config *c, const char *field,
                                const char *value, char **out_error);

/*
 * mcp_oauth_config_add_string appends `value` to the string-array member
 * `field` (e.g. "scopes"), which starts empty (a string set earlier by
 * mcp_oauth_config_set_string() is replaced).
 *
 * Returns the codes of mcp_oauth_config_set_string().
 */
MCP_OAUTH_API int mcp_oauth_config_add_string(mcp_oauth_config *c, const char *field,
                                const char *value, char **out_error);

/*
 * mcp_oauth_config_set_number sets the number member `field` (e.g.
 * "http_timeout_seconds") to `value`, replacing an earlier value.
 *
 * Returns MCP_OAUTH_OK, MCP_OAUTH_E_BAD_HANDLE, MCP_OAUTH_E_INVALID_ARGUMENT
 * (field NULL, empty or not UTF-8; value NaN or infinite).
 */
MCP_OAUTH_API int mcp_oauth_config_set_number(mcp_oauth_config *c, const char *field,
                                double value, char **out_error);

/*
 * mcp_oauth_config_set_bool sets the boolean member `field` (e.g. "pkce") to
 * true (value != 0) or false, replacing an earlier value.
 *
 * Returns MCP_OAUTH_OK, MCP_OAUTH_E_BAD_HANDLE, MCP_OAUTH_E_INVALID_ARGUMENT.
 */
MCP_OAUTH_API int mcp_oauth_config_set_bool(mcp_oauth_config *c, const char *field,
                              int value, char **out_error);

/*
 * mcp_oauth_config_free releases a configuration; clients created from it
 * are not affected. NULL is a harmless no-op returning MCP_OAUTH_OK.
 *
 * Returns MCP_OAUTH_OK, MCP_OAUTH_E_BAD_HANDLE (already freed, or not a
 * configuration).
 */
MCP_OAUTH_API int mcp_oauth_config_free(mcp_oauth_config *c);

/*
 * mcp_oauth_new_from_config is mcp_oauth_new() with the configuration built
 * by the setters above; the configuration stays owned by the caller (it
 * may be reused or freed at once).
 *
 * Returns MCP_OAUTH_OK, MCP_OAUTH_E_INVALID_ARGUMENT (out is NULL),
 * MCP_OAUTH_E_BAD_HANDLE (c), MCP_OAUTH_E_CONFIG.
 */
MCP_OAUTH_API int mcp_oauth_new_from_config(mcp_oauth_config *c, mcp_oauth **out,
                              char **out_error);

/*
 * mcp_oauth_error_code returns the "code" member of an out_error document,
 * a negative MCP_OAUTH_E_* code; MCP_OAUTH_E_INVALID_ARGUMENT when
 * error_json is NULL or not such a document.
 */
MCP_OAUTH_API int mcp_oauth_error_code(const char *error_json);

/*
 * mcp_oauth_error_member gives in *out the member `member` of an out_error
 * document (see the conventions above: "message", "field", "error",
 * "error_description", "status", "server", ...) as text: a string as is, a
 * number in decimal. *out is NULL when the document has no such member;
 * otherwise free it with mcp_oauth_string_free().
 *
 * Returns MCP_OAUTH_OK, MCP_OAUTH_E_INVALID_ARGUMENT (a NULL argument, or
 * error_json not a JSON object).
 */
MCP_OAUTH_API int mcp_oauth_error_member(const char *error_json, const char *member,
                           char **out);

/*
 * mcp_oauth_free releases a handle: it stops any background refresh and drops
 * the cached tokens. A call running on another thread at the same time
 * completes normally or returns MCP_OAUTH_E_BAD_HANDLE. NULL is a harmless
 * no-op returning MCP_OAUTH_OK.
 *
 * Returns MCP_OAUTH_OK, MCP_OAUTH_E_BAD_HANDLE (already freed, or not a
 * handle — nothing is freed twice).
 */
MCP_OAUTH_API int mcp_oauth_free(mcp_oauth *h);

/*
 * mcp_oauth_get_token returns a valid access token in *out_token (free it with
 * mcp_oauth_string_free()).
 *
 * While the cached token is valid this does no network I/O. When it enters
 * its refresh window, one background refresh starts and callers keep getting
 * the still-valid token. Only a caller holding no valid token waits; any
 * number of concurrent waiters share one token request and its result. The
 * refresh_token grant is used when the server issued a refresh token; on
 * invalid_grant the library falls back to the configured grant.
 *
 * Blocks for at most about http_timeout_seconds (per request made).
 *
 * Returns MCP_OAUTH_OK, MCP_OAUTH_E_INVALID_ARGUMENT, MCP_OAUTH_E_BAD_HANDLE,
 * MCP_OAUTH_E_NETWORK, MCP_OAUTH_E_TIMEOUT, MCP_OAUTH_E_OAUTH,
 * MCP_OAUTH_E_SERVER, MCP_OAUTH_E_PROTOCOL,
 * MCP_OAUTH_E_AUTHORIZATION_REQUIRED. With jwt_bearer, an error of the IdP's
 * token exchange is reported like the authorization server's
 * (MCP_OAUTH_E_OAUTH, MCP_OAUTH_E_SERVER, MCP_OAUTH_E_PROTOCOL, ...).
 */
MCP_OAUTH_API int mcp_oauth_get_token(mcp_oauth *h, char **out_token, char **out_error);

/*
 * mcp_oauth_get_token_json is mcp_oauth_get_token() returning the whole token
 * as a JSON object (free with mcp_oauth_string_free()):
 *
 *   access_token    string
 *   token_type      string, "Bearer", or "DPoP" for a token bound to the
 *                   client's DPoP key (RFC 9449; config "dpop", or a server
 *                   that asks for it): it is usable only with a DPoP proof,
 *                   which the library's MCP client (mcp_client_*) sends
 *   expires_at_ms   number, Unix time in milliseconds at which the token
 *                   expires; 0 when the server gave no lifetime
 *   valid_until_ms  number, Unix ms after which the library no longer hands
 *                   the token out (expiry less a safety skew)
 *   refresh_at_ms   number, Unix ms at which a background refresh starts
 *   scope           string, the granted scope ("" when not stated)
 *   generation      number, the value of the token generation counter (see
 *                   mcp_oauth_generation_ptr()) when this token was cached
 *
 * The refresh token is never returned. Same status codes as
 * mcp_oauth_get_token().
 */
MCP_OAUTH_API int mcp_oauth_get_token_json(mcp_oauth *h, char **out_json, char **out_error);

/*
 * mcp_oauth_generation_ptr gives the address of the handle's token generation
 * counter: a 32-bit word that the library increments (atomically) every time
 * the cached token changes — a new token, a refresh, an invalidation, a drop.
 * A binding can cache a token from mcp_oauth_get_token_json() and keep using
 * it, without calling into the library, for as long as the counter still
 * holds that token's "generation" and the clock is before its
 * "valid_until_ms". Read it with an atomic or volatile 32-bit load.
 *
 * The word stays readable until the handle is freed (and, as a safety margin,
 * for the next 1024 handle frees after that); it is read-only to the caller.
 *
 * Returns MCP_OAUTH_OK, MCP_OAUTH_E_INVALID_ARGUMENT (out is NULL),
 * MCP_OAUTH_E_BAD_HANDLE.
 */
MCP_OAUTH_API int mcp_oauth_generation_ptr(mcp_oauth *h, const volatile uint32_t **out);

/*
 * mcp_oauth_invalidate tells the client that a resource server rejected
 * `token` (an HTTP 401, RFC 6750 §3.1). The cached token is dropped only if it
 * is still that token, so a token refreshed meanwhile survives; the next
 * mcp_oauth_get_token() obtains a new one. The refresh token is kept.
 *
 * Returns MCP_OAUTH_OK (also when the token was no longer cached),
 * MCP_OAUTH_E_INVALID_ARGUMENT, MCP_OAUTH_E_BAD_HANDLE.
 */
MCP_OAUTH_API int mcp_oauth_invalidate(mcp_oauth *h, const char *token);

/*
 * Authorizing the requests of an HTTP client of your own (an httpx auth
 * hook, a fetch wrapper, ...) exactly as mcp_client_connect() does:
 *
 *   token = "" if mcp_oauth_needs_challenge(h) == 1 else a token from
 *           mcp_oauth_get_token(); previous = 0
 *   loop: send the request with the headers of
 *         mcp_oauth_request_headers(h, method, url, token, &headers, &err)
 *         ("Authorization: Bearer <token>", or for a DPoP-bound token
 *         "Authorization: DPoP <token>" and a "DPoP" proof, none for "");
 *         if the answer has a DPoP-Nonce header and
 *         mcp_oauth_dpop_nonce(h, url, token, status, www_authenticate,
 *         dpop_nonce) == 1, send it once more the same way (fresh headers);
 *         mcp_oauth_handle_response(h, status, www_authenticate, token,
 *                                   previous, &next, &err);
 *         next == NULL: the response is final (hand it to the caller);
 *         else: if token != "" then previous = status; token = next; and
 *         send the request again (the library allows at most 3 sends).
 */

/*
 * mcp_oauth_needs_challenge tells whether a request to the MCP server should
 * first go out without a token, so that the server's 401 challenge names its
 * protected resource metadata and the scope to request (MCP "Authorization
 * Server Discovery"): in discovery mode, before anything was discovered or
 * a token was held. No I/O; thread-safe.
 *
 * Returns 1 (send it without a token), 0 (get a token first), or
 * MCP_OAUTH_E_BAD_HANDLE.
 */
MCP_OAUTH_API int mcp_oauth_needs_challenge(mcp_oauth *h);

/*
 * mcp_oauth_handle_response decides what to do with the MCP server's answer
 * to a request (RFC 6750 §3.1; MCP "Authorization", "Scope Challenge
 * Handling"):
 *   - 401: the challenge is recorded (its resource_metadata and scope steer
 *     discovery), `token` is invalidated and a new token obtained; send the
 *     request again only with a token that differs from the rejected one.
 *     A 401 to a request sent again after a 401 is
 *     MCP_OAUTH_E_TOKEN_REJECTED.
 *   - 403 with error="insufficient_scope": the scope is widened (step-up)
 *     and a token for it obtained; MCP_OAUTH_E_INSUFFICIENT_SCOPE after 3
 *     step-ups without a success; MCP_OAUTH_E_AUTHORIZATION_REQUIRED when
 *     a user must authorize the wider scope (then call again).
 *   - a status below 400 to a request with a token ends a series of
 *     step-ups. Any other response is final.
 *
 * status: the response's HTTP status. www_authenticate: its WWW-Authenticate
 * header values joined by ", " (RFC 9110 §5.3), or NULL. token: the access
 * token the request carried ("" for none; not NULL). previous_status: the
 * status of the response that made you send this request again with a new
 * token (401 or 403), 0 for a first request (or the one after a tokenless
 * probe).
 *
 * On MCP_OAUTH_OK, *out_token is NULL when the response is final, else the
 * token to send the same request again with (free it with
 * mcp_oauth_string_free()). Blocks only while a token is obtained (at most
 * about http_timeout_seconds per request made); mcp_oauth_cancel() ends that
 * wait. Thread-safe.
 *
 * Returns MCP_OAUTH_OK, MCP_OAUTH_E_INVALID_ARGUMENT (token or out_token
 * NULL, or a string not UTF-8), MCP_OAUTH_E_BAD_HANDLE,
 * MCP_OAUTH_E_TOKEN_REJECTED, MCP_OAUTH_E_INSUFFICIENT_SCOPE,
 * MCP_OAUTH_E_AUTHORIZATION_REQUIRED, MCP_OAUTH_E_CANCELLED, the discovery
 * codes of mcp_oauth_new(), and the codes of mcp_oauth_get_token().
 */
MCP_OAUTH_API int mcp_oauth_handle_response(mcp_oauth *h, int status,
                              const char *www_authenticate, const char *token,
                              int previous_status, char **out_token,
                              char **out_error);

/*
 * mcp_oauth_request_headers returns in *out_json the headers a request of
 * `method` to `url` must carry with `token`, exactly as mcp_client_connect()'s
 * sessions send them: a JSON object of header name to value holding the
 * configured mcp_headers and, for a token, "Authorization": "Bearer <token>"
 * (RFC 6750 §2.1) or, for the client's DPoP-bound token, "Authorization":
 * "DPoP <token>" and "Dpop": a fresh proof of its key for method, url and
 * token with the server's latest nonce (RFC 9449 §7.1, §9). Call it for every
 * send: a proof is good for one request. token "" (the probe of
 * mcp_oauth_needs_challenge()) adds no Authorization. No I/O; thread-safe.
 *
 * method: the request's HTTP method ("POST"). url: its absolute URL. token:
 * the access token to send ("" for none; not NULL). *out_json is freed with
 * mcp_oauth_string_free(); it may hold the token and configured header
 * values: do not log it.
 *
 * Returns MCP_OAUTH_OK, MCP_OAUTH_E_INVALID_ARGUMENT (a NULL argument, a
 * method that is not an HTTP method, a URL that is not absolute, a string not
 * UTF-8), MCP_OAUTH_E_BAD_HANDLE, MCP_OAUTH_E_PROTOCOL (a DPoP-bound token
 * held without its key).
 */
MCP_OAUTH_API int mcp_oauth_request_headers(mcp_oauth *h, const char *method,
                              const char *url, const char *token,
                              char **out_json, char **out_error);

/*
 * mcp_oauth_dpop_nonce takes a resource server's answer to a request sent to
 * `url` with `token`: it keeps the answer's DPoP-Nonce header value
 * (`dpop_nonce`, NULL or "" when it had none) for that server's next proofs
 * (RFC 9449 §9), and tells whether to send the same request once more with
 * the same token (and fresh mcp_oauth_request_headers()): a 401 whose DPoP
 * challenge says error="use_dpop_nonce", with a nonce not used before. Only
 * DPoP-bound tokens use nonces; for any other token it returns 0. Send again
 * for a nonce at most once per send; then hand the answer to
 * mcp_oauth_handle_response() as usual. No I/O; thread-safe.
 *
 * status: the answer's HTTP status. www_authenticate: its WWW-Authenticate
 * header values joined by ", ", or NULL.
 *
 * Returns 1 (send it again), 0, MCP_OAUTH_E_INVALID_ARGUMENT (url or token
 * NULL, a string not UTF-8), MCP_OAUTH_E_BAD_HANDLE.
 */
MCP_OAUTH_API int mcp_oauth_dpop_nonce(mcp_oauth *h, const char *url,
                              const char *token, int status,
                              const char *www_authenticate,
                              const char *dpop_nonce);

/*
 * mcp_oauth_authorize_begin starts an authorization code flow (RFC 6749
 * §4.1.1 with PKCE, RFC 7636 §4.3): it returns in *out_url the authorization
 * URL to open in the user's browser (response_type=code, client_id,
 * redirect_uri, scope, a fresh random state, code_challenge with
 * code_challenge_method=S256, resource), and in *out_state that state (pass
 * NULL if not needed). Both are freed with mcp_oauth_string_free().
 *
 * redirect_uri may be NULL to use the configured one. Pending flows are kept
 * by state (several may run at once) for 10 minutes. In discovery mode the
 * first call discovers the authorization server and may register the client:
 * network I/O bounded by http_timeout_seconds per request.
 *
 * Returns MCP_OAUTH_OK, MCP_OAUTH_E_INVALID_ARGUMENT (out_url NULL, or
 * redirect_uri not UTF-8), MCP_OAUTH_E_BAD_HANDLE, MCP_OAUTH_E_CONFIG (field
 * "redirect_uri": none given nor configured, or not an acceptable redirect
 * URI), MCP_OAUTH_E_UNSUPPORTED (no authorize_url configured).
 */
MCP_OAUTH_API int mcp_oauth_authorize_begin(mcp_oauth *h, const char *redirect_uri,
                              char **out_url, char **out_state,
                              char **out_error);

/*
 * mcp_oauth_authorize_complete finishes the flow with the URL the browser was
 * redirected to (RFC 6749 §4.1.2): it checks `state` against the pending
 * flows, checks `iss` when an issuer is configured (RFC 9207), turns an
 * `error=` response into MCP_OAUTH_E_AUTHORIZATION_DENIED, and exchanges the
 * code with the PKCE verifier (RFC 6749 §4.1.3, RFC 7636 §4.5). The tokens
 * then live in the handle: mcp_oauth_get_token() returns and refreshes them.
 * A state is usable once, whatever the outcome.
 *
 * Returns MCP_OAUTH_OK, MCP_OAUTH_E_INVALID_ARGUMENT, MCP_OAUTH_E_BAD_HANDLE,
 * MCP_OAUTH_E_STATE_MISMATCH, MCP_OAUTH_E_ISSUER_MISMATCH,
 * MCP_OAUTH_E_AUTHORIZATION_DENIED, MCP_OAUTH_E_NETWORK, MCP_OAUTH_E_TIMEOUT,
 * MCP_OAUTH_E_OAUTH, MCP_OAUTH_E_SERVER, MCP_OAUTH_E_PROTOCOL.
 */
MCP_OAUTH_API int mcp_oauth_authorize_complete(mcp_oauth *h, const char *redirect_url,
                                 char **out_error);

/*
 * mcp_oauth_authorize_interactive runs the whole authorization code flow for
 * a program with a user at hand (RFC 8252 §7.3): it listens on the loopback
 * redirect URI (redirect_uri when configured — it must be http on a loopback
 * host, and without a port it gets a free one; else a free port on
 * 127.0.0.1), starts the flow, shows the authorization URL, waits for the
 * browser to come back, and completes the flow. Only a response carrying the
 * flow's state is taken (others get HTTP 400 and the wait goes on); a second
 * response for that state aborts the login with MCP_OAUTH_E_STATE_MISMATCH
 * and keeps no token (another local process may be injecting its code,
 * RFC 9700 §4.5). The browser is told whether the login succeeded. It blocks until then
 * or for at most timeout_seconds: 0 means 300, INFINITY means no timeout,
 * a value beyond what the library can represent (about 292 years) is
 * clamped to it, and NaN or a negative value is MCP_OAUTH_E_INVALID_ARGUMENT.
 *
 * open_command NULL prints the URL on stderr; otherwise it names a program
 * (e.g. "xdg-open") started with the URL as its only argument, without a
 * shell.
 *
 * Returns MCP_OAUTH_OK, MCP_OAUTH_E_BAD_HANDLE, MCP_OAUTH_E_INVALID_ARGUMENT,
 * MCP_OAUTH_E_CONFIG (redirect_uri not loopback http, or its port in use),
 * MCP_OAUTH_E_TIMEOUT
 * (nobody came back in time), MCP_OAUTH_E_UNSUPPORTED, MCP_OAUTH_E_CANCELLED
 * (mcp_oauth_cancel()), and the codes of mcp_oauth_authorize_complete().
 */
MCP_OAUTH_API int mcp_oauth_authorize_interactive(mcp_oauth *h, const char *open_command,
                                    double timeout_seconds, char **out_error);

/*
 * mcp_oauth_open_fn shows the authorization URL to the user, for
 * mcp_oauth_authorize_interactive_callback(): called once per flow, on a
 * thread of the library, with the userdata given there and the URL (valid
 * during the call only). It should return promptly — open a browser, print
 * the URL, hand it to a user interface: the flow waits for the browser to
 * come back afterwards. It returns 0 when the URL was shown; any other value
 * ends the flow with MCP_OAUTH_E_INVALID_ARGUMENT.
 */
typedef int (*mcp_oauth_open_fn)(void *userdata, const char *url);

/*
 * mcp_oauth_authorize_interactive_callback is
 * mcp_oauth_authorize_interactive() with a function that shows the URL
 * instead of a program. userdata is passed to open unchanged; open NULL is
 * MCP_OAUTH_E_INVALID_ARGUMENT.
 *
 * Returns the codes of mcp_oauth_authorize_interactive().
 */
MCP_OAUTH_API int mcp_oauth_authorize_interactive_callback(mcp_oauth *h, mcp_oauth_open_fn open,
                                    void *userdata, double timeout_seconds,
                                    char **out_error);

/*
 * mcp_oauth_device_begin starts a device authorization (RFC 8628 §3.1), for
 * a user who signs in on another device: it posts the client's
 * authentication (as at the token endpoint), the scopes and the resource to
 * the device authorization endpoint (device_authorization_url, or in
 * discovery mode the authorization server's device_authorization_endpoint)
 * and returns in *out_json, freed with mcp_oauth_string_free(), a JSON
 * object to show the user:
 *     {"user_code": "WDJB-MJHT",
 *      "verification_uri": "https://as.example/device",
 *      "verification_uri_complete": "https://as.example/device?user_code=..."
 *                                   ("" when the server sent none),
 *      "expires_in": 600,    seconds until the codes expire
 *      "interval": 5}        seconds between polls
 * The device code stays inside the handle: one device authorization is
 * pending per handle, and a new mcp_oauth_device_begin() replaces it. Needs
 * the authorization_code grant (the default in discovery mode for public
 * clients, and with device_authorization_url). Network I/O bounded by
 * http_timeout_seconds per request (discovery first in discovery mode).
 *
 * Returns MCP_OAUTH_OK, MCP_OAUTH_E_INVALID_ARGUMENT (out_json NULL),
 * MCP_OAUTH_E_BAD_HANDLE, MCP_OAUTH_E_UNSUPPORTED (no device authorization
 * endpoint, or another grant type), MCP_OAUTH_E_NETWORK, MCP_OAUTH_E_TIMEOUT,
 * MCP_OAUTH_E_OAUTH, MCP_OAUTH_E_SERVER, MCP_OAUTH_E_PROTOCOL (a response
 * missing a required member, or whose user code or URIs are unfit to show),
 * and the discovery codes of mcp_oauth_new().
 */
MCP_OAUTH_API int mcp_oauth_device_begin(mcp_oauth *h, char **out_json, char **out_error);

/*
 * mcp_oauth_device_complete polls the token endpoint for the pending device
 * authorization (RFC 8628 §3.4) until the user decides: every `interval`
 * seconds, 5 more after each slow_down (§3.5). It blocks until the user
 * approves (the tokens then live in the handle, as after
 * mcp_oauth_authorize_complete()), denies, the codes expire, or
 * timeout_seconds pass (<= 0: no bound but the codes' expiry).
 *
 * After a timeout, a network failure, an HTTP error status or
 * mcp_oauth_cancel() the authorization stays pending and this function may
 * be called again; any other outcome ends it. A poll at the server when a
 * timeout or a cancellation ends the call is not cut off: the next call
 * takes its answer (the tokens, stored as they come, if the user approved). Concurrent calls on one handle poll the same
 * device code: call it from one thread at a time.
 *
 * Returns MCP_OAUTH_OK, MCP_OAUTH_E_BAD_HANDLE, MCP_OAUTH_E_INVALID_ARGUMENT
 * (no pending device authorization), MCP_OAUTH_E_AUTHORIZATION_DENIED
 * ("error": "access_denied"), MCP_OAUTH_E_TIMEOUT (timeout_seconds passed;
 * or the codes expired, with "error": "expired_token" in *out_error),
 * MCP_OAUTH_E_NETWORK, MCP_OAUTH_E_OAUTH, MCP_OAUTH_E_SERVER,
 * MCP_OAUTH_E_PROTOCOL, MCP_OAUTH_E_CANCELLED.
 */
MCP_OAUTH_API int mcp_oauth_device_complete(mcp_oauth *h, int timeout_seconds,
                              char **out_error);

/*
 * mcp_oauth_cancel ends every call on h that is blocked in another thread:
 * mcp_oauth_authorize_interactive() waiting for the browser,
 * mcp_oauth_device_complete() polling, mcp_oauth_device_begin(),
 * mcp_oauth_authorize_begin() and mcp_oauth_authorize_complete() talking to
 * the authorization server, and mcp_oauth_get_token() /
 * mcp_oauth_get_token_json() waiting for a token request. They return
 * MCP_OAUTH_E_CANCELLED promptly (a token request they were waiting for
 * may still complete and be cached). Calls started after mcp_oauth_cancel()
 * returns are not affected; the handle stays usable. Use it for a "Cancel"
 * button, or from a signal-handling thread (not from a signal handler
 * itself). Thread-safe; never blocks.
 *
 * Returns MCP_OAUTH_OK, or MCP_OAUTH_E_BAD_HANDLE.
 */
MCP_OAUTH_API int mcp_oauth_cancel(mcp_oauth *h);

/*
 * mcp_oauth_status describes what h holds and uses now, as a JSON object in
 * *out_json (free it with mcp_oauth_string_free()). It never holds a token,
 * a secret, a key or a password, so it may be printed or logged; every URL
 * in it is shown without userinfo and query. No network I/O; it starts
 * nothing. Members (a string not known yet is absent, a list may be []):
 *
 *   server_url             string, the MCP server (config server_url)
 *   grant_type             string, config grant_type
 *   discovered             bool, the authorization server is known
 *                          (configured, or found by discovery)
 *   has_token              bool, a valid access token is cached
 *   token_type             string, "Bearer" or "DPoP", of the cached token
 *   expires_at             string, RFC 3339 (UTC): when the cached token
 *                          expires; absent without a stated lifetime
 *   expires_in_seconds     number, seconds until then (negative once past)
 *   has_refresh_token      bool, a refresh token is held
 *   scopes                 list, the scopes granted to the cached token
 *   requested_scopes       list, the scopes the next token request asks for
 *   challenged_scopes      list, the scopes of the MCP server's latest
 *                          challenge (401, or 403 insufficient_scope)
 *   step_up_scopes         list, the scopes a step-up still needs a user
 *                          to authorize
 *   issuer                 string, the authorization server's issuer
 *   authorization_server   string, the one the protected resource metadata
 *                          listed and the library chose
 *   token_endpoint         string
 *   resource               string, the RFC 8707 resource indicator sent
 *   client_id              string, the client identifier in use
 *   client_source          string, "configured", "dynamic_registration" or
 *                          "client_id_metadata_document"
 *   token_endpoint_auth_method  string
 *   store                  object {"kind": "file", "dir": ...} or
 *                          {"kind": "<scheme>", "location": ...}; absent
 *                          when tokens are kept in memory only
 *   pending_authorizations number, authorization code flows begun
 *                          (mcp_oauth_authorize_begin) and not completed
 *   closed                 bool, present (true) once the handle is unusable
 *
 * Returns MCP_OAUTH_OK, MCP_OAUTH_E_BAD_HANDLE, or
 * MCP_OAUTH_E_INVALID_ARGUMENT (out_json is NULL).
 */
MCP_OAUTH_API int mcp_oauth_status(mcp_oauth *h, char **out_json, char **out_error);

/*
 * mcp_pkce_verifier generates a PKCE code verifier (RFC 7636 §4.1): 43
 * characters from the unreserved set, from 32 bytes of the system's
 * cryptographic random source. Free *out with mcp_oauth_string_free().
 *
 * Returns MCP_OAUTH_OK, MCP_OAUTH_E_INVALID_ARGUMENT (out is NULL),
 * MCP_OAUTH_E_INTERNAL (no randomness available).
 */
MCP_OAUTH_API int mcp_pkce_verifier(char **out);

/*
 * mcp_pkce_challenge derives the S256 code challenge of a verifier
 * (RFC 7636 §4.2): BASE64URL(SHA256(ASCII(verifier))) without padding.
 * Free *out with mcp_oauth_string_free().
 *
 * Returns MCP_OAUTH_OK, MCP_OAUTH_E_INVALID_ARGUMENT (NULL argument, or a
 * verifier that is not 43–128 characters of [A-Za-z0-9-._~]).
 */
MCP_OAUTH_API int mcp_pkce_challenge(const char *verifier, char **out);

/* ------------------------------------------------------------------------
 * MCP connections: the official MCP Go SDK's client transports (Streamable
 * HTTP and HTTP+SSE) with an mcp_oauth handle's tokens injected as
 * "Authorization: Bearer" on every request to the server's origin — never to
 * another origin. A 401 makes the client fetch a new token and retry once; a
 * 403 with error="insufficient_scope" widens the scope (step-up, at most 3
 * times, and at most 3 user authorizations in all, the first included). When
 * a user must authorize first (or again, after a step-up), the call returns
 * MCP_OAUTH_E_AUTHORIZATION_REQUIRED: run mcp_oauth_authorize_begin/complete
 * on the mcp_oauth handle and call again.
 * ------------------------------------------------------------------------ */

/* An MCP client session with one server. Opaque; safe to use from many
 * threads at once; released by mcp_client_close(). */
typedef struct mcp_client mcp_client;

/*
 * mcp_client_connect connects to the MCP server at server_url and performs
 * the MCP initialization, authorized by `auth` (typically created with
 * "server_url" set to the same URL). `auth` must outlive the client; freeing
 * it makes the client's calls fail.
 *
 * options_json may be NULL, or a JSON object with (all optional; an unknown
 * member is MCP_OAUTH_E_CONFIG):
 *   transport        "streamable_http" (default), "sse", or "auto": try
 *                    Streamable HTTP, and fall back to HTTP+SSE when the
 *                    server does not speak it (MCP 2025-03-26 "Backwards
 *                    Compatibility") — not after a failure of authorization,
 *                    of the network or a time-out, which HTTP+SSE would
 *                    only repeat
 *   client_name      the MCP clientInfo name (default "mcp-oauth")
 *   timeout_seconds  bound on connecting and on each request (default 60,
 *                    at most 3600)
 *
 * On success *out is a new client (close it with mcp_client_close()).
 *
 * Returns MCP_OAUTH_OK, MCP_OAUTH_E_INVALID_ARGUMENT, MCP_OAUTH_E_BAD_HANDLE,
 * MCP_OAUTH_E_CONFIG (options), MCP_OAUTH_E_AUTHORIZATION_REQUIRED, and any
 * code of mcp_oauth_get_token() or of discovery (MCP_OAUTH_E_DISCOVERY,
 * MCP_OAUTH_E_RESOURCE_MISMATCH, MCP_OAUTH_E_REGISTRATION),
 * MCP_OAUTH_E_TOKEN_REJECTED, MCP_OAUTH_E_MCP, MCP_OAUTH_E_CANCELLED
 * (mcp_oauth_cancel() on auth ends a connect in progress).
 */
MCP_OAUTH_API int mcp_client_connect(mcp_oauth *auth, const char *server_url,
                       const char *options_json, mcp_client **out,
                       char **out_error);

/*
 * mcp_client_list_tools returns in *out_json (free with
 * mcp_oauth_string_free()) {"tools": [...]}: the tools of every page of
 * tools/list (the library follows "nextCursor", at most 1000 pages), all
 * within timeout_seconds. (mcp_client_request(c, "tools/list", ...) returns
 * one page.)
 *
 * Returns MCP_OAUTH_OK, MCP_OAUTH_E_INVALID_ARGUMENT, MCP_OAUTH_E_BAD_HANDLE,
 * MCP_OAUTH_E_MCP, MCP_OAUTH_E_AUTHORIZATION_REQUIRED,
 * MCP_OAUTH_E_INSUFFICIENT_SCOPE, MCP_OAUTH_E_TOKEN_REJECTED,
 * MCP_OAUTH_E_PROTOCOL (the server repeated a cursor or returned more than
 * 1000 pages), and the codes of mcp_oauth_get_token().
 */
MCP_OAUTH_API int mcp_client_list_tools(mcp_client *c, char **out_json, char **out_error);

/*
 * mcp_client_call_tool calls the tool `name` with arguments_json (a JSON
 * object, or NULL for none) and returns the tools/call result as JSON in
 * *out_json (free with mcp_oauth_string_free()). A tool that fails reports
 * it in the result ("isError": true) with MCP_OAUTH_OK.
 *
 * Returns the codes of mcp_client_list_tools(); MCP_OAUTH_E_INVALID_ARGUMENT
 * also for arguments_json that is not valid JSON.
 */
MCP_OAUTH_API int mcp_client_call_tool(mcp_client *c, const char *name,
                         const char *arguments_json, char **out_json,
                         char **out_error);

/*
 * mcp_client_request sends an MCP request by method name with params_json
 * (a JSON object, or NULL) and returns its result as JSON in *out_json (free
 * with mcp_oauth_string_free()). Methods: ping, tools/list, tools/call,
 * resources/list, resources/read, resources/templates/list, prompts/list,
 * prompts/get, completion/complete; another method is MCP_OAUTH_E_CONFIG
 * (field "method").
 *
 * Returns the codes of mcp_client_call_tool() and MCP_OAUTH_E_CONFIG.
 */
MCP_OAUTH_API int mcp_client_request(mcp_client *c, const char *method,
                       const char *params_json, char **out_json,
                       char **out_error);

/*
 * mcp_client_list_skills returns the server's skills (the extension
 * io.modelcontextprotocol/skills, SEP-2640): the first page of skills/list
 * as JSON in *out_json (free with mcp_oauth_string_free()) — {"skills":
 * [{"uri", "frontmatter", "resources": [{"uri", "digest", "size"}]}],
 * "nextCursor"?}. Listing reads no skill file.
 *
 * Returns the codes of mcp_client_list_tools().
 */
MCP_OAUTH_API int mcp_client_list_skills(mcp_client *c, char **out_json, char **out_error);

/*
 * mcp_client_load_skill loads the skill whose SKILL.md is `uri`: reads its
 * files, SKILL.md first, and verifies each against the server's entry (size,
 * then the sha256 digest; and the SKILL.md's frontmatter field by field)
 * before reading the next. *out_json (free with mcp_oauth_string_free()) is
 * {"uri", "files": [{"uri", "text"}]}.
 *
 * Returns the codes of mcp_client_list_tools(); MCP_OAUTH_E_PROTOCOL when a
 * file fails verification (the skill is not loaded and no further file of
 * it is read); MCP_OAUTH_E_CONFIG (field "uri") when the server lists no
 * such skill.
 */
MCP_OAUTH_API int mcp_client_load_skill(mcp_client *c, const char *uri, char **out_json,
                          char **out_error);

/* ------------------------------------------------------------------------
 * Elicitation (MCP "Elicitation", form mode and URL mode): during one of the
 * client's requests (typically a tool call) the server asks the user either
 * to fill in a form or to open a URL (e.g. a third party's authorization
 * page). Without a callback every such request is declined at once.
 * ------------------------------------------------------------------------ */

/* One pending elicitation request. Opaque; valid from the callback's call
 * until it is answered with mcp_client_elicitation_reply() or its MCP request
 * ends (time-out, mcp_client_close()). */
typedef struct mcp_elicitation mcp_elicitation;

/*
 * An elicitation callback. request_json is a JSON object owned by the
 * library and valid only until the callback returns (copy what you keep):
 *   "mode"             "form" or "url"
 *   "message"          the server's message for the user
 *   "requestedSchema"  form mode: the form's JSON Schema, as the server sent
 *                      it (a flat object of primitive fields)
 *   "url", "elicitationId"  URL mode: the page to open, and its id
 * Answer every request exactly once with mcp_client_elicitation_reply(),
 * from the callback or later from any thread (e.g. once an asynchronous
 * dialog closes); the MCP request waits for the answer until its time-out
 * (then the server is told the elicitation failed).
 *
 * The callback runs on a library thread (not the one that called
 * mcp_client_call_tool()), possibly for several requests at once. It may
 * call mcp_client_elicitation_reply() and any function on other handles; it
 * must not wait for another call on the same mcp_client, nor close it.
 */
typedef void (*mcp_elicitation_fn)(void *userdata, mcp_elicitation *request,
                                   const char *request_json);

/*
 * mcp_client_set_elicitation_callback sets the callback that answers the
 * server's elicitation requests from now on (fn NULL: decline them all, the
 * default). userdata is passed to fn unchanged; it must stay valid while fn
 * is set. The client advertises both modes in any case.
 *
 * Returns MCP_OAUTH_OK, MCP_OAUTH_E_BAD_HANDLE (c is not a client).
 */
MCP_OAUTH_API int mcp_client_set_elicitation_callback(mcp_client *c, mcp_elicitation_fn fn,
                                        void *userdata, char **out_error);

/*
 * mcp_client_elicitation_reply answers an elicitation request. response_json
 * is NULL (decline), or a JSON object with
 *   "action"   "accept", "decline" or "cancel"
 *   "content"  form mode, with accept: the form's values (a JSON object);
 *              fields left out get the schema's defaults (SEP-1034)
 * After a successful reply `request` is no longer valid.
 *
 * Returns MCP_OAUTH_OK, MCP_OAUTH_E_INVALID_ARGUMENT (malformed
 * response_json; the request stays pending), MCP_OAUTH_E_BAD_HANDLE (request
 * unknown, already answered, or its MCP request has ended).
 */
MCP_OAUTH_API int mcp_client_elicitation_reply(mcp_elicitation *request,
                                 const char *response_json, char **out_error);

/*
 * mcp_client_close ends the session and releases the client; over Streamable
 * HTTP it tells the server (an HTTP DELETE, whose response is awaited for at
 * most http_timeout_seconds). NULL is a harmless no-op returning
 * MCP_OAUTH_OK.
 *
 * Returns MCP_OAUTH_OK, MCP_OAUTH_E_BAD_HANDLE (already closed, or not a
 * client).
 */
MCP_OAUTH_API int mcp_client_close(mcp_client *c);

/*
 * mcp_client_cancel ends every request on c that is blocked in another
 * thread (mcp_client_list_tools(), mcp_client_call_tool(),
 * mcp_client_request()): each returns MCP_OAUTH_E_CANCELLED promptly.
 * Requests started after mcp_client_cancel()
 * returns are not affected; the session stays usable. A connect in progress
 * is ended by mcp_oauth_cancel() on its mcp_oauth handle. Thread-safe;
 * never blocks.
 *
 * Returns MCP_OAUTH_OK, or MCP_OAUTH_E_BAD_HANDLE (NULL, closed, or not a
 * client).
 */
MCP_OAUTH_API int mcp_client_cancel(mcp_client *c);

/*
 * mcp_client_status describes the session c, as a JSON object in *out_json
 * (free it with mcp_oauth_string_free()); no network I/O, never a token or
 * a secret. Members:
 *
 *   server_url        string, without userinfo and query
 *   transport         string, "streamable_http" or "sse" (the one in use
 *                     after "auto")
 *   session_id        string, the Mcp-Session-Id the server assigned;
 *                     absent when it assigned none (always over "sse")
 *   protocol_version  string, the MCP version the initialization negotiated
 *   server_name       string, server_version string: the serverInfo
 *   auth              object, mcp_oauth_status() of the client's mcp_oauth
 *
 * Returns MCP_OAUTH_OK, MCP_OAUTH_E_BAD_HANDLE (NULL, closed, or not a
 * client), or MCP_OAUTH_E_INVALID_ARGUMENT (out_json is NULL).
 */
MCP_OAUTH_API int mcp_client_status(mcp_client *c, char **out_json, char **out_error);

/* ------------------------------------------------------------------------
 * Several MCP servers in one client: each named server has its own
 * authorization (an mcp_oauth configuration, kept inside) and its own
 * session, connected on first use. Failures of one server report its name in
 * out_error's "server" member.
 * ------------------------------------------------------------------------ */

/* Several named MCP servers. Opaque; safe to use from many threads at once;
 * released by mcp_client_multi_free(). */
typedef struct mcp_client_multi mcp_client_multi;

/*
 * mcp_client_multi_new creates a client for several MCP servers from
 * servers_json, a JSON object of server name to server description (decoded
 * strictly: an unknown member or a wrong type is MCP_OAUTH_E_CONFIG):
 *
 *   url              string, required: the MCP server's URL (https://, or
 *                    http:// on loopback)
 *   transport, client_name, timeout_seconds
 *                    as the options of mcp_client_connect()
 *   auth             an mcp_oauth configuration object (see mcp_oauth_new());
 *                    default {"server_url": url}. One with neither
 *                    "server_url" nor "token_url" gets "server_url": url.
 *
 * e.g. {"notes": {"url": "https://notes.example/mcp", "auth": {"client_id":
 * "...", "client_secret": "..."}}, "search": {"url":
 * "https://search.example/sse", "transport": "sse"}}.
 *
 * Every server's description is checked here (at least one server; names
 * not empty); "field" names the fault as "servers.<name>.<member>" (for
 * the configuration, "servers.<name>.auth.<member>") and "server" the
 * server, or "servers_json" for a malformed document. No network I/O
 * happens here. On success *out is a new handle (free it with
 * mcp_client_multi_free()).
 *
 * Returns MCP_OAUTH_OK, MCP_OAUTH_E_INVALID_ARGUMENT (servers_json or out is
 * NULL, or servers_json is not UTF-8), MCP_OAUTH_E_CONFIG.
 */
MCP_OAUTH_API int mcp_client_multi_new(const char *servers_json, mcp_client_multi **out,
                         char **out_error);

/*
 * mcp_client_multi_list_tools returns in *out_json (free with
 * mcp_oauth_string_free()) {"tools": [...]}: the tools of every server, in
 * the byte order of the server names, all pages of each (as
 * mcp_client_list_tools()), each tool object with a "server" member naming
 * its server. The servers are asked concurrently, those not yet connected
 * connected first; if any fails, the call fails with the first failing
 * server in that order, which out_error's "server" names.
 *
 * Blocks for at most about the largest timeout_seconds of the servers.
 *
 * Returns MCP_OAUTH_OK, MCP_OAUTH_E_INVALID_ARGUMENT (out_json NULL),
 * MCP_OAUTH_E_BAD_HANDLE, and the codes of mcp_client_connect() and
 * mcp_client_list_tools() (MCP_OAUTH_E_PROTOCOL also for a server that
 * repeats a cursor or returns more than 1000 pages).
 */
MCP_OAUTH_API int mcp_client_multi_list_tools(mcp_client_multi *m, char **out_json,
                                char **out_error);

/*
 * mcp_client_multi_call_tool calls the tool `name` of `server` with
 * arguments_json (a JSON object, or NULL for none) and returns the
 * tools/call result as JSON in *out_json (free with
 * mcp_oauth_string_free()), connecting to the server first if need be. A
 * tool that fails reports it in the result ("isError": true) with
 * MCP_OAUTH_OK.
 *
 * Returns the codes of mcp_client_multi_list_tools();
 * MCP_OAUTH_E_INVALID_ARGUMENT also for a NULL server or name, or
 * arguments_json that is not valid JSON; MCP_OAUTH_E_CONFIG (field
 * "server") for a server name that is not one of servers_json's.
 */
MCP_OAUTH_API int mcp_client_multi_call_tool(mcp_client_multi *m, const char *server,
                               const char *name, const char *arguments_json,
                               char **out_json, char **out_error);

/*
 * mcp_client_multi_authorize_interactive runs
 * mcp_oauth_authorize_interactive() with the authorization of `server`: use
 * it when a call returned MCP_OAUTH_E_AUTHORIZATION_REQUIRED with that
 * "server", then call again (a failed connection is retried on the next
 * call). open_command and timeout_seconds are as there.
 *
 * Returns the codes of mcp_oauth_authorize_interactive(), and
 * MCP_OAUTH_E_CONFIG (field "server") for an unknown server name;
 * MCP_OAUTH_E_INVALID_ARGUMENT also for a NULL server.
 */
MCP_OAUTH_API int mcp_client_multi_authorize_interactive(mcp_client_multi *m,
                                           const char *server,
                                           const char *open_command,
                                           double timeout_seconds,
                                           char **out_error);

/*
 * mcp_client_multi_list_server_tools is mcp_client_multi_list_tools() for
 * one server: {"tools": [...]} of `server` only, each tool with its
 * "server" member; no other server is connected.
 *
 * Returns the codes of mcp_client_multi_list_tools();
 * MCP_OAUTH_E_INVALID_ARGUMENT also for a NULL server; MCP_OAUTH_E_CONFIG
 * (field "server") for an unknown server name.
 */
MCP_OAUTH_API int mcp_client_multi_list_server_tools(mcp_client_multi *m,
                                       const char *server, char **out_json,
                                       char **out_error);

/*
 * mcp_client_multi_set_auth makes `server` use the tokens of `auth`, an
 * mcp_oauth of the caller's, instead of the authorization made from its
 * "auth" description (which is released). `auth` is not taken over: it must
 * outlive m, and the caller frees it after mcp_client_multi_free(). Call it
 * before the server is first used: once connected, the authorization can no
 * longer change (MCP_OAUTH_E_INVALID_ARGUMENT).
 *
 * Returns MCP_OAUTH_OK, MCP_OAUTH_E_BAD_HANDLE (m or auth),
 * MCP_OAUTH_E_INVALID_ARGUMENT (NULL server, or the server is connected),
 * MCP_OAUTH_E_CONFIG (field "server") for an unknown server name.
 */
MCP_OAUTH_API int mcp_client_multi_set_auth(mcp_client_multi *m, const char *server,
                              mcp_oauth *auth, char **out_error);

/*
 * mcp_client_multi_session connects to `server` if need be and returns in
 * *out an mcp_client for its session, for the requests of mcp_client_*
 * (each bounded by the server's timeout_seconds). The session stays m's:
 * close the returned client with mcp_client_close(), which does not end the
 * session, and before mcp_client_multi_free(), after which its calls fail.
 * Every call returns a new mcp_client for the same session.
 *
 * Returns the codes of mcp_client_multi_call_tool(), without those of a
 * tool call; MCP_OAUTH_E_INVALID_ARGUMENT also for a NULL out.
 */
MCP_OAUTH_API int mcp_client_multi_session(mcp_client_multi *m, const char *server,
                             mcp_client **out, char **out_error);

/*
 * mcp_client_multi_free ends every server's session (as mcp_client_close()
 * does) and releases the client with its authorizations. A call running on
 * another thread at the same time completes, fails, or returns
 * MCP_OAUTH_E_BAD_HANDLE. NULL is a harmless no-op returning MCP_OAUTH_OK.
 *
 * Returns MCP_OAUTH_OK, MCP_OAUTH_E_BAD_HANDLE (already freed, or not an
 * mcp_client_multi — nothing is freed twice).
 */
MCP_OAUTH_API int mcp_client_multi_free(mcp_client_multi *m);

/*
 * mcp_client_multi_cancel ends every call on m that is blocked in another
 * thread (mcp_client_multi_list_tools(),
 * mcp_client_multi_list_server_tools(), mcp_client_multi_call_tool(),
 * mcp_client_multi_session(), mcp_client_multi_authorize_interactive()),
 * each returning
 * MCP_OAUTH_E_CANCELLED promptly. Calls started after it returns are not
 * affected; the client stays usable. Thread-safe; never blocks.
 *
 * Returns MCP_OAUTH_OK, or MCP_OAUTH_E_BAD_HANDLE (NULL, freed, or not an
 * mcp_client_multi).
 */
MCP_OAUTH_API int mcp_client_multi_cancel(mcp_client_multi *m);

/* ------------------------------------------------------------------------
 * Logging: what the library does (discovery steps, registrations, token
 * requests, refreshes, retries, step-ups, HTTP exchanges), as events. No
 * event carries a credential: no client secret, token, authorization code,
 * PKCE verifier or URL query. Logging applies to the whole process and is off
 * by default. Three sinks, independent of one another:
 *   - the environment variable MCP_OAUTH_LOG=debug|info|warn|error, read when
 *     the library loads: one line per event to stderr,
 *       mcp-oauth: DEBUG token.request: token request grant_type=... endpoint=...
 *   - a callback (mcp_oauth_set_log_callback),
 *   - a buffer the caller drains (mcp_oauth_log_buffer, mcp_oauth_log_drain),
 *     for callers that cannot be called back from the library's threads.
 * docs/concepts.md ("Logging") lists the events.
 * ------------------------------------------------------------------------ */

/* Log levels (the numbers of Python's logging module). 0 turns a sink off. */
#define MCP_OAUTH_LOG_DEBUG 10
#define MCP_OAUTH_LOG_INFO 20
#define MCP_OAUTH_LOG_WARN 30
#define MCP_OAUTH_LOG_ERROR 40

/*
 * A log callback. level is an MCP_OAUTH_LOG_* level; event a stable name
 * such as "token.request"; message a line of text (a sentence, then the
 * fields as key=value); fields_json the fields as a JSON object. The strings
 * are owned by the library and valid only until the callback returns.
 *
 * The callback runs on library threads, any of them, but never twice at once
 * (calls are serialised). It must return promptly and must not call the
 * library's functions: it may be called while the library holds a lock.
 */
typedef void (*mcp_oauth_log_fn)(void *userdata, int level, const char *event,
                                 const char *message, const char *fields_json);

/*
 * mcp_oauth_set_log_callback sends every event of min_level or above to fn
 * from now on, in the whole process (fn NULL or min_level 0: no more calls;
 * a call already under way may still finish). userdata is passed to fn
 * unchanged; it must stay valid while fn is set. Thread-safe.
 *
 * Returns MCP_OAUTH_OK, MCP_OAUTH_E_INVALID_ARGUMENT (min_level is neither 0
 * nor from MCP_OAUTH_LOG_DEBUG to MCP_OAUTH_LOG_ERROR).
 */
MCP_OAUTH_API int mcp_oauth_set_log_callback(mcp_oauth_log_fn fn, void *userdata, int min_level);

/*
 * mcp_oauth_log_buffer keeps every event of min_level or above, in the whole
 * process, until mcp_oauth_log_drain() takes them (min_level 0: stop and
 * forget the events kept). At most 1000 are kept: beyond that the oldest are
 * dropped, and the next drain starts with a "log.dropped" event counting
 * them. Thread-safe.
 *
 * Returns MCP_OAUTH_OK, MCP_OAUTH_E_INVALID_ARGUMENT (min_level is neither 0
 * nor from MCP_OAUTH_LOG_DEBUG to MCP_OAUTH_LOG_ERROR).
 */
MCP_OAUTH_API int mcp_oauth_log_buffer(int min_level);

/*
 * mcp_oauth_log_drain takes the events kept since the last drain: *out is a
 * JSON array, oldest first, of objects {"level", "event", "message",
 * "fields"} (the callback's arguments), "[]" when there are none; free it
 * with mcp_oauth_string_free(). Thread-safe.
 *
 * Returns MCP_OAUTH_OK, MCP_OAUTH_E_INVALID_ARGUMENT (out is NULL).
 */
MCP_OAUTH_API int mcp_oauth_log_drain(char **out);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* MCP_OAUTH_H */
