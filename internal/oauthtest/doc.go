// Package oauthtest provides a strict, in-memory OAuth 2.1 authorization
// server for tests.
//
// The server implements the authorization code grant with mandatory S256
// PKCE (RFC 6749 §4.1, RFC 7636), the client credentials grant (RFC 6749
// §4.4), rotating refresh tokens (RFC 6749 §6), resource indicators
// (RFC 8707), authorization server metadata (RFC 8414) and the authorization
// response iss parameter (RFC 9207), and serves a small protected resource
// (RFC 6750). Authorization requests are approved at once, without user
// interaction, and grant exactly the requested scope.
//
// Clients are configured (Options.Clients), registered dynamically
// (RFC 7591), or identified by the URL of a Client ID Metadata Document
// (draft-ietf-oauth-client-id-metadata-document-00, MCP 2025-11-25), which
// the server fetches. They authenticate with a secret (client_secret_basic,
// client_secret_post), a JWT signed with ES256 or RS256 (private_key_jwt,
// RFC 7523 §2.2), or not at all (public clients). A resource server in the
// same process validates tokens with [Server.Introspect].
//
// With Options.DPoP, token requests carrying a DPoP proof (RFC 9449 §5) get
// tokens bound to its key (dpop.go: proof checks, nonces, jti replay
// refusal; [DPoPVerifier] serves resource servers too). With
// Options.WorkloadIdentityKey or IssueWorkloadTokens, the jwt-bearer grant
// (RFC 7523 §2.1) takes workload identity JWTs (workload.go).
//
// Endpoints, relative to Server.URL, for an issuer without path (see
// Options.IssuerPath and Options.MetadataLocations for the others):
//
//	GET  /.well-known/oauth-authorization-server   metadata (RFC 8414 §3)
//	GET  /.well-known/openid-configuration         the same document
//	GET  /authorize                                authorization endpoint
//	POST /token                                    token endpoint
//	POST /register                                 client registration (RFC 7591 §3)
//	GET  /protected                                protected resource
//
// Go tests control the server with the methods of [Server]. Tests that run
// the cmd/oauth-test-server binary use the equivalent JSON control API:
//
//	GET  /_test/counts                 Counts as JSON
//	GET  /_test/token_requests         TokenRequests as JSON, without secrets
//	GET  /_test/registrations          Registrations as JSON
//	POST /_test/reset                  Reset
//	POST /_test/config                 {"token_lifetime_ms":n, "latency_ms":n,
//	                                    "refresh_tokens_for_client_credentials":b}
//	                                   (each optional)
//	POST /_test/fail                   {"count":n (default 1), "status":n, "body":s,
//	                                    "content_type":s, "header":{...}, "mode":s}
//	POST /_test/revoke_refresh_tokens  RevokeRefreshTokens
//	POST /_test/revoke_access_tokens   RevokeAccessTokens
//	POST /_test/deny                   {"error":"access_denied"}; {"error":""} approves
//	POST /_test/deny_registration      {"error":"invalid_client_metadata"}; {"error":""} accepts
//	POST /_test/revoke_registrations   RevokeRegistrations
//	POST /_test/workload_token         {"sub":s, "lifetime_ms":n}: {"token": a signed
//	                                   workload JWT} (Options.IssueWorkloadTokens)
//
// Control requests answer {"ok":true}, or 400 with {"error":"..."} for an
// invalid request; unknown JSON fields are refused.
//
// The server is meant for tests only: it keeps all state in memory and its
// control API is unauthenticated.
package oauthtest
