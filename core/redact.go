package core

import (
	"encoding/json"
	"net/url"
	"sort"
	"strings"
)

// Servers write text into errors: error, error_description and error_uri
// (RFC 6749 §5.2, RFC 7591 §3.2.2), or an unexpected token_type. A careless
// server echoes the request there — client secret, code, PKCE verifier,
// refresh token — and errors end up in logs. Before server text reaches an
// error, every credential of the exchange is replaced by [redactedText], so
// that no error message quotes one, not even cut short.

// redactedText replaces a credential in server-supplied text.
const redactedText = "[redacted]"

// minRedactLen is the length below which a value is not searched for: it
// would match ordinary words (no credential the library handles is that
// short).
const minRedactLen = 8

// sensitiveParams are the token request parameters that carry credentials
// (RFC 6749 §2.3.1, §4.1.3, §6; RFC 7636 §4.5; RFC 7523 §2.1, §2.2; RFC 8693
// §2.1; RFC 8628 §3.4).
var sensitiveParams = []string{
	"client_secret", "client_assertion", "code", "code_verifier", "refresh_token",
	"assertion", "subject_token", "actor_token", "device_code", "password",
}

// redactor replaces credentials, as sent (raw and form-encoded), in text.
type redactor struct{ r *strings.Replacer }

// newRedactor returns a redactor of secrets; empty and short values are
// ignored.
func newRedactor(secrets ...string) redactor {
	seen := map[string]bool{}
	var forms []string
	for _, s := range secrets {
		for _, f := range []string{s, url.QueryEscape(s)} {
			if len(f) >= minRedactLen && !seen[f] {
				seen[f] = true
				forms = append(forms, f)
			}
		}
	}
	if len(forms) == 0 {
		return redactor{}
	}
	// Longest first: where two credentials overlap, the longer one wins.
	sort.Slice(forms, func(i, j int) bool { return len(forms[i]) > len(forms[j]) })
	pairs := make([]string, 0, 2*len(forms))
	for _, f := range forms {
		pairs = append(pairs, f, redactedText)
	}
	return redactor{strings.NewReplacer(pairs...)}
}

// text returns s with every credential replaced.
func (r redactor) text(s string) string {
	if r.r == nil {
		return s
	}
	return r.r.Replace(s)
}

// requestSecrets lists the credentials a token request carries: the client
// secret, the credential parameters of its form and its Authorization
// header's credentials.
func requestSecrets(secret string, form url.Values, header string) []string {
	out := []string{secret}
	for _, p := range sensitiveParams {
		out = append(out, form[p]...)
	}
	if _, cred, ok := strings.Cut(header, " "); ok {
		out = append(out, cred)
	}
	return out
}

// redactTokenError re-reads a failed token response with every credential
// of the request (secrets) and the tokens of the response itself replaced
// in its string members, and returns parse's error for that: the same
// error, quoting no credential. A body that does not decode is never quoted
// by an error and err is returned as is.
func redactTokenError(err error, secrets []string, status int, contentType string, body []byte,
	parse func(status int, contentType string, body []byte) error) error {
	fields, decodeErr := decodeFields(contentType, body)
	if decodeErr != nil {
		return err
	}
	r := newRedactor(append(secrets, fields.str("access_token"), fields.str("refresh_token"), fields.str("id_token"))...)
	changed := false
	for k, v := range fields {
		if s, ok := v.(string); ok {
			if t := r.text(s); t != s {
				fields[k], changed = t, true
			}
		}
	}
	if !changed {
		return err
	}
	clean, mErr := json.Marshal(fields)
	if mErr != nil {
		return &ProtocolError{Reason: "token response quotes a credential"}
	}
	if cleanErr := parse(status, "application/json", clean); cleanErr != nil {
		return cleanErr
	}
	return &ProtocolError{Reason: "token response quotes a credential"}
}

// queryRedactor redacts the query parameter values of rawURL (an MCP server
// URL may carry an API key in its query) from error messages that quote
// the URL, such as the MCP SDK's.
func queryRedactor(rawURL string) redactor {
	u, err := url.Parse(rawURL)
	if err != nil || u.RawQuery == "" {
		return redactor{}
	}
	secrets := []string{u.RawQuery}
	for _, vs := range u.Query() {
		secrets = append(secrets, vs...)
	}
	return newRedactor(secrets...)
}

// err returns err, or an error whose message has the credentials replaced
// and which unwraps to err (errors.Is and errors.As still see the cause).
func (r redactor) err(err error) error {
	if err == nil || r.r == nil {
		return err
	}
	msg := err.Error()
	if clean := r.text(msg); clean != msg {
		return &redactedError{msg: clean, err: err}
	}
	return err
}

// redactedError is an error whose message no longer quotes a credential.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }
