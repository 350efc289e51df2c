package core

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// LoopbackRedirect is a one-shot redirect listener for native apps
// (RFC 8252 §7.3): an HTTP server on a loopback address that receives the
// authorization response and hands its URL to [LoopbackRedirect.Wait].
type LoopbackRedirect struct {
	// RedirectURI is the URI to register and send in the authorization
	// request, e.g. http://127.0.0.1:49152/callback.
	RedirectURI string

	srv    *http.Server
	result chan string
	once   sync.Once
}

// ListenLoopback starts a redirect listener on addr ("127.0.0.1:0" picks an
// ephemeral port; RFC 8252 §8.3 recommends the IP literal over "localhost")
// serving path. Only a loopback address is accepted.
func ListenLoopback(addr, path string) (*LoopbackRedirect, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	if path == "" || path[0] != '/' {
		path = "/callback"
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil || !IsLoopbackHost(host) {
		return nil, &ConfigError{Field: "redirect_uri", Reason: "the redirect listener must use a loopback address"}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("mcp-oauth: redirect listener: %w", err)
	}
	l := &LoopbackRedirect{
		RedirectURI: (&url.URL{Scheme: "http", Host: ln.Addr().String(), Path: path}).String(),
		result:      make(chan string, 1),
	}
	mux := http.NewServeMux()
	mux.HandleFunc(path, l.serve)
	l.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = l.srv.Serve(ln) }()
	return l, nil
}

// serve accepts the first request that carries an authorization response
// (code or error, RFC 6749 §4.1.2) and ignores the rest (favicon probes).
func (l *LoopbackRedirect) serve(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if !q.Has("code") && !q.Has("error") {
		http.NotFound(w, r)
		return
	}
	delivered := false
	l.once.Do(func() {
		u := url.URL{Scheme: "http", Host: r.Host, Path: r.URL.Path, RawQuery: r.URL.RawQuery}
		l.result <- u.String()
		delivered = true
	})
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if !delivered {
		w.WriteHeader(http.StatusConflict)
	}
	_, _ = fmt.Fprint(w, "<!doctype html><title>mcp-oauth</title><p>Authorization received. You can close this window.</p>")
}

// ErrRedirectTimeout is returned by [LoopbackRedirect.Wait] when no
// authorization response arrived in time.
var ErrRedirectTimeout = errors.New("mcp-oauth: no authorization response reached the redirect listener in time")

// Wait returns the first authorization response's URL, to pass to
// [TokenManager.CompleteAuthorization]. It gives up when ctx ends (cancel)
// or after timeout, and closes the listener in every case.
func (l *LoopbackRedirect) Wait(ctx context.Context, timeout time.Duration) (string, error) {
	defer l.Close()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case u := <-l.result:
		return u, nil
	case <-timer.C:
		return "", ErrRedirectTimeout
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// Close stops the listener. It is safe to call more than once.
func (l *LoopbackRedirect) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = l.srv.Shutdown(ctx)
}
