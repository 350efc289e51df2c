// Package core is the mcp-oauth engine: an OAuth 2.1 client for MCP clients.
//
// It holds the configuration ([Config]), a token manager ([TokenManager]) that
// caches, single-flights and proactively refreshes access tokens obtained by
// the client_credentials, authorization_code (with PKCE) and refresh_token
// grants, and the PKCE helpers. It is pure Go; the C ABI in capi/ only
// marshals to and from it.
package core
