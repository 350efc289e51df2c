package core

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

var (
	// ErrMetadataNotFound: no candidate URL served a usable metadata document
	// (every one answered 4xx, something other than a JSON object, or a
	// redirect that is not followed). Test with errors.Is on a [MetadataError].
	ErrMetadataNotFound = errors.New("mcp-oauth: metadata document not found")
	// ErrPKCES256Unsupported: the authorization server metadata does not list
	// S256 in code_challenge_methods_supported (MCP authorization, "Authorization
	// Code Protection").
	ErrPKCES256Unsupported = errors.New("mcp-oauth: authorization server does not advertise PKCE S256")
	// ErrNoClientIdentity: there is no pre-registered client, no usable Client
	// ID Metadata Document and no registration endpoint.
	ErrNoClientIdentity = errors.New("mcp-oauth: no way to identify the client: configure a client_id, a client metadata document URL, or use an authorization server with dynamic client registration")
)

// MetadataError reports a metadata document (RFC 9728 protected resource
// metadata, RFC 8414 authorization server metadata) that cannot be used:
// absent everywhere it was looked for, malformed, or missing a required
// member. Err, when set, is a sentinel such as [ErrMetadataNotFound].
type MetadataError struct {
	Document string // "protected resource metadata", "authorization server metadata"
	URL      string // the document's URL; "" when none was usable
	Reason   string
	Err      error
}

func (e *MetadataError) Error() string {
	msg := "mcp-oauth: " + e.Document
	if e.URL != "" {
		msg += " at " + redactURL(e.URL)
	}
	return Printable(msg + ": " + e.Reason)
}

func (e *MetadataError) Unwrap() error { return e.Err }

// ResourceMismatchError reports protected resource metadata whose `resource`
// does not identify the MCP server being connected to (RFC 9728 §3.3, §7.3).
// The metadata must not be used and no authorization request may be made
// with it.
type ResourceMismatchError struct {
	ServerURL   string // the MCP server URL the client connects to
	Resource    string // the metadata's resource member
	MetadataURL string // where the metadata was fetched
}

func (e *ResourceMismatchError) Error() string {
	return fmt.Sprintf("mcp-oauth: protected resource metadata at %s is for resource %s, not for server %s",
		redactURL(e.MetadataURL), quoteShort(redactURL(e.Resource)), redactURL(e.ServerURL))
}

// MetadataIssuerMismatchError reports authorization server metadata whose
// `issuer` is not identical to the issuer it was fetched for (RFC 8414 §3.3,
// OpenID Connect Discovery §4.3). The metadata must not be used.
type MetadataIssuerMismatchError struct {
	Expected    string
	Got         string
	MetadataURL string
}

func (e *MetadataIssuerMismatchError) Error() string {
	return fmt.Sprintf("mcp-oauth: authorization server metadata at %s names issuer %s, expected %s",
		redactURL(e.MetadataURL), quoteShort(e.Got), quoteShort(e.Expected))
}

// DiscoveryURLError reports a URL that discovery refuses to contact: not
// https (outside loopback), carrying credentials or a fragment, or pointing
// at a link-local or cloud metadata address.
type DiscoveryURLError struct {
	URL    string
	Reason string
}

func (e *DiscoveryURLError) Error() string {
	return fmt.Sprintf("mcp-oauth: refusing to fetch %s: %s", quoteShort(redactURL(e.URL)), e.Reason)
}

// RegistrationError is an error response from a client registration
// endpoint (RFC 7591 §3.2.2), such as invalid_redirect_uri or
// invalid_client_metadata.
type RegistrationError struct {
	ErrorCode        string
	ErrorDescription string
	StatusCode       int
}

func (e *RegistrationError) Error() string {
	msg := fmt.Sprintf("mcp-oauth: client registration rejected with %s (HTTP %d)", quoteShort(e.ErrorCode), e.StatusCode)
	if e.ErrorDescription != "" {
		msg += ": " + clipText(e.ErrorDescription, 200)
	}
	return Printable(msg)
}

// redactURL renders a URL for an error message without its userinfo, query
// or fragment, which may carry credentials (some MCP servers take an API key
// in the query). Unparseable input is replaced by a placeholder.
func redactURL(raw string) string {
	if raw == "" {
		return `""`
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable URL)"
	}
	hidden := u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || u.User != nil
	u.User, u.RawQuery, u.ForceQuery, u.Fragment, u.RawFragment = nil, "", false, "", ""
	s := u.String()
	if hidden {
		s += "?…"
	}
	return strings.ToValidUTF8(s, "?")
}

// clipText cuts a server-supplied string to n bytes for an error message.
func clipText(s string, n int) string {
	if len(s) > n {
		s = s[:n] + "..."
	}
	return Printable(s)
}

// ClientIssuerMismatchError reports a pre-registered client bound to one
// authorization server while the MCP server now names another: the
// credentials must not be used there (MCP authorization, "Authorization
// Server Binding").
type ClientIssuerMismatchError struct {
	ClientIssuer string // the issuer the client was registered with
	ServerIssuer string // the issuer discovery found
}

func (e *ClientIssuerMismatchError) Error() string {
	return fmt.Sprintf("mcp-oauth: the configured client is registered with issuer %s, but the server's authorization server is %s",
		quoteShort(e.ClientIssuer), quoteShort(e.ServerIssuer))
}
