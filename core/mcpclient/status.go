package mcpclient

import "github.com/mcp-oauth-client/mcp-oauth-client/core"

// SessionStatus is what an [MCPSession] shows of itself
// ([MCPSession.Status]): the session the server assigned, what the MCP
// initialization negotiated, and the state of the authorization behind it.
// Like [core.Status] it never holds a token or a secret; the server URL is shown
// without its userinfo and query.
type SessionStatus struct {
	// ServerURL is the MCP server's URL.
	ServerURL string `json:"server_url"`
	// Transport is the transport in use: "streamable_http" or "sse" (after
	// a fallback of "auto", the one that worked).
	Transport string `json:"transport"`
	// SessionID is the Mcp-Session-Id the server assigned (MCP "Session
	// Management"); "" when it assigned none, and over HTTP+SSE.
	SessionID string `json:"session_id,omitempty"`
	// ProtocolVersion is the MCP protocol version the initialization
	// negotiated (MCP "Lifecycle", Version Negotiation).
	ProtocolVersion string `json:"protocol_version,omitempty"`
	// ServerName and ServerVersion are the server's serverInfo.
	ServerName    string `json:"server_name,omitempty"`
	ServerVersion string `json:"server_version,omitempty"`
	// Auth is the status of the session's token manager.
	Auth core.Status `json:"auth"`
}

// sessionInfo is what a session keeps for its Status.
type sessionInfo struct {
	manager   *core.TokenManager
	serverURL string
	transport string
}

// Status returns the session's state without I/O (see [SessionStatus]).
func (s *MCPSession) Status() SessionStatus {
	st := SessionStatus{
		ServerURL: core.ShownURL(s.status.serverURL), Transport: s.status.transport,
		SessionID: s.session.ID(), Auth: s.status.manager.Status(),
	}
	if r := s.session.InitializeResult(); r != nil {
		st.ProtocolVersion = r.ProtocolVersion
		if r.ServerInfo != nil {
			st.ServerName, st.ServerVersion = r.ServerInfo.Name, r.ServerInfo.Version
		}
	}
	return st
}
