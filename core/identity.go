package core

import (
	"net/url"
	"strings"
)

// ClientIdentityConfig is what the client is configured with to identify
// itself to authorization servers.
type ClientIdentityConfig struct {
	// ClientID and ClientSecret are a pre-registered client.
	ClientID     string
	ClientSecret string
	// ClientIssuer binds the pre-registered client to the authorization
	// server that issued it; "" leaves it unbound.
	ClientIssuer string
	// ClientMetadataURL is the HTTPS URL of the client's Client ID Metadata
	// Document, used as its client_id.
	ClientMetadataURL string
	// DisableDynamicRegistration forbids RFC 7591 registration.
	DisableDynamicRegistration bool
}

// IdentityKind is how a client identifies itself to an authorization server.
type IdentityKind int

// Identity kinds, in the MCP priority order.
const (
	IdentityNone                IdentityKind = iota // no way: see IdentityChoice.Err
	IdentityPreRegistered                           // a configured client_id
	IdentityMetadataDocument                        // client_id is the metadata document URL
	IdentityDynamicRegistration                     // register with RFC 7591 first
)

func (k IdentityKind) String() string {
	switch k {
	case IdentityPreRegistered:
		return "pre-registered"
	case IdentityMetadataDocument:
		return "client ID metadata document"
	case IdentityDynamicRegistration:
		return "dynamic client registration"
	}
	return "none"
}

// IdentityChoice is the outcome of [ChooseClientIdentity].
type IdentityChoice struct {
	Kind IdentityKind
	// ClientID is the pre-registered client_id or the metadata document
	// URL; "" for dynamic registration, which yields one.
	ClientID string
	// ClientSecret is the pre-registered secret, if any.
	ClientSecret string
	// RegistrationEndpoint is where to register (IdentityDynamicRegistration).
	RegistrationEndpoint string
	// Err says why there is no choice (IdentityNone): [ErrNoClientIdentity],
	// a [*ClientIssuerMismatchError] or a [*ConfigError].
	Err error
}

// String describes the choice without the client secret.
func (c IdentityChoice) String() string {
	s := "IdentityChoice{" + c.Kind.String()
	if c.ClientID != "" {
		s += ", client_id=" + quoteShort(c.ClientID)
	}
	if c.Err != nil {
		s += ", err=" + c.Err.Error()
	}
	return s + "}"
}

// GoString is String: %#v must not print the secret either.
func (c IdentityChoice) GoString() string { return c.String() }

// ChooseClientIdentity applies the MCP registration priority ("Client
// Registration Approaches"): a pre-registered client; else a Client ID
// Metadata Document when one is configured and asm advertises
// client_id_metadata_document_supported; else Dynamic Client Registration
// when asm has a registration_endpoint and it is not disabled; else
// IdentityNone with [ErrNoClientIdentity] (the caller may ask the user).
//
// A pre-registered client bound to an issuer other than asm's is not used
// and not silently replaced: the result is IdentityNone with a
// [*ClientIssuerMismatchError] ("clients SHOULD surface an error rather
// than silently attempting to use mismatched credentials"). The binding is
// not checked when asm has no issuer (2025-03-26 defaults). An invalid
// metadata document URL (not https, no path, dot segments, fragment or
// credentials) is a [*ConfigError]. asm may be nil.
func ChooseClientIdentity(cfg ClientIdentityConfig, asm *AuthServerMetadata) IdentityChoice {
	if cfg.ClientID != "" {
		if cfg.ClientIssuer != "" && asm != nil && asm.Issuer != "" && asm.Issuer != cfg.ClientIssuer {
			return IdentityChoice{Err: &ClientIssuerMismatchError{ClientIssuer: cfg.ClientIssuer, ServerIssuer: asm.Issuer}}
		}
		return IdentityChoice{Kind: IdentityPreRegistered, ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret}
	}
	if cfg.ClientMetadataURL != "" && asm != nil && asm.ClientIDMetadataDocumentSupported {
		if err := checkClientMetadataURL(cfg.ClientMetadataURL); err != nil {
			return IdentityChoice{Err: err}
		}
		return IdentityChoice{Kind: IdentityMetadataDocument, ClientID: cfg.ClientMetadataURL}
	}
	if asm != nil && asm.RegistrationEndpoint != "" && !cfg.DisableDynamicRegistration {
		return IdentityChoice{Kind: IdentityDynamicRegistration, RegistrationEndpoint: asm.RegistrationEndpoint}
	}
	return IdentityChoice{Err: ErrNoClientIdentity}
}

// checkClientMetadataURL applies the Client ID Metadata Document rules to a
// client_id URL: https with a path, no dot segments, fragment or userinfo.
func checkClientMetadataURL(raw string) error {
	bad := func(reason string) error { return &ConfigError{Field: "client_metadata_url", Reason: reason} }
	u, err := url.Parse(raw)
	switch {
	case err != nil || !u.IsAbs() || u.Host == "":
		return bad("must be an absolute https URL")
	case u.Scheme != "https":
		return bad("must use https")
	case u.Path == "" || u.Path == "/":
		return bad("must have a path component")
	case u.User != nil:
		return bad("must not contain credentials")
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return bad("must not contain a fragment")
	}
	for _, seg := range strings.Split(u.Path, "/") {
		if seg == "." || seg == ".." {
			return bad("must not contain dot segments")
		}
	}
	return nil
}
