package core

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// tokenEndpoint performs token requests (RFC 6749 §3.2) for one client.
type tokenEndpoint struct {
	url        string
	clientID   string
	secret     string
	authMethod string
	resource   string
	client     *http.Client
	now        func() time.Time
	// For private_key_jwt (RFC 7523 §2.2): the signing key and algorithm, and
	// the assertion's audience (the AS issuer when known, else the endpoint).
	keyPEM   []byte
	alg      string
	audience string
	// dpop, when set, adds a DPoP proof to every token request and requires
	// a DPoP-bound token in return (RFC 9449 §5).
	dpop *dpopKey
	// parse replaces parseTokenResponse (a token exchange answers with
	// another token type than Bearer, RFC 8693 §2.2.1).
	parse func(status int, contentType string, body []byte, sent time.Time) (*Token, error)
}

// request posts a grant's parameters to the token endpoint with client
// authentication (RFC 6749 §2.3.1) and the RFC 8707 resource indicator, and
// parses the response (RFC 6749 §5.1 / §5.2). An error quotes no credential
// of the request or the response (see redactTokenError).
func (e *tokenEndpoint) request(ctx context.Context, form url.Values) (tok *Token, err error) {
	grant := form.Get("grant_type")
	logEvent(ctx, slog.LevelDebug, EventTokenRequest, "token request", "grant_type", grant, "endpoint", logURL(e.url),
		"auth_method", e.authMethod)
	defer func() { e.logResult(ctx, grant, tok, err) }()
	resp, err := e.post(ctx, e.url, "token endpoint", form)
	if err == nil && e.dpopNonceRetry(resp) {
		resp, err = e.post(ctx, e.url, "token endpoint", form)
		if err == nil {
			e.dpopNonceRetry(resp) // a newer nonce is kept for the next request
		}
	}
	if err != nil {
		return nil, err
	}
	parse := e.parse
	if parse == nil {
		parse = func(status int, contentType string, body []byte, sent time.Time) (*Token, error) {
			tok, err := parseTokenResponse(status, contentType, body, sent)
			if err == nil {
				err = e.checkTokenType(tok)
			}
			return tok, err
		}
	}
	tok, err = parse(resp.status, resp.header.Get("Content-Type"), resp.body, resp.sent)
	if err != nil {
		err = resp.redact(err, func(status int, contentType string, body []byte) error {
			_, err := parse(status, contentType, body, resp.sent)
			return err
		})
	}
	var se *ServerError
	if errors.As(err, &se) {
		se.RetryAfter = retryAfter(resp.header.Get("Retry-After"), e.now())
	}
	return tok, err
}

// logResult tells the outcome of a token request: the token's type,
// lifetime and scope, never the token.
func (e *tokenEndpoint) logResult(ctx context.Context, grant string, tok *Token, err error) {
	if err != nil {
		logEvent(ctx, slog.LevelWarn, EventTokenError, "token request failed", "grant_type", grant,
			"endpoint", logURL(e.url), "error", logErr(err))
		return
	}
	if logEnabled(ctx, slog.LevelInfo) {
		logEvent(ctx, slog.LevelInfo, EventTokenResponse, "token issued", "grant_type", grant,
			"token_type", tok.TokenType, "expiry", tok.Expiry, "scope", tok.Scope,
			"refresh_token", tok.RefreshToken != "")
	}
}

// endpointResponse is a response read by [tokenEndpoint.post].
type endpointResponse struct {
	status int
	header http.Header
	body   []byte    // at most maxBodyBytes
	sent   time.Time // when the request was sent
	// secrets are the request's credentials, redacted from errors.
	secrets []string
}

// redact returns err, from parse of r, quoting no credential of the request
// or the response (see redactTokenError).
func (r *endpointResponse) redact(err error, parse func(status int, contentType string, body []byte) error) error {
	return redactTokenError(err, r.secrets, r.status, r.header.Get("Content-Type"), r.body, parse)
}

// post sends form to target (the token endpoint, or an endpoint that
// authenticates clients the same way, such as the device authorization
// endpoint of RFC 8628 §3.1) with the client's authentication (RFC 6749
// §2.3.1, RFC 7523 §2.2) and the RFC 8707 resource indicator, and reads the
// response body, capped. name labels failures.
func (e *tokenEndpoint) post(ctx context.Context, target, name string, form url.Values) (*endpointResponse, error) {
	if e.resource != "" {
		form.Set("resource", e.resource)
	}
	switch e.authMethod {
	case AuthClientSecretPost:
		form.Set("client_id", e.clientID)
		form.Set("client_secret", e.secret)
	case AuthNone:
		if e.clientID != "" { // a workload identity grant may go without one (RFC 7523 §3.1)
			form.Set("client_id", e.clientID)
		}
	case AuthPrivateKeyJWT:
		aud := e.audience
		if aud == "" {
			aud = e.url
		}
		assertion, err := NewJWTAssertion(e.clientID, aud, e.keyPEM, e.alg, e.now())
		if err != nil {
			return nil, err
		}
		form.Set("client_id", e.clientID)
		form.Set("client_assertion_type", ClientAssertionType)
		form.Set("client_assertion", assertion)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, &ProtocolError{Reason: "cannot build " + name + " request"}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	if e.dpop != nil && target == e.url {
		proof, err := e.dpop.proof(http.MethodPost, target, "", e.now())
		if err != nil {
			return nil, err
		}
		req.Header.Set("DPoP", proof)
	}
	if e.authMethod == AuthClientSecretBasic {
		// RFC 6749 §2.3.1: both parts are form-urlencoded before Basic encoding.
		req.SetBasicAuth(url.QueryEscape(e.clientID), url.QueryEscape(e.secret))
	}
	sent := e.now()
	// Never follow a redirect, whatever client was configured: it would
	// replay the client credentials to wherever it points (OAuth 2.1 §3.2).
	resp, err := noRedirectClient(e.client).Do(req)
	if err != nil {
		return nil, networkError(name, err)
	}
	defer resp.Body.Close()
	body, err := readCapped(name, resp.Body)
	if err != nil {
		return nil, err
	}
	return &endpointResponse{status: resp.StatusCode, header: resp.Header, body: body, sent: sent,
		secrets: requestSecrets(e.secret, form, req.Header.Get("Authorization"))}, nil
}

// maxRetryAfter bounds how long a server's Retry-After is honoured.
const maxRetryAfter = time.Hour

// retryAfter interprets a Retry-After header (RFC 9110 §10.2.3: seconds or
// an HTTP date) as a wait from now; 0 when absent or malformed, at most
// maxRetryAfter.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	var d time.Duration
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		d = time.Duration(min(max(secs, 0), int64(maxRetryAfter/time.Second))) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	}
	return min(max(d, 0), maxRetryAfter)
}

// readCapped reads a response body of at most maxBodyBytes from endpoint
// (named in a failure).
func readCapped(endpoint string, r io.Reader) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r, maxBodyBytes+1))
	if err != nil {
		return nil, networkError(endpoint, err)
	}
	if len(body) > maxBodyBytes {
		return nil, &ProtocolError{Reason: "response body exceeds 1 MiB"}
	}
	return body, nil
}

// networkError classifies a transport failure, keeping the cause. The
// cause names the URL, of which only scheme, host and path are kept: a query
// may carry a credential (an MCP server URL with an API key, and the
// metadata URLs built from it); other credentials travel in bodies and the
// Authorization header, never in a URL. A connection refused by the
// address rules (netreach.go) is the [*DiscoveryURLError] naming the URL.
func networkError(endpoint string, err error) error {
	if de := learnedURLError(err); de != nil {
		return de // an address the rules refuse: not a network failure
	}
	var ne net.Error
	timeout := errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
	if ue, ok := err.(*url.Error); ok {
		err = &url.Error{Op: ue.Op, URL: redactURL(ue.URL), Err: ue.Err}
	}
	return &NetworkError{Endpoint: endpoint, Timeout: timeout, Err: err}
}

// parseTokenResponse interprets a token endpoint response. An `error` member
// makes it an [OAuthError] whatever the status (some servers answer 200); a
// 3xx is refused (redirects are not followed); any other non-2xx is a
// [ServerError]; a 2xx must carry a Bearer or a DPoP access token (RFC 6749
// §5.1, RFC 9449 §5.1; which one was asked for is checked by
// [tokenEndpoint.checkTokenType]). Bodies may be JSON or form-encoded.
func parseTokenResponse(status int, contentType string, body []byte, sent time.Time) (*Token, error) {
	fields, err := successFields(status, contentType, body)
	if err != nil {
		return nil, err
	}
	return tokenFromFields(fields, sent)
}

// successFields decodes a token endpoint response and turns an error
// response, a redirect or a non-2xx status into the matching error.
func successFields(status int, contentType string, body []byte) (responseFields, error) {
	fields, parseErr := decodeFields(contentType, body)
	if parseErr == nil && fields.str("error") != "" {
		return nil, &OAuthError{
			ErrorCode:        Printable(fields.str("error")),
			ErrorDescription: Printable(fields.str("error_description")),
			ErrorURI:         Printable(fields.str("error_uri")),
			StatusCode:       status,
		}
	}
	switch {
	case status >= 300 && status < 400:
		return nil, &ProtocolError{Reason: "token endpoint answered with a redirect; redirects are not followed"}
	case status < 200 || status >= 300:
		return nil, &ServerError{StatusCode: status, Endpoint: "token endpoint"}
	case parseErr != nil:
		return nil, parseErr
	}
	return fields, nil
}

// tokenFromFields validates a successful token response (RFC 6749 §5.1).
func tokenFromFields(f responseFields, sent time.Time) (*Token, error) {
	tok := &Token{AccessToken: f.str("access_token"), RefreshToken: f.str("refresh_token"), Scope: f.str("scope")}
	if tok.AccessToken == "" {
		return nil, &ProtocolError{Reason: "token response has no access_token"}
	}
	if raw, ok := f["token_type"]; ok && raw != nil {
		if _, isString := raw.(string); !isString {
			return nil, &ProtocolError{Reason: "token_type is not a string"}
		}
	}
	switch tt := f.str("token_type"); {
	case tt == "", strings.EqualFold(tt, "bearer"):
		tok.TokenType = "Bearer"
	case strings.EqualFold(tt, TokenTypeDPoP): // RFC 9449 §5.1; checked by checkTokenType
		tok.TokenType = TokenTypeDPoP
	default:
		return nil, &ProtocolError{Reason: "token_type " + quoteShort(tt) + " is not Bearer"}
	}
	lifetime, err := f.expiresIn()
	if err != nil {
		return nil, err
	}
	if lifetime > 0 {
		tok.Expiry = sent.Add(lifetime)
	}
	return tok, nil
}

// quoteShort quotes a server-supplied string for an error message, cut to
// 40 bytes.
func quoteShort(s string) string {
	if len(s) > 40 {
		s = s[:40] + "..."
	}
	return `"` + Printable(s) + `"`
}

// isFormBody reports whether a response content type is form-encoded (GitHub
// and some older servers answer application/x-www-form-urlencoded or
// text/plain).
func isFormBody(contentType string) bool {
	mt, _, _ := mime.ParseMediaType(contentType)
	return mt == "application/x-www-form-urlencoded" || mt == "text/plain"
}

// dpopNonceRetry records the DPoP-Nonce of a token endpoint response
// (RFC 9449 §8.2) and reports whether the request is to be sent again with
// it: the server answered use_dpop_nonce (§8) with a nonce not used yet.
func (e *tokenEndpoint) dpopNonceRetry(resp *endpointResponse) bool {
	if e.dpop == nil || !e.dpop.rememberNonce(e.url, resp.header.Get("DPoP-Nonce")) {
		return false
	}
	f, err := decodeFields(resp.header.Get("Content-Type"), resp.body)
	return err == nil && f.str("error") == errUseDPoPNonce
}

// checkTokenType accepts a DPoP-bound token only when DPoP was requested,
// and requires one when it was: a Bearer token instead is never taken as a
// silent downgrade (RFC 9449 §5, MCP DPoP extension).
func (e *tokenEndpoint) checkTokenType(tok *Token) error {
	switch {
	case tok.TokenType == TokenTypeDPoP && e.dpop == nil:
		return &ProtocolError{Reason: "token_type \"DPoP\" was not requested (no DPoP proof was sent)"}
	case tok.TokenType != TokenTypeDPoP && e.dpop != nil:
		return &ProtocolError{Reason: "the authorization server issued a Bearer token where a DPoP-bound token was requested (RFC 9449 §5)"}
	}
	return nil
}
