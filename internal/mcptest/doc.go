// Package mcptest provides a bearer-protected MCP server, built on the
// official MCP Go SDK, with its oauthtest authorization server, for testing
// MCP clients' authorization (MCP 2025-11-25 "Authorization").
//
// The server has four tools: echo ({"text": string}), add ({"a": number,
// "b": number}) and whoami (the client ID and scopes of the token), which
// need scope mcp:read, and write_note ({"text": string}), which needs
// mcp:read and mcp:write. It serves them over both transports on one
// origin:
//
//	/mcp   Streamable HTTP (MCP 2025-03-26 and later)
//	/sse   HTTP+SSE (MCP 2024-11-05); messages are POSTed to /sse?sessionid=…
//
// Every request must carry an access token of the authorization server in
// the Authorization header. A missing, unknown, expired or wrong-audience
// token gets 401 with
//
//	WWW-Authenticate: Bearer resource_metadata="<origin>/.well-known/oauth-protected-resource/mcp", scope="mcp:read"
//
// (preceded by error="invalid_token" for a token that was sent), and a call
// of write_note with a token lacking mcp:write gets 403 with
//
//	WWW-Authenticate: Bearer error="insufficient_scope", scope="mcp:read mcp:write", resource_metadata="…"
//
// A token restricted to resources (RFC 8707) is accepted when one of them
// is the endpoint's URL (…/mcp or …/sse) or the origin, the resources that
// the protected resource metadata (RFC 9728) names:
//
//	GET /.well-known/oauth-protected-resource/mcp   resource <origin>/mcp
//	GET /.well-known/oauth-protected-resource/sse   resource <origin>/sse
//	GET /.well-known/oauth-protected-resource       resource <origin>
//	GET /_test/mcp_counts                           Counts as JSON
//	POST /_test/migrate_as                          MigrateAS: {"as": URL of the new server}
//
// With Options.DPoP the server also takes DPoP-bound tokens (RFC 9449,
// dpop.go): its challenges add a DPoP challenge, and a bound token must come
// as "Authorization: DPoP" with a valid, fresh proof of its key;
// Options.DPoPRequired takes nothing else, and Options.DPoPRequireNonce
// demands its nonce (use_dpop_nonce). MigrateAS moves the server to a new
// authorization server (MCP 2026-07-28, SEP-2352).
//
// The fields of Options make the server awkward in the ways MCP clients must
// cope with: metadata for another resource, no metadata (MCP 2025-03-26,
// optionally with the authorization server on the same origin), challenges
// without resource_metadata or scope, and the authorization server options
// of package oauthtest (issuer with a path, metadata at some well-known
// locations only, no PKCE advertisement, scopes_supported with or without
// offline_access, no registration or Client ID Metadata Documents).
//
// The server is meant for tests only: it keeps all state in memory and its
// control API is unauthenticated.
package mcptest
