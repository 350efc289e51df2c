package oauthtest

import (
	"cmp"
	"context"
	"io"
	"mime"
	"net/http"
	"net/url"
	"time"
)

// maxFormBytes bounds the size of a token request body.
const maxFormBytes = 1 << 20

// handleToken serves the token endpoint (RFC 6749 §3.2). Every request is
// recorded and counted, may be replaced by an injected failure, and is
// delayed by the configured latency before being answered.
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	form, formErr := readTokenForm(w, r)
	creds, credErr := readClientCredentials(r, form)
	grantType := firstValue(form, "grant_type")

	failure, fail, latency := s.admitTokenRequest(grantType, creds, form)
	if !sleep(r.Context(), latency) {
		panic(http.ErrAbortHandler) // the client gave up or the server is closing
	}
	if fail {
		s.serveFailure(w, r, form, failure)
		return
	}

	jkt, dpopErr := s.dpopTokenRequest(w, r)
	if dpopErr == nil && grantType == "refresh_token" {
		dpopErr = s.checkRefreshBinding(firstValue(form, "refresh_token"), jkt)
	}
	resp, err := s.token(r.Context(), grantType, form, cmp.Or(formErr, credErr, dpopErr), creds)
	if err != nil {
		err.write(w)
		return
	}
	if jkt != "" {
		s.mu.Lock()
		s.bindLocked(&resp, jkt)
		s.mu.Unlock()
	}
	writeTokenJSON(w, http.StatusOK, resp)
}

// token authenticates the client and runs the requested grant, given the
// error found while parsing the request, if any.
func (s *Server) token(ctx context.Context, grantType string, form url.Values, parseErr *oauthError, creds clientCredentials) (tokenResponse, *oauthError) {
	if parseErr != nil {
		return tokenResponse{}, parseErr
	}
	if grantType == grantJWTBearer && s.opts.WorkloadIdentityKey != nil {
		return s.workloadGrant(form, creds)
	}
	client, err := s.authenticate(ctx, creds)
	if err != nil {
		return tokenResponse{}, err
	}
	switch grantType {
	case "client_credentials":
		return s.clientCredentialsGrant(client, form)
	case "authorization_code":
		return s.authorizationCodeGrant(client, form)
	case "refresh_token":
		return s.refreshTokenGrant(client, form)
	case GrantDeviceCode:
		if !s.opts.DisableDeviceAuthorization {
			return s.deviceCodeGrant(client, form)
		}
	case "":
		return tokenResponse{}, invalidRequest("missing grant_type")
	}
	return tokenResponse{}, badRequest("unsupported_grant_type", "grant type "+grantType+" is not supported")
}

// readTokenForm reads the parameters of a token request, which must be sent
// in an application/x-www-form-urlencoded body, each at most once except
// resource (RFC 6749 §3.2, RFC 8707 §2). The body is always read to its end
// so that the server notices when the client disconnects. The returned
// parameters are never nil.
func readTokenForm(w http.ResponseWriter, r *http.Request) (url.Values, *oauthError) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mediaType != "application/x-www-form-urlencoded" {
		_, _ = io.Copy(io.Discard, r.Body)
		return url.Values{}, invalidRequest("the request body must be application/x-www-form-urlencoded")
	}
	if err := r.ParseForm(); err != nil {
		return url.Values{}, invalidRequest("malformed request parameters")
	}
	if r.URL.RawQuery != "" {
		return r.PostForm, invalidRequest("parameters must be sent in the request body")
	}
	if p := repeatedParam(r.PostForm, "resource"); p != "" {
		return r.PostForm, invalidRequest("parameter " + p + " included more than once")
	}
	return r.PostForm, nil
}

// admitTokenRequest records and counts a token request and returns the
// failure to inject, if any, and the latency to apply.
func (s *Server) admitTokenRequest(grantType string, creds clientCredentials, form url.Values) (f Failure, fail bool, latency time.Duration) {
	rec := TokenRequest{
		Grant:      grantType,
		ClientID:   creds.id,
		AuthMethod: creds.method,
		Form:       withoutSecret(form),
		Time:       time.Now(),
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts.Token++
	if grantType != "" {
		s.counts.TokenByGrant[grantType]++
	}
	s.requests = append(s.requests, rec)
	f, fail = s.popFailureLocked()
	return f, fail, s.latency
}

// withoutSecret returns a copy of form without client_secret.
func withoutSecret(form url.Values) url.Values {
	c := copyValues(form)
	c.Del("client_secret")
	return c
}

// copyValues returns a deep copy of v.
func copyValues(v url.Values) url.Values {
	c := make(url.Values, len(v))
	for k, vs := range v {
		c[k] = append([]string(nil), vs...)
	}
	return c
}
