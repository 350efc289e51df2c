// Package core is the mcp-oauth engine: an OAuth 2.1 client for MCP clients.
//
// It holds the configuration ([Config]), a token manager ([TokenManager]) that
// caches, single-flights and proactively refreshes access tokens obtained by
// the client_credentials, authorization_code (with PKCE) and refresh_token
// grants, and the PKCE helpers. It is pure Go; the C ABI in capi/ only
// marshals to and from it. MCP sessions are in the package core/mcpclient,
// which builds on this one; core never imports it.
//
// MCP 2026-07-28 and the auth extensions each have their files: DPoP-bound
// tokens (RFC 9449) in dpop.go (keys, proofs, nonces) and dpop_use.go (when
// and how they are used), the authorization-server migration (SEP-2352) in
// migration.go, and workload identity federation (RFC 7523 §2.1) in wif.go.
//
// The files by concern:
//
//   - Configuration: config.go (the schema's single source), timeout.go,
//     jsonstrict.go, version.go.
//   - Token engine: manager.go, token.go, tokenendpoint.go, response.go,
//     retry.go, limiter.go, clientauth_jwt.go, pkce.go, authcode.go,
//     loopback.go, interactive.go, opener.go, login.go (the login the manager
//     drives itself), device.go, devicepending.go, devicepoll.go (a poll
//     awaited past its caller), crossapp.go, wif.go, dpop.go, dpop_use.go,
//     status.go (what a manager shows of its state, never a secret).
//   - Discovery and registration: wwwauth.go, prm.go, asmeta.go,
//     discovery.go, discoveryfetch.go, metadatajson.go, netreach.go,
//     urls.go, identity.go, registration.go, reregister.go, scopes.go,
//     stepup.go, migration.go, servers.go (one token set per MCP server, one
//     registration per authorization server), nomcp.go (is an MCP endpoint
//     at the URL), metadatacache.go (metadata kept in the store while HTTP
//     caching allows).
//   - Token store: store.go, storeapi.go, storelock.go, storelock_other.go,
//     storefiles_unix.go, storefiles_other.go, persist.go, fingerprint.go.
//   - Each MCP request's authorization: transport.go and respond.go (the
//     bearer or DPoP proof on each request, what a 401 or 403 means),
//     authorize.go (those headers for a caller's own HTTP client),
//     mcpheaders.go (the configured extra headers), sessionend.go (the
//     DELETE ending a session never obtains a token), mcpaccess.go (what
//     core/mcpclient uses beyond the public API).
//   - Logging and networks: log.go (the events and the process's handler),
//     logentry.go (an event as front ends deliver it), proxy.go
//     (HTTPS_PROXY, NO_PROXY at each request), hostenv.go (the host
//     process's live environment), httpclient.go (pools per CA set).
//   - Errors: errors.go, discovery_errors.go, classify.go (the one
//     classification every front end maps), redact.go, printable.go.
package core
