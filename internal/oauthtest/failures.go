package oauthtest

import (
	"encoding/json"
	"fmt"
	"maps"
	"mime"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// Failure modes, for Failure.Mode.
const (
	// ModeHang accepts the request and never answers until the client gives
	// up or the server closes.
	ModeHang = "hang"
	// ModeReset sends the status line, headers and half of the body, then
	// resets the TCP connection.
	ModeReset = "reset"
	// ModeRedirect answers with a redirect (302 unless Status says otherwise)
	// to Header["Location"], by default URL + "/redirected", which is not
	// served.
	ModeRedirect = "redirect"
	// ModeEcho echoes the request back, as a careless server does in an
	// error message: the body is Body (by default an invalid_request error
	// whose error_description is "{{request}}") with "{{request}}" replaced
	// by the request's Authorization header and form body — client secret,
	// code, PKCE verifier, refresh token and all — and "{{name}}" by the
	// form value name, each escaped for ContentType (JSON string or form).
	// Status defaults to 400.
	ModeEcho = "echo"
)

// Failure describes how the server answers a token request that it has been
// told to fail with FailNext.
type Failure struct {
	// Status is the HTTP status. The default is 400, or 200 in ModeReset
	// (a success cut short) and 302 in ModeRedirect.
	Status int `json:"status,omitempty"`
	// Body is the raw response body. In ModeReset only its first half is
	// sent; when empty, a truncated token response is sent there.
	Body string `json:"body,omitempty"`
	// ContentType is the Content-Type header; default application/json.
	ContentType string `json:"content_type,omitempty"`
	// Header holds additional response headers, e.g. Retry-After.
	Header map[string]string `json:"header,omitempty"`
	// Mode is "" for an ordinary response, or ModeHang, ModeReset,
	// ModeRedirect or ModeEcho.
	Mode string `json:"mode,omitempty"`
}

// pendingFailure is a failure to inject into the next remaining token
// requests.
type pendingFailure struct {
	failure   Failure
	remaining int
}

// validate reports an unknown mode.
func (f Failure) validate() error {
	switch f.Mode {
	case "", ModeHang, ModeReset, ModeRedirect, ModeEcho:
		return nil
	}
	return fmt.Errorf("oauthtest: unknown failure mode %q", f.Mode)
}

// FailNext makes the next n token requests fail as f describes; then normal
// service resumes. Successive calls queue up: the failures of a call start
// after those of the previous calls are used up. FailNext panics if f.Mode is
// unknown.
func (s *Server) FailNext(n int, f Failure) {
	if err := f.validate(); err != nil {
		panic(err)
	}
	if n <= 0 {
		return
	}
	f.Header = maps.Clone(f.Header)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = append(s.failures, pendingFailure{failure: f, remaining: n})
}

// popFailureLocked consumes the failure for the current token request, if
// any. s.mu must be held.
func (s *Server) popFailureLocked() (Failure, bool) {
	if len(s.failures) == 0 {
		return Failure{}, false
	}
	p := &s.failures[0]
	f := p.failure
	if p.remaining--; p.remaining == 0 {
		s.failures = s.failures[1:]
	}
	return f, true
}

// serveFailure answers a token request, whose form was form, as f
// describes.
func (s *Server) serveFailure(w http.ResponseWriter, r *http.Request, form url.Values, f Failure) {
	switch f.Mode {
	case ModeHang:
		<-r.Context().Done() // the client disconnected or Close was called
		panic(http.ErrAbortHandler)
	case ModeReset:
		serveReset(w, f)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.ContentType)
	if f.ContentType == "" {
		h.Set("Content-Type", "application/json")
	}
	status := f.Status
	if f.Mode == ModeRedirect {
		h.Set("Location", s.URL+"/redirected")
		if status == 0 {
			status = http.StatusFound
		}
	}
	for k, v := range f.Header {
		h.Set(k, v)
	}
	if status == 0 {
		status = http.StatusBadRequest
	}
	body := f.Body
	if f.Mode == ModeEcho {
		body = echoBody(f, r, form)
	}
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

// defaultEchoBody is the ModeEcho body when Failure.Body is empty.
const defaultEchoBody = `{"error":"invalid_request","error_description":"{{request}}"}`

// echoPlaceholder matches "{{request}}" and "{{<form parameter>}}".
var echoPlaceholder = regexp.MustCompile(`\{\{[A-Za-z0-9_]+\}\}`)

// echoBody fills f's body template (ModeEcho) from the request.
func echoBody(f Failure, r *http.Request, form url.Values) string {
	body := f.Body
	if body == "" {
		body = defaultEchoBody
	}
	escape := func(v string) string {
		js, _ := json.Marshal(v)
		return string(js[1 : len(js)-1])
	}
	if mt, _, _ := mime.ParseMediaType(f.ContentType); mt == "application/x-www-form-urlencoded" {
		escape = url.QueryEscape
	}
	request := "Authorization: " + r.Header.Get("Authorization") + "\n" + form.Encode()
	return echoPlaceholder.ReplaceAllStringFunc(body, func(m string) string {
		name := strings.TrimSuffix(strings.TrimPrefix(m, "{{"), "}}")
		if name == "request" {
			return escape(request)
		}
		return escape(form.Get(name))
	})
}

// truncatedBody is the body of which ModeReset sends half by default.
const truncatedBody = `{"access_token":"at_truncated","token_type":"Bearer","expires_in":3600}`

// serveReset takes over the connection, writes the status line, the headers
// announcing the full body length and half of the body, then closes the
// connection with SO_LINGER 0 so that the peer sees a TCP reset.
func serveReset(w http.ResponseWriter, f Failure) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		http.Error(w, "cannot hijack connection: "+err.Error(), http.StatusInternalServerError)
		return
	}
	defer conn.Close()

	status, body, contentType := f.Status, f.Body, f.ContentType
	if status == 0 {
		status = http.StatusOK
	}
	if body == "" {
		body = truncatedBody
	}
	if contentType == "" {
		contentType = "application/json"
	}
	h := http.Header{}
	h.Set("Content-Type", contentType)
	for k, v := range f.Header {
		h.Set(k, v)
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))

	fmt.Fprintf(buf, "HTTP/1.1 %d %s\r\n", status, http.StatusText(status))
	_ = h.Write(buf)
	_, _ = buf.WriteString("\r\n" + body[:len(body)/2])
	_ = buf.Flush()
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
}
