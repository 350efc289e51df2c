package oauthtest

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// clientAssertionType is the client_assertion_type of JWT client
// authentication (RFC 7523 §2.2).
const clientAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// assertionClaims are the claims of a client assertion (RFC 7523 §3).
type assertionClaims struct {
	Iss string   `json:"iss"`
	Sub string   `json:"sub"`
	Aud audience `json:"aud"`
	Exp *float64 `json:"exp"`
	Nbf *float64 `json:"nbf"`
	Jti string   `json:"jti"`
}

// audience is the "aud" claim, a string or an array of strings
// (RFC 7519 §4.1.3).
type audience []string

// UnmarshalJSON accepts both forms of "aud".
func (a *audience) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*a = audience{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return errors.New(`"aud" is neither a string nor an array of strings`)
	}
	*a = many
	return nil
}

// assertionSubject returns the unverified "sub" claim of a client assertion,
// which identifies the client when client_id is not sent (RFC 7521 §4.2), or
// "" if it cannot be read.
func assertionSubject(assertion string) string {
	parts := strings.Split(assertion, ".")
	if len(parts) != 3 {
		return ""
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return ""
	}
	var c assertionClaims
	_ = json.Unmarshal(payload, &c) // an unreadable sub leaves "" and fails later
	return c.Sub
}

// verifyClientAssertion authenticates client with a JWT signed by one of its
// keys (RFC 7523 §3): iss and sub must be the client ID, aud must contain
// the issuer identifier or the token endpoint URL, exp must be in the future
// and nbf, when present, in the past, and jti must be present and not seen
// before from this client (RFC 7523 §3 item 7).
func (s *Server) verifyClientAssertion(ctx context.Context, client Client, assertion string) error {
	keys, err := s.clientKeys(ctx, client)
	if err != nil {
		return err
	}
	payload, err := verifyJWS(assertion, keys)
	if err != nil {
		return err
	}
	var c assertionClaims
	if err := json.Unmarshal(payload, &c); err != nil {
		return fmt.Errorf("malformed client assertion claims: %w", err)
	}
	now := time.Now()
	switch {
	case c.Iss != client.ID || c.Sub != client.ID:
		return errors.New("client assertion iss and sub must both be the client_id")
	case !slices.Contains(c.Aud, s.Issuer()) && !slices.Contains(c.Aud, s.TokenURL()):
		return errors.New("client assertion aud must contain the issuer or the token endpoint URL")
	case c.Exp == nil:
		return errors.New("client assertion has no exp")
	case !now.Before(numericDate(*c.Exp)):
		return errors.New("client assertion has expired")
	case c.Nbf != nil && now.Before(numericDate(*c.Nbf)):
		return errors.New("client assertion is not yet valid (nbf)")
	case c.Jti == "":
		return errors.New("client assertion has no jti")
	}
	return s.recordJTI(client.ID, c.Jti, numericDate(*c.Exp))
}

// recordJTI remembers the jti of an assertion until it expires and refuses
// one already used by the client.
func (s *Server) recordJTI(clientID, jti string, expires time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	for k, exp := range s.jtis {
		if now.After(exp) {
			delete(s.jtis, k)
		}
	}
	key := clientID + "\x00" + jti
	if _, used := s.jtis[key]; used {
		return errors.New("client assertion jti already used")
	}
	s.jtis[key] = expires
	return nil
}

// clientKeys returns the public keys of client: its PublicKey, its
// registered JWK Set, or the JWK Set fetched from its jwks_uri.
func (s *Server) clientKeys(ctx context.Context, client Client) ([]jwk, error) {
	switch {
	case client.PublicKey != nil:
		return []jwk{{key: client.PublicKey}}, nil
	case len(client.jwks) > 0:
		return client.jwks, nil
	case client.jwksURI != "":
		raw, err := fetchDocument(ctx, client.jwksURI)
		if err != nil {
			return nil, fmt.Errorf("jwks_uri: %w", err)
		}
		return parseJWKS(raw)
	}
	return nil, errors.New("client has no public key for private_key_jwt")
}

// numericDate converts a NumericDate (RFC 7519 §2) to a time.
func numericDate(seconds float64) time.Time {
	return time.UnixMilli(int64(seconds * 1000))
}
