package core

import (
	"context"
	"errors"
)

// DefaultRedirectURI is the redirect URI registered by Dynamic Client
// Registration when none is configured: a loopback URI with a fixed port, so
// a registration stays valid across runs (RFC 8252 §7.3).
const DefaultRedirectURI = "http://127.0.0.1:8976/callback"

// discover runs MCP authorization discovery (MCP 2025-11-25 "Authorization
// Server Discovery" and "Client Registration Approaches") and installs the
// result as the manager's parameters:
//
//  1. Protected Resource Metadata (RFC 9728), from the resource server's
//     challenge when it named one, else the well-known URLs; its resource
//     must match the server URL. Without any, the 2025-03-26 fallback: AS
//     metadata at the server's origin, else default endpoints.
//  2. Authorization server metadata (RFC 8414 / OIDC) of its first
//     authorization server, whose issuer must match; PKCE S256 is required
//     for the authorization code flow.
//  3. The client identity: pre-registered, else a Client ID Metadata
//     Document, else Dynamic Client Registration (RFC 7591).
//  4. The scopes: configured, else the challenge's, else the PRM's
//     scopes_supported, else none.
func (m *TokenManager) discover(ctx context.Context) (*authParams, error) {
	m.discoverMu.Lock()
	defer m.discoverMu.Unlock()
	if p := m.params.Load(); p != nil {
		return p, nil
	}
	m.mu.Lock()
	challenge := m.challenge
	m.mu.Unlock()
	cfg := m.cfg
	authCode := cfg.GrantType == GrantAuthorizationCode

	prm, err := DiscoverProtectedResource(ctx, m.client, cfg.ServerURL, challenge.ResourceMetadata())
	var asm *AuthServerMetadata
	switch {
	case err == nil && len(prm.AuthorizationServers) == 0:
		return nil, &ProtocolError{Reason: "protected resource metadata lists no authorization server"}
	case err == nil:
		asm, err = DiscoverAuthServer(ctx, m.client, prm.AuthorizationServers[0])
	case errors.Is(err, ErrMetadataNotFound):
		prm = nil
		asm, err = LegacyAuthServerMetadata(ctx, m.client, cfg.ServerURL)
	}
	if err != nil {
		return nil, err
	}
	if authCode {
		if err := asm.RequirePKCES256(); err != nil {
			return nil, err
		}
	}

	clientID, secret, method, err := m.identify(ctx, asm)
	if err != nil {
		return nil, err
	}
	scopes := cfg.Scopes
	if len(scopes) == 0 {
		scopes = SelectScopes(challenge, prm, asm, authCode)
	}
	resource := cfg.Resource
	if resource == "" {
		resource = cfg.ServerURL
		if prm != nil {
			resource = prm.Resource
		}
	}
	p := m.newParams(asm.TokenEndpoint, asm.AuthorizationEndpoint, asm.DeviceAuthorizationEndpoint, asm.Issuer,
		asm.AuthorizationResponseIssParameterSupported, clientID, secret, method, resource, scopes)
	m.params.Store(p)
	m.restoreTokens(p)
	return p, nil
}

// identify chooses the client identity for asm and registers the client
// when that is the choice. It returns the client_id, its secret and the
// token endpoint authentication method.
func (m *TokenManager) identify(ctx context.Context, asm *AuthServerMetadata) (string, string, string, error) {
	cfg := m.cfg
	choice := ChooseClientIdentity(ClientIdentityConfig{
		ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, ClientIssuer: cfg.Issuer,
		ClientMetadataURL: cfg.ClientMetadataURL,
	}, asm)
	switch choice.Kind {
	case IdentityPreRegistered:
		return cfg.ClientID, cfg.ClientSecret, cfg.TokenEndpointAuthMethod, nil
	case IdentityMetadataDocument:
		method := AuthNone
		if cfg.PrivateKeyPEM != "" {
			method = AuthPrivateKeyJWT
		}
		return cfg.ClientMetadataURL, "", method, nil
	case IdentityDynamicRegistration:
		reg := ClientRegistration{
			ClientName:           cfg.ClientName,
			Scopes:               cfg.Scopes,
			SupportedAuthMethods: asm.TokenEndpointAuthMethodsSupported,
			Confidential:         cfg.GrantType == GrantClientCredentials,
		}
		if reg.ClientName == "" {
			reg.ClientName = "mcp-oauth"
		}
		if cfg.GrantType == GrantAuthorizationCode {
			reg.RedirectURIs = []string{m.redirectURI()}
			reg.GrantTypes = []string{GrantAuthorizationCode, GrantRefreshToken}
			if asm.DeviceAuthorizationEndpoint != "" { // RFC 8628 §3.4
				reg.GrantTypes = append(reg.GrantTypes, GrantDeviceCode)
			}
		} else {
			reg.GrantTypes = []string{GrantClientCredentials}
		}
		key := m.storeKey(asm.Issuer, asm.TokenEndpoint, m.cfg.ServerURL)
		if id, secret, method, ok := m.storedRegistration(key); ok {
			return id, secret, method, nil // registered by an earlier run
		}
		if m.tokenStore != nil { // processes sharing the store register once
			if unlock, err := m.tokenStore.Lock(ctx, key, m.cfg.HTTPTimeout()); err == nil {
				defer unlock()
				if id, secret, method, ok := m.storedRegistration(key); ok {
					return id, secret, method, nil // registered by another process meanwhile
				}
			}
		}
		rc, err := RegisterClient(ctx, m.client, choice.RegistrationEndpoint, reg)
		if err != nil {
			return "", "", "", err
		}
		m.persistRegistration(key, rc)
		return rc.ClientID, rc.ClientSecret, rc.TokenEndpointAuthMethod, nil
	}
	return "", "", "", choice.Err
}

// redirectURI is the configured redirect URI, or [DefaultRedirectURI].
func (m *TokenManager) redirectURI() string {
	if m.cfg.RedirectURI != "" {
		return m.cfg.RedirectURI
	}
	return DefaultRedirectURI
}
