package core

import (
	"cmp"
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
)

// DefaultRedirectURI is the redirect URI registered by Dynamic Client
// Registration when none is configured: a loopback URI without a port. The
// redirect listener takes a free port each time, which the authorization
// server must accept for a loopback redirect URI (RFC 8252 §7.3), so the
// registration stays valid across runs and no fixed port can be taken by
// another process first.
const DefaultRedirectURI = "http://127.0.0.1/callback"

// discover runs MCP authorization discovery (MCP 2025-11-25 "Authorization
// Server Discovery" and "Client Registration Approaches") and installs the
// result as the manager's parameters:
//
//  0. Metadata an earlier discovery kept in the token store while it is
//     fresh (metadatacache.go), validated again as below.
//  1. Protected Resource Metadata (RFC 9728), from the resource server's
//     challenge when it named one, else the well-known URLs; its resource
//     must match the server URL. Every URL learned from a server must keep
//     out of loopback and private networks the server is not on
//     (netreach.go). Without any, the 2025-03-26 fallback: AS
//     metadata at the server's origin, else default endpoints.
//  2. Authorization server metadata (RFC 8414 / OIDC) of its first
//     authorization server, whose issuer must match; PKCE S256 is required
//     for the authorization code flow.
//  3. The client identity: pre-registered, else a Client ID Metadata
//     Document, else Dynamic Client Registration (RFC 7591).
//  4. The scopes: configured, else the challenge's, else the PRM's
//     scopes_supported, else none; with those a step-up or
//     [TokenManager.AddScopes] added to the token store entry before.
//  5. The resource (RFC 8707): configured, else the PRM's when it is the
//     server itself or the document is the origin's root one (the host's
//     own statement of its resource identifier, sent exactly as published:
//     RFC 9728 §3.3, MCP "Canonical Server URI"), else the server's
//     canonical URI: never the less specific resource of a document the
//     server's challenge named.
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
	logEvent(ctx, slog.LevelInfo, EventDiscoveryStart, "discovering the authorization server",
		"server_url", logURL(cfg.ServerURL), "resource_metadata", logURL(challenge.ResourceMetadata()))
	if challenge.Scheme == "" { // the server was not asked yet: is it one? (nomcp.go)
		if err := m.checkMCPServer(ctx); err != nil {
			return nil, err
		}
		m.mu.Lock()
		challenge = m.challenge // its 401's, if it answered one
		m.mu.Unlock()
	}

	if rm := challenge.ResourceMetadata(); rm != "" {
		if err := m.reach.checkLearned(rm); err != nil {
			return nil, err
		}
	}
	cached := m.cachedMetadata(challenge)
	prm, prmDoc, err := m.protectedResource(ctx, cached, challenge.ResourceMetadata())
	var asm *AuthServerMetadata
	var asmDoc fetchedDoc
	switch {
	case err == nil && len(prm.AuthorizationServers) == 0:
		return nil, &ProtocolError{Reason: "protected resource metadata lists no authorization server"}
	case err == nil:
		logEvent(ctx, slog.LevelDebug, EventDiscoveryResource, "protected resource metadata found",
			"resource", logURL(prm.Resource), "authorization_servers", prm.AuthorizationServers)
		var issuer string
		if issuer, err = m.chooseAuthServer(prm.AuthorizationServers); err == nil {
			if err = m.reach.checkLearned(issuer); err == nil {
				asm, asmDoc, err = m.authServer(ctx, cached, issuer)
			}
		}
	case errors.Is(err, ErrMetadataNotFound):
		prm = nil
		if asm, err = LegacyAuthServerMetadata(ctx, m.client, cfg.ServerURL); err == nil {
			err = m.checkBinding(legacyIssuer(asm))
		}
	}
	if err == nil {
		logEvent(ctx, slog.LevelDebug, EventDiscoveryAS, "authorization server metadata found",
			"issuer", logURL(asm.Issuer), "token_endpoint", logURL(asm.TokenEndpoint),
			"registration_endpoint", logURL(asm.RegistrationEndpoint))
		err = m.checkEndpoints(asm)
	}
	if err != nil {
		logEvent(ctx, slog.LevelWarn, EventDiscoveryDone, "discovery failed", "error", logErr(err))
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
	switch {
	case resource != "":
	case prm == nil:
		resource = cfg.ServerURL
	case resourceIdentifiesServer(prm.Resource, cfg.ServerURL), hostsOwnPRM(prm, cfg.ServerURL, challenge):
		resource = prm.Resource
	default: // a less specific resource: never ask for more than the server
		resource = canonicalServerURI(cfg.ServerURL)
	}
	p := m.newParams(asm.TokenEndpoint, asm.AuthorizationEndpoint, asm.DeviceAuthorizationEndpoint, asm.Issuer,
		asm.AuthorizationResponseIssParameterSupported, clientID, secret, method, resource, scopes)
	if err := m.afterDiscovery(p, prm, asm); err != nil {
		return nil, err
	}
	if prm != nil {
		m.cacheMetadata(ctx, p, cached, prmDoc, asmDoc)
	}
	m.params.Store(p)
	m.restoreTokens(p)
	p = m.params.Load() // with the scopes restoreTokens restored
	logEvent(ctx, slog.LevelInfo, EventDiscoveryDone, "discovery done", "issuer", logURL(asm.Issuer),
		"client_id", clientID, "auth_method", method, "scopes", p.scopes, "resource", logURL(resource))
	return p, nil
}

// Discover runs discovery now, when it has not run yet, as the first token
// request would: a program that authorizes a user before it talks to the
// server (the command-line tool's login) so asks for what the server's
// challenge asks for (see discover and checkMCPServer). It does nothing
// outside discovery mode.
func (m *TokenManager) Discover(ctx context.Context) error {
	if m.closed.Load() {
		return ErrClosed
	}
	if !m.cfg.Discovering() {
		return nil
	}
	_, err := m.authParams(ctx)
	return err
}

// checkEndpoints applies the rule for URLs learned from a server
// (netreach.go) to every endpoint of the authorization server metadata.
func (m *TokenManager) checkEndpoints(asm *AuthServerMetadata) error {
	for _, ep := range []string{asm.TokenEndpoint, asm.AuthorizationEndpoint, asm.RegistrationEndpoint,
		asm.DeviceAuthorizationEndpoint} {
		if ep == "" {
			continue
		}
		if err := m.reach.checkLearned(ep); err != nil {
			return err
		}
	}
	return nil
}

// chooseAuthServer picks the authorization server among those the
// protected resource metadata lists (the client's choice, RFC 9728 §7.6):
// the configured issuer when it is listed, else the first one. A configured
// issuer that is not listed is a [*ClientIssuerMismatchError], returned
// before any other authorization server is contacted: the client is bound
// to its issuer (MCP authorization, "Authorization Server Binding").
func (m *TokenManager) chooseAuthServer(servers []string) (string, error) {
	if m.cfg.Issuer == "" || slices.Contains(servers, m.cfg.Issuer) {
		return cmp.Or(m.cfg.Issuer, servers[0]), nil
	}
	return "", m.checkBinding(servers[0])
}

// checkBinding refuses an authorization server other than the configured
// issuer, if one is configured.
func (m *TokenManager) checkBinding(issuer string) error {
	if m.cfg.Issuer != "" && issuer != m.cfg.Issuer {
		return &ClientIssuerMismatchError{ClientIssuer: m.cfg.Issuer, ServerIssuer: issuer}
	}
	return nil
}

// legacyIssuer is the issuer of 2025-03-26 fallback metadata: its own, or
// for Defaulted endpoints the authorization base URL they hang off.
func legacyIssuer(asm *AuthServerMetadata) string {
	if asm.Defaulted {
		return strings.TrimSuffix(asm.TokenEndpoint, legacyTokenURL)
	}
	return asm.Issuer
}

// identify chooses the client identity for asm and registers the client
// when that is the choice. It returns the client_id, its secret and the
// token endpoint authentication method.
func (m *TokenManager) identify(ctx context.Context, asm *AuthServerMetadata) (string, string, string, error) {
	cfg := m.cfg
	if cfg.ClientID == "" && m.hasWorkload() {
		return "", "", AuthNone, nil // the workload JWT identifies the client (RFC 7523 §3.1)
	}
	choice := ChooseClientIdentity(ClientIdentityConfig{
		ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, ClientIssuer: m.boundIssuer(),
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
		return m.register(ctx, choice.RegistrationEndpoint, reg, asm) // one per authorization server (servers.go)
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
