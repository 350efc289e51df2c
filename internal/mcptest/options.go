package mcptest

import (
	"io"
	"slices"

	"github.com/mcp-oauth-client/mcp-oauth-client/internal/oauthtest"
)

// Scopes of the MCP server: every request needs ScopeRead, and calls of the
// write_note tool also need ScopeWrite.
const (
	ScopeRead  = "mcp:read"
	ScopeWrite = "mcp:write"
)

// defaultASScopes is the scopes_supported of the authorization server when
// Options.AS.ScopesSupported is nil.
var defaultASScopes = []string{ScopeRead, ScopeWrite, "offline_access"}

// Options configures a Server. The zero value serves a well-behaved MCP
// server with its authorization server on another port; the other fields
// make it awkward in the ways MCP clients must cope with.
type Options struct {
	// Addr is the TCP listen address of the MCP server; default
	// "127.0.0.1:0".
	Addr string
	// BaseURL, when set, is the MCP server's origin instead of its listen
	// address (e.g. https://mcp.example.test, reached through a
	// TLS-terminating proxy such as proxytest's); AS.BaseURL is the
	// authorization server's.
	BaseURL string
	// AS configures the authorization server. Its ScopesSupported defaults
	// to mcp:read, mcp:write and offline_access; set it without
	// offline_access to test clients that must then not request it.
	AS oauthtest.Options
	// CoHostAS serves the authorization server on the MCP server's origin,
	// its issuer, instead of its own port, as MCP 2025-03-26 servers did.
	// AS.Addr, AS.Listener and AS.Fallback are then ignored. With NoPRM,
	// clients must find the authorization server metadata at the MCP
	// server's origin.
	CoHostAS bool
	// PRMResource, when set, is the resource that every protected resource
	// metadata document announces instead of its own resource identifier;
	// clients must then refuse to authorize (RFC 9728 §3.3).
	PRMResource string
	// NoPRM serves no protected resource metadata (RFC 9728) and leaves
	// resource_metadata out of challenges, as MCP 2025-03-26 servers did.
	NoPRM bool
	// OmitResourceMetadata leaves resource_metadata out of challenges while
	// still serving the metadata at its well-known locations, which clients
	// must then probe (MCP 2025-11-25 "Protected Resource Metadata Discovery
	// Requirements").
	OmitResourceMetadata bool
	// OmitChallengeScope leaves scope out of 401 challenges, so that clients
	// fall back to the scopes_supported of the metadata. 403
	// insufficient_scope challenges always carry it.
	OmitChallengeScope bool
	// PRMCacheControl, when set, is the Cache-Control header of the
	// protected resource metadata responses (RFC 9111 §5.2), e.g.
	// "no-store"; by default there is none. AS.MetadataCacheControl is the
	// authorization server's.
	PRMCacheControl string
	// OmitPRMScopes leaves scopes_supported out of the protected resource
	// metadata, so that clients without a challenge scope omit scope.
	OmitPRMScopes bool
	// RequireResource refuses tokens issued without a resource indicator
	// (RFC 8707), whose audience is unrestricted; by default only tokens
	// for another resource are refused.
	RequireResource bool
	// DPoP makes the server accept DPoP-bound tokens (RFC 9449 §7): its 401
	// challenges offer the DPoP scheme besides Bearer, a DPoP-bound token
	// must come with the DPoP scheme and a valid proof of its key (fresh
	// jti, htm, htu, ath), and the authorization server does DPoP
	// (oauthtest.Options.DPoP).
	DPoP bool
	// DPoPRequired accepts DPoP-bound tokens only: the protected resource
	// metadata says dpop_bound_access_tokens_required, challenges offer
	// only DPoP, and Bearer tokens are refused. It implies DPoP.
	DPoPRequired bool
	// DPoPRequireNonce makes proofs carry the server's nonce: one without
	// it is answered 401 use_dpop_nonce with a DPoP-Nonce (RFC 9449 §9).
	DPoPRequireNonce bool
	// SkillTamper serves the skill "greeting" (core/mcpclient/skills.go) with its
	// SKILL.md altered after its entry was made: "digest" (same size,
	// other bytes), "size" (bytes added) or "frontmatter" (the entry's
	// digest and size match, its frontmatter does not). "" serves it
	// intact.
	SkillTamper string
	// ToolsPageSize, when positive, is how many tools one tools/list page
	// holds (MCP "Pagination"), so that clients must follow nextCursor; by
	// default every tool fits one page.
	ToolsPageSize int
	// RequestLog, when non-nil, receives one line per request with the
	// method, path, status and duration, never a token. With CoHostAS it
	// is also the authorization server's log unless AS.RequestLog is set.
	RequestLog io.Writer
}

// asOptions returns the options of the authorization server.
func (o Options) asOptions() oauthtest.Options {
	as := o.AS
	if as.ScopesSupported == nil {
		as.ScopesSupported = slices.Clone(defaultASScopes)
	}
	if o.dpop() {
		as.DPoP = true
	}
	if o.CoHostAS && as.RequestLog == nil {
		as.RequestLog = o.RequestLog
	}
	return as
}

// dpop reports whether the server does DPoP.
func (o Options) dpop() bool { return o.DPoP || o.DPoPRequired || o.DPoPRequireNonce }
