package core

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sync"
	"syscall"
	"time"
)

// LoopbackRedirect is a one-shot redirect listener for native apps
// (RFC 8252 §7.3): an HTTP server on a loopback address that receives the
// authorization response and hands its URL to [LoopbackRedirect.Wait].
//
// Any local process can reach it, so it accepts only a response carrying
// the state of the login in progress ([LoopbackRedirect.Expect]); others
// get 400 and it keeps waiting. A second response for that state means that
// someone else holds it too — another process delivering its own code
// first, or replaying the user's — and aborts the login
// ([LoopbackRedirect.Injected], RFC 9700 §4.5). The browser is shown the
// outcome of the login ([LoopbackRedirect.Finish]) in fixed text that
// quotes nothing from the request.
type LoopbackRedirect struct {
	// RedirectURI is the URI to register and send in the authorization
	// request, e.g. http://127.0.0.1:49152/callback.
	RedirectURI string

	srv *http.Server

	mu    sync.Mutex
	state string // the pending login's state; "" accepts nothing
	taken bool   // a response for state was accepted

	result     chan string   // the accepted response's URL
	injected   chan struct{} // closed by a second response for state
	injectOnce sync.Once
	done       chan struct{} // closed by Finish; outcome is then set
	outcome    error
	finishOnce sync.Once
}

// ListenLoopback starts a redirect listener on addr ("127.0.0.1:0" picks an
// ephemeral port, RFC 8252 §7.3; RFC 8252 §8.3 recommends the IP literal
// over "localhost") serving path. Only a loopback address is accepted; a
// fixed port that is in use is a [ConfigError] on redirect_uri.
func ListenLoopback(addr, path string) (*LoopbackRedirect, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	if path == "" || path[0] != '/' {
		path = "/callback"
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil || !IsLoopbackHost(host) {
		return nil, &ConfigError{Field: "redirect_uri", Reason: "the redirect listener must use a loopback address"}
	}
	ln, err := net.Listen("tcp", addr)
	if errors.Is(err, syscall.EADDRINUSE) {
		return nil, &ConfigError{Field: "redirect_uri", Reason: fmt.Sprintf(
			"port %s is in use; leave the port out of redirect_uri (e.g. http://127.0.0.1/callback) to use a free port", port)}
	}
	if err != nil {
		return nil, fmt.Errorf("mcp-oauth: redirect listener: %w", err)
	}
	l := &LoopbackRedirect{
		RedirectURI: (&url.URL{Scheme: "http", Host: ln.Addr().String(), Path: path}).String(),
		result:      make(chan string, 1),
		injected:    make(chan struct{}),
		done:        make(chan struct{}),
	}
	mux := http.NewServeMux()
	mux.HandleFunc(path, l.serve)
	l.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = l.srv.Serve(ln) }()
	return l, nil
}

// Expect sets the state of the login in progress (RFC 6749 §4.1.1): only a
// response carrying it is accepted.
func (l *LoopbackRedirect) Expect(state string) {
	l.mu.Lock()
	l.state = state
	l.mu.Unlock()
}

// Pages shown to the browser: fixed text, nothing taken from the request.
const (
	pageReceived = "Authorization received. You can close this window."
	pageWrong    = "This authorization response does not belong to the login in progress and was ignored."
	pageInjected = "A second authorization response arrived for this login, so the login was aborted: another program may have tried to slip in its own authorization. Start the login again."
	pageDenied   = "The authorization server denied access. The application has the details."
	pageFailed   = "The login could not be completed. The application has the details."
)

// serve takes the authorization response (code or error, RFC 6749 §4.1.2)
// for the expected state, refuses any other, and ignores requests that are
// none (favicon probes). The accepted response's page waits for the
// login's outcome.
func (l *LoopbackRedirect) serve(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if !q.Has("code") && !q.Has("error") {
		http.NotFound(w, r)
		return
	}
	l.mu.Lock()
	matches := l.state != "" && len(q["state"]) == 1 &&
		subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(l.state)) == 1
	second := matches && l.taken
	l.taken = l.taken || matches
	l.mu.Unlock()
	switch {
	case !matches:
		page(w, http.StatusBadRequest, pageWrong)
		return
	case second:
		l.injectOnce.Do(func() { close(l.injected) })
		page(w, http.StatusBadRequest, pageInjected)
		return
	}
	l.result <- (&url.URL{Scheme: "http", Host: r.Host, Path: r.URL.Path, RawQuery: r.URL.RawQuery}).String()
	select {
	case <-l.done:
	case <-r.Context().Done():
		return
	}
	var denied *AuthorizationDeniedError
	switch err := l.outcome; {
	case err == nil:
		page(w, http.StatusOK, pageReceived)
	case errors.Is(err, ErrCodeInjection):
		page(w, http.StatusBadRequest, pageInjected)
	case errors.As(err, &denied):
		page(w, http.StatusForbidden, pageDenied)
	default:
		page(w, http.StatusBadRequest, pageFailed)
	}
}

// page writes a static HTML page.
func page(w http.ResponseWriter, status int, text string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Security-Policy", "default-src 'none'")
	w.WriteHeader(status)
	_, _ = fmt.Fprintf(w, "<!doctype html><title>mcp-oauth</title><p>%s</p>", text)
}

// ErrRedirectTimeout is returned by [LoopbackRedirect.Wait] when no
// authorization response arrived in time.
var ErrRedirectTimeout = errors.New("mcp-oauth: no authorization response reached the redirect listener in time")

// errListenerClosed is the outcome shown when the listener closes before
// the login finished.
var errListenerClosed = errors.New("mcp-oauth: redirect listener closed")

// Wait returns the accepted authorization response's URL, to pass to
// [TokenManager.CompleteAuthorization]. It gives up when ctx ends (cancel)
// or after timeout ([NoTimeout]: never). The listener stays open, so that a
// second response can still be noticed: call [LoopbackRedirect.Finish] and
// [LoopbackRedirect.Close] when the login is over.
func (l *LoopbackRedirect) Wait(ctx context.Context, timeout time.Duration) (string, error) {
	var expired <-chan time.Time
	if timeout != NoTimeout {
		timer := time.NewTimer(timeout)
		defer timer.Stop()
		expired = timer.C
	}
	select {
	case u := <-l.result:
		return u, nil
	case <-expired:
		return "", ErrRedirectTimeout
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// Injected reports whether a second response for the expected state has
// arrived: the login must then be abandoned ([ErrCodeInjection]).
func (l *LoopbackRedirect) Injected() bool {
	select {
	case <-l.injected:
		return true
	default:
		return false
	}
}

// Finish records the login's outcome (nil: success), which the accepted
// response's page then shows. Only the first call counts.
func (l *LoopbackRedirect) Finish(err error) {
	l.finishOnce.Do(func() {
		l.outcome = err
		close(l.done)
	})
}

// Close finishes the login as failed unless [LoopbackRedirect.Finish] was
// called, and stops the listener. It is safe to call more than once.
func (l *LoopbackRedirect) Close() {
	l.Finish(errListenerClosed)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = l.srv.Shutdown(ctx)
}

// ErrCodeInjection: a second authorization response for a login's state
// reached the redirect listener — another local process delivered a code of
// its own, or replayed the user's (authorization code injection, RFC 9700
// §4.5). The login is aborted and what either response delivered is
// discarded. It is an [ErrStateMismatch].
var ErrCodeInjection error = &codeInjectionError{}

type codeInjectionError struct{}

func (*codeInjectionError) Error() string {
	return "mcp-oauth: a second authorization response arrived for this login's state (possible code injection, RFC 9700 §4.5); the login was aborted and its tokens discarded"
}

func (*codeInjectionError) Unwrap() error { return ErrStateMismatch }
