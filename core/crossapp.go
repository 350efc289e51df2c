package core

import (
	"context"
	"net/url"
	"strings"
	"time"
)

// Enterprise-managed authorization (MCP extension SEP-990, "cross-app
// access"; IETF draft-ietf-oauth-identity-assertion-authz-grant): the user's
// ID token from the enterprise identity provider is exchanged at the IdP for
// an Identity Assertion JWT Authorization Grant (ID-JAG, RFC 8693 token
// exchange), which the client then presents to the MCP server's
// authorization server with the JWT bearer grant (RFC 7523 §2.1).
const (
	// GrantJWTBearer is the grant_type configuration value of this flow.
	GrantJWTBearer = "jwt_bearer"

	grantTypeJWTBearer     = "urn:ietf:params:oauth:grant-type:jwt-bearer"     // RFC 7523 §2.1
	grantTypeTokenExchange = "urn:ietf:params:oauth:grant-type:token-exchange" // RFC 8693 §2.1
	tokenTypeIDToken       = "urn:ietf:params:oauth:token-type:id_token"       // RFC 8693 §3
	tokenTypeIDJAG         = "urn:ietf:params:oauth:token-type:id-jag"         // ID-JAG draft §9
)

// checkJWTBearer validates the identity provider members: required with
// grant_type jwt_bearer, refused with any other grant — unless a workload
// identity source replaces them (wif.go).
func (c *Config) checkJWTBearer(workloadCallback bool) error {
	if err := c.checkWorkloadIdentity(workloadCallback); err != nil || workloadCallback || c.hasWorkloadIdentity() {
		return err
	}
	if c.GrantType != GrantJWTBearer {
		for _, f := range []struct{ name, value string }{
			{"idp_token_endpoint", c.IDPTokenEndpoint}, {"idp_client_id", c.IDPClientID},
			{"idp_client_secret", c.IDPClientSecret}, {"idp_id_token", c.IDPIDToken},
		} {
			if f.value != "" {
				return &ConfigError{Field: f.name, Reason: `only applies with grant_type "jwt_bearer"`}
			}
		}
		return nil
	}
	for _, f := range []struct{ name, value string }{
		{"client_id", c.ClientID}, {"idp_token_endpoint", c.IDPTokenEndpoint},
		{"idp_client_id", c.IDPClientID}, {"idp_id_token", c.IDPIDToken},
	} {
		if f.value == "" {
			return &ConfigError{Field: f.name, Reason: `required by grant_type "jwt_bearer"`}
		}
	}
	if !c.Discovering() && c.Issuer == "" {
		// The ID-JAG's audience is the authorization server's issuer.
		return &ConfigError{Field: "issuer", Reason: `required by grant_type "jwt_bearer" without server_url discovery`}
	}
	return checkEndpointURL("idp_token_endpoint", c.IDPTokenEndpoint)
}

// obtainJWTBearer gets a token by the cross-app access flow: the ID token is
// exchanged at the IdP for an ID-JAG whose audience is the authorization
// server's issuer and whose resource is the MCP server, then the ID-JAG is
// the assertion of a jwt-bearer grant at the authorization server (with the
// client's own authentication there).
func (m *TokenManager) obtainJWTBearer(ctx context.Context, p *authParams) (Snapshot, error) {
	cfg := m.cfg
	audience := p.issuer
	if audience == "" {
		audience = p.endpoint.url
	}
	idp := &tokenEndpoint{
		url: cfg.IDPTokenEndpoint, clientID: cfg.IDPClientID, secret: cfg.IDPClientSecret,
		authMethod: AuthNone, client: m.client, now: m.now, parse: parseIDJAGResponse,
	}
	if cfg.IDPClientSecret != "" {
		idp.authMethod = AuthClientSecretBasic
	}
	form := url.Values{
		"grant_type":           {grantTypeTokenExchange},
		"requested_token_type": {tokenTypeIDJAG},
		"subject_token":        {cfg.IDPIDToken},
		"subject_token_type":   {tokenTypeIDToken},
		"audience":             {audience},
	}
	if p.endpoint.resource != "" {
		form.Set("resource", p.endpoint.resource)
	}
	if len(p.scopes) > 0 {
		form.Set("scope", strings.Join(p.scopes, " "))
	}
	jag, err := idp.request(ctx, form)
	if err != nil {
		return Snapshot{}, err
	}
	return m.grant(ctx, p, url.Values{"grant_type": {grantTypeJWTBearer}, "assertion": {jag.AccessToken}})
}

// parseIDJAGResponse interprets the IdP's token exchange response (RFC 8693
// §2.2): the ID-JAG travels in access_token, issued_token_type must say so,
// and token_type is "N_A" (it is not an access token).
func parseIDJAGResponse(status int, contentType string, body []byte, _ time.Time) (*Token, error) {
	f, err := successFields(status, contentType, body)
	if err != nil {
		return nil, err
	}
	if f.str("access_token") == "" {
		return nil, &ProtocolError{Reason: "token exchange response has no access_token"}
	}
	if tt := f.str("issued_token_type"); tt != tokenTypeIDJAG {
		return nil, &ProtocolError{Reason: "token exchange issued_token_type " + quoteShort(tt) + " is not " + tokenTypeIDJAG}
	}
	return &Token{AccessToken: f.str("access_token"), TokenType: f.str("token_type")}, nil
}
