package core

import (
	"context"
	"net/http"
	"net/url"
	"strings"
)

const (
	docPRM             = "protected resource metadata"
	wellKnownPRMSuffix = "/.well-known/oauth-protected-resource"
)

// ProtectedResourceMetadata is an OAuth 2.0 Protected Resource Metadata
// document (RFC 9728 §2) that has been validated for one MCP server.
type ProtectedResourceMetadata struct {
	Resource                              string   `json:"resource"`
	AuthorizationServers                  []string `json:"authorization_servers,omitempty"`
	JWKSURI                               string   `json:"jwks_uri,omitempty"`
	ScopesSupported                       []string `json:"scopes_supported,omitempty"`
	BearerMethodsSupported                []string `json:"bearer_methods_supported,omitempty"`
	ResourceSigningAlgValuesSupported     []string `json:"resource_signing_alg_values_supported,omitempty"`
	ResourceName                          string   `json:"resource_name,omitempty"`
	ResourceDocumentation                 string   `json:"resource_documentation,omitempty"`
	ResourcePolicyURI                     string   `json:"resource_policy_uri,omitempty"`
	ResourceTOSURI                        string   `json:"resource_tos_uri,omitempty"`
	TLSClientCertificateBoundAccessTokens bool     `json:"tls_client_certificate_bound_access_tokens,omitempty"`
	AuthorizationDetailsTypesSupported    []string `json:"authorization_details_types_supported,omitempty"`
	DPoPSigningAlgValuesSupported         []string `json:"dpop_signing_alg_values_supported,omitempty"`
	DPoPBoundAccessTokensRequired         bool     `json:"dpop_bound_access_tokens_required,omitempty"`

	// MetadataURL is where the document was fetched; not a metadata member.
	MetadataURL string `json:"-"`
}

// prmWire is the document as sent, decoded leniently.
type prmWire struct {
	Resource                              string   `json:"resource"`
	AuthorizationServers                  strList  `json:"authorization_servers"`
	JWKSURI                               string   `json:"jwks_uri"`
	ScopesSupported                       strList  `json:"scopes_supported"`
	BearerMethodsSupported                strList  `json:"bearer_methods_supported"`
	ResourceSigningAlgValuesSupported     strList  `json:"resource_signing_alg_values_supported"`
	ResourceName                          string   `json:"resource_name"`
	ResourceDocumentation                 string   `json:"resource_documentation"`
	ResourcePolicyURI                     string   `json:"resource_policy_uri"`
	ResourceTOSURI                        string   `json:"resource_tos_uri"`
	TLSClientCertificateBoundAccessTokens flexBool `json:"tls_client_certificate_bound_access_tokens"`
	AuthorizationDetailsTypesSupported    strList  `json:"authorization_details_types_supported"`
	DPoPSigningAlgValuesSupported         strList  `json:"dpop_signing_alg_values_supported"`
	DPoPBoundAccessTokensRequired         flexBool `json:"dpop_bound_access_tokens_required"`
}

// DiscoverProtectedResource finds and validates the protected resource
// metadata of the MCP server at serverURL (MCP authorization, "Protected
// Resource Metadata Discovery Requirements"; RFC 9728 §3). It tries, in
// order: resourceMetadataURL (the resource_metadata parameter of the 401's
// WWW-Authenticate challenge) when not "", the path-inserted well-known URL
// (https://host/.well-known/oauth-protected-resource/<path>) when the server
// URL has a path or query, then the root well-known URL. A candidate
// answering any 4xx (Cognito answers 400, CDNs 401/403), something other
// than a JSON object, or a redirect to another origin is skipped.
//
// The document's resource must identify serverURL (see
// [ResourceMatchesServer]); from the path-inserted well-known URL it must
// be serverURL itself, as RFC 9728 §3.3 requires (a server at
// /tenants/a/mcp publishing there a resource for the whole host is not
// believed); one that does not is never used, and when no
// candidate yields a matching document the error is a
// [*ResourceMismatchError]. The document must list at least one
// authorization server with a usable https URL (others are dropped).
//
// Every URL must pass the discovery URL checks (https except on loopback
// hosts, no link-local or cloud metadata address), redirects are followed
// only within the origin, bodies are capped at 1 MiB, and each request is
// bounded by client's timeout and ctx. client nil uses a default client.
// When nothing is found the error wraps [ErrMetadataNotFound]: the server
// may be a 2025-03-26 server (see [LegacyAuthServerMetadata]).
func DiscoverProtectedResource(ctx context.Context, client *http.Client, serverURL, resourceMetadataURL string) (*ProtectedResourceMetadata, error) {
	prm, _, err := discoverPRM(ctx, client, serverURL, resourceMetadataURL)
	return prm, err
}

// discoverPRM is DiscoverProtectedResource, which also returns the
// document as fetched (for the metadata cache).
func discoverPRM(ctx context.Context, client *http.Client, serverURL, resourceMetadataURL string) (*ProtectedResourceMetadata, fetchedDoc, error) {
	accept, err := prmAcceptor(serverURL)
	if err != nil {
		return nil, fetchedDoc{}, err
	}
	serverURL, _, _ = strings.Cut(serverURL, "#")
	server, _ := url.Parse(serverURL)
	var candidates []string
	if resourceMetadataURL != "" {
		candidates = append(candidates, resourceMetadataURL)
	}
	wellKnown := prmWellKnownURLs(server)
	for _, c := range wellKnown {
		if c != resourceMetadataURL {
			candidates = append(candidates, c)
		}
	}
	var got fetchedDoc
	prm, err := discoverFirst(ctx, noRedirectClient(client), docPRM, candidates, func(f fetchedDoc) (*ProtectedResourceMetadata, error) {
		got = f
		return accept(f)
	})
	return prm, got, err
}

// prmAcceptor returns the validation of a protected resource metadata
// document fetched for serverURL: the document at the path-inserted URL
// must name the server itself (RFC 9728 §3.3); the root one may name a less
// specific resource.
func prmAcceptor(serverURL string) (func(fetchedDoc) (*ProtectedResourceMetadata, error), error) {
	serverURL, _, _ = strings.Cut(serverURL, "#") // a resource has no fragment (RFC 8707 §2)
	if err := checkDiscoveryURL(serverURL); err != nil {
		return nil, err
	}
	server, _ := url.Parse(serverURL)
	wellKnown := prmWellKnownURLs(server)
	return func(f fetchedDoc) (*ProtectedResourceMetadata, error) {
		return validatePRM(f, server, len(wellKnown) == 2 && f.requested == wellKnown[0])
	}, nil
}

// prmWellKnownURLs returns the RFC 9728 §3.1 path-inserted well-known URL
// for server (when it has a path or query) followed by the root well-known
// URL (an MCP extension for path-bearing servers).
func prmWellKnownURLs(server *url.URL) []string {
	base := server.Scheme + "://" + server.Host
	root := base + wellKnownPRMSuffix
	path := strings.TrimSuffix(server.EscapedPath(), "/")
	if path == "" && server.RawQuery == "" {
		return []string{root}
	}
	inserted := root + path
	if server.RawQuery != "" {
		inserted += "?" + server.RawQuery
	}
	return []string{inserted, root}
}

// validatePRM decodes and checks one fetched document; exact asks for a
// resource identical to the server ([resourceIdentifiesServer]) rather than
// one that covers it ([ResourceMatchesServer]).
func validatePRM(f fetchedDoc, server *url.URL, exact bool) (*ProtectedResourceMetadata, error) {
	var w prmWire
	if err := decodeMetadata(docPRM, f.url, f.body, &w); err != nil {
		return nil, err
	}
	if w.Resource == "" {
		return nil, &MetadataError{Document: docPRM, URL: f.url, Reason: "resource member is missing (RFC 9728 §2)"}
	}
	if !ResourceMatchesServer(w.Resource, server.String()) || (exact && !resourceIdentifiesServer(w.Resource, server.String())) {
		return nil, &ResourceMismatchError{ServerURL: server.String(), Resource: w.Resource, MetadataURL: f.url}
	}
	var servers []string
	for _, as := range w.AuthorizationServers {
		if checkIssuerURL(as) == nil {
			servers = append(servers, as)
		}
	}
	if len(servers) == 0 {
		return nil, &MetadataError{Document: docPRM, URL: f.url,
			Reason: "authorization_servers lists no usable authorization server (MCP requires at least one https issuer)"}
	}
	return &ProtectedResourceMetadata{
		Resource:                              w.Resource,
		AuthorizationServers:                  servers,
		JWKSURI:                               w.JWKSURI,
		ScopesSupported:                       w.ScopesSupported,
		BearerMethodsSupported:                w.BearerMethodsSupported,
		ResourceSigningAlgValuesSupported:     w.ResourceSigningAlgValuesSupported,
		ResourceName:                          w.ResourceName,
		ResourceDocumentation:                 w.ResourceDocumentation,
		ResourcePolicyURI:                     w.ResourcePolicyURI,
		ResourceTOSURI:                        w.ResourceTOSURI,
		TLSClientCertificateBoundAccessTokens: bool(w.TLSClientCertificateBoundAccessTokens),
		AuthorizationDetailsTypesSupported:    w.AuthorizationDetailsTypesSupported,
		DPoPSigningAlgValuesSupported:         w.DPoPSigningAlgValuesSupported,
		DPoPBoundAccessTokensRequired:         bool(w.DPoPBoundAccessTokensRequired),
		MetadataURL:                           f.url,
	}, nil
}

// ResourceMatchesServer reports whether a protected resource metadata
// resource identifies the MCP server at serverURL. Both are compared as
// canonical URIs — scheme and host case-folded, default port elided, dot
// segments removed, percent-encoding normalised (RFC 3986 §6.2.2) — and the
// resource must have the server's origin and a path equal to the server
// URL's path or a whole-segment prefix of it, ignoring one trailing slash:
// resource https://mcp.example.com covers https://mcp.example.com/mcp, and
// https://mcp.example.com/mcp covers https://mcp.example.com/mcp/ but not
// https://mcp.example.com/mcp2. A resource with a query must match the
// server URL's path and query exactly. A resource with a fragment, userinfo
// or no host matches nothing (RFC 8707 §2).
//
// RFC 9728 §3.3 asks for identity ("The resource value returned MUST be
// identical to the protected resource's resource identifier value into
// which the well-known URI path suffix was inserted"), but the MCP
// specification makes the root well-known document (whose resource is the
// origin) a valid answer for a server at a path, and lets the canonical
// server URI be less specific than the endpoint ("MCP clients SHOULD provide
// the most specific URI that they can"; examples https://mcp.example.com and
// https://mcp.example.com/mcp). The prefix rule accepts exactly those, as the
// official TypeScript and Python SDKs do, and still refuses any document for
// another origin or another path — the impersonation RFC 9728 §7.3 guards
// against. A less specific resource is never what the client asks a token
// for: it asks for the server's own canonical URI (see [canonicalServerURI]),
// so that metadata cannot widen a token beyond the server.
func ResourceMatchesServer(resource, serverURL string) bool {
	res, ok := canonicalURI(resource)
	if !ok {
		return false
	}
	srv, ok := canonicalURI(serverURL)
	if !ok || origin(res) != origin(srv) {
		return false
	}
	rp := strings.TrimSuffix(canonicalPath(res), "/")
	sp := strings.TrimSuffix(canonicalPath(srv), "/")
	if res.RawQuery != "" || res.ForceQuery {
		return rp == sp && res.RawQuery == srv.RawQuery
	}
	return rp == sp || strings.HasPrefix(sp, rp+"/")
}

// resourceIdentifiesServer reports whether resource is the server's own
// resource identifier: ResourceMatchesServer's comparison without its
// prefix rule. RFC 9728 §3.3 asks this of metadata fetched from the
// path-inserted well-known URL.
func resourceIdentifiesServer(resource, serverURL string) bool {
	res, ok := canonicalURI(resource)
	if !ok {
		return false
	}
	srv, ok := canonicalURI(serverURL)
	return ok && origin(res) == origin(srv) && res.RawQuery == srv.RawQuery &&
		strings.TrimSuffix(canonicalPath(res), "/") == strings.TrimSuffix(canonicalPath(srv), "/")
}

// hostsOwnPRM reports whether prm is the document at the root well-known URL
// of the server's origin (RFC 9728 §3.1), reached without the server's
// challenge pointing elsewhere: the host's statement of the resource its
// tokens are for. Its resource covers the server (validatePRM checked that)
// and is sent exactly as published. A document the challenge named — which
// a server on a shared host can place under its own path — never widens
// the resource (issue 12 item 7).
func hostsOwnPRM(prm *ProtectedResourceMetadata, serverURL string, challenge Challenge) bool {
	u, err := url.Parse(serverURL)
	if err != nil {
		return false
	}
	root := u.Scheme + "://" + u.Host + wellKnownPRMSuffix
	named := challenge.ResourceMetadata()
	return prm.MetadataURL == root && (named == "" || named == root)
}

// canonicalServerURI is the MCP server's canonical URI ("Canonical Server
// URI", RFC 8707 §2): scheme and host in lower case, the default port
// elided, dot segments removed, without query (RFC 8707 §2: it SHOULD NOT
// have one, and an API key in it must not reach the authorization server)
// or fragment.
func canonicalServerURI(serverURL string) string {
	u, ok := canonicalURI(serverURL)
	if !ok {
		return serverURL
	}
	u.Scheme, u.Host = strings.ToLower(u.Scheme), strings.ToLower(u.Host)
	if p := u.Port(); (u.Scheme == "https" && p == "443") || (u.Scheme == "http" && p == "80") {
		u.Host = strings.TrimSuffix(u.Host, ":"+p)
	}
	u.RawQuery, u.ForceQuery = "", false
	return u.String()
}

// canonicalURI parses an absolute http(s) URI for comparison: fragment,
// userinfo and relative forms are refused; dot segments are removed.
func canonicalURI(raw string) (*url.URL, bool) {
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Host == "" || u.User != nil || u.Fragment != "" || strings.Contains(raw, "#") {
		return nil, false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
	default:
		return nil, false
	}
	return u.JoinPath(), true // JoinPath removes dot segments
}

// canonicalPath is u's escaped path with percent-encoded unreserved
// characters decoded and other percent-encodings upper-cased (RFC 3986
// §6.2.2.1, §6.2.2.2).
func canonicalPath(u *url.URL) string {
	p := u.EscapedPath()
	if !strings.Contains(p, "%") {
		return p
	}
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		if p[i] == '%' && i+2 < len(p) && pctIsHex(p[i+1]) && pctIsHex(p[i+2]) {
			c := pctUnhex(p[i+1])<<4 | pctUnhex(p[i+2])
			if uriUnreserved(c) {
				b.WriteByte(c)
			} else {
				b.WriteString("%" + strings.ToUpper(p[i+1:i+3]))
			}
			i += 2
			continue
		}
		b.WriteByte(p[i])
	}
	return b.String()
}

func pctIsHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func pctUnhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

func uriUnreserved(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~", c) >= 0
}

// checkIssuerURL vets an authorization server issuer identifier (RFC 8414
// §2: https, no query or fragment) as a discovery target.
func checkIssuerURL(issuer string) error {
	if err := checkDiscoveryURL(issuer); err != nil {
		return err
	}
	if strings.ContainsAny(issuer, "?#") {
		return &DiscoveryURLError{URL: issuer, Reason: "an issuer has no query or fragment (RFC 8414 §2)"}
	}
	return nil
}
