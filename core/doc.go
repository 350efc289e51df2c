// Package core is the mcp-oauth engine: an OAuth 2.1 client for MCP clients.
//
// It holds the configuration ([Config]), a token manager ([TokenManager]) that
// caches, single-flights and proactively refreshes access tokens obtained by
// the client_credentials, authorization_code (with PKCE) and refresh_token
// grants, and the PKCE helpers. It is pure Go; the C ABI in capi/ only
// marshals to and from it.
//
// MCP 2026-07-28 and the auth extensions each have their files: DPoP-bound
// tokens (RFC 9449) in dpop.go (keys, proofs, nonces) and dpop_use.go (when
// and how they are used), the authorization-server migration (SEP-2352) in
// migration.go, and workload identity federation (RFC 7523 §2.1) in wif.go.
package core
