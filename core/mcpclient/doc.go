// Package mcpclient is the MCP connection layer of mcp-oauth: MCP sessions
// authorized by a [core.TokenManager] through core's [core.Transport]. It
// imports core; core never imports it. The front ends (capi, the CLI) use
// both.
//
// Its files:
//
//   - mcpconn.go: [ConnectMCP] and [MCPSession] — the transport choice
//     (Streamable HTTP, HTTP+SSE, or auto with fallback), the requests
//     ([MCPSession.Request]'s switch is the table of supported MCP methods),
//     and the bounded tool lister ([MCPSession.ListTools], [MaxToolPages]).
//   - mcpbody.go: the cap on each response body and SSE event
//     (Config.MCPMaxResponseBytes).
//   - elicit.go: elicitation requests from the server and the caller's
//     answers.
//   - skills.go: skills served as MCP resources, verified before use.
//   - multiserver.go: [MultiServer], several named servers in one client.
//
// Errors are core's ([core.Classify] tells them apart), among them
// [core.MultiServerError] and [core.ResponseTooLargeError].
package mcpclient
