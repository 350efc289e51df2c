package core

import (
	"context"
	"crypto/tls"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"time"
)

// A URL learned from a server (the challenge's resource_metadata, the
// metadata's authorization servers and endpoints, an SSE endpoint) must not
// turn the client against the user's own machine or network: it may point
// at a loopback address only when the MCP server is itself on loopback, and
// at a private one only when the MCP server is itself on a private network
// (MCP security best practices, "Server-Side Request Forgery"). The rule is
// applied to the URL ([reach.checkLearned]) and again when dialling
// ([reach.allowDial]), so that a name resolving — or rebound — there is
// caught. Hosts of configured URLs are the user's choice and always
// reachable; link-local and cloud metadata addresses never are.

// netClass is the kind of network an address belongs to.
type netClass uint8

const (
	netPublic   netClass = 0
	netPrivate  netClass = 1 << iota // RFC 1918, ULA fc00::/7 (RFC 4193), CGNAT 100.64.0.0/10 (RFC 6598)
	netLoopback                      // 127.0.0.0/8, ::1
)

var privatePrefixes = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("fc00::/7"),
}

// addrClass classifies an IP address (IPv4-mapped IPv6 as IPv4).
func addrClass(a netip.Addr) netClass {
	a = a.WithZone("").Unmap()
	if a.IsLoopback() {
		return netLoopback
	}
	for _, p := range privatePrefixes {
		if p.Contains(a) {
			return netPrivate
		}
	}
	return netPublic
}

// hostClass classifies a URL host without resolving it: an IP literal, or
// "localhost" and names under it (RFC 6761 §6.3); ok is false for other
// names, which only dialling can classify.
func hostClass(host string) (c netClass, ok bool) {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return netLoopback, true
	}
	if a, err := netip.ParseAddr(host); err == nil {
		return addrClass(a), true
	}
	return netPublic, false
}

// reach is the rule for one client: the hosts it was configured with and
// the networks its MCP servers are on. A nil *reach only refuses link-local
// and cloud metadata addresses. It is safe for concurrent use.
type reach struct {
	mu      sync.Mutex
	trusted map[string]bool // hosts of configured URLs (lower case)
	servers map[string]bool // hosts of MCP server URLs
	allowed netClass        // networks learned URLs may reach: the MCP servers'
}

// newReach is the rule for cfg: its URLs are trusted, and server_url is an
// MCP server.
func newReach(cfg *Config) *reach {
	r := &reach{trusted: map[string]bool{}, servers: map[string]bool{}}
	for _, u := range []string{cfg.TokenURL, cfg.AuthorizeURL, cfg.DeviceAuthorizationURL, cfg.Issuer,
		cfg.ClientMetadataURL, cfg.IDPTokenEndpoint} {
		r.trust(u, false)
	}
	r.trust(cfg.ServerURL, true)
	return r
}

// trust adds the host of a configured URL; server says it is an MCP
// server's, whose network learned URLs may then reach. On an IP literal or
// localhost the network is known at once; for other names it is learned
// from the first response the server sends ([reach.sawServer]).
func (r *reach) trust(rawURL string, server bool) {
	u, err := url.Parse(rawURL)
	if r == nil || err != nil || u.Hostname() == "" {
		return
	}
	host := strings.ToLower(u.Hostname())
	r.mu.Lock()
	defer r.mu.Unlock()
	r.trusted[host] = true
	if server {
		r.servers[host] = true
		if c, ok := hostClass(host); ok {
			r.allowed |= c
		}
	}
}

// sawServer records that the MCP server at host answered over a connection
// to ip: its network is then the server's. Only a response counts (over
// https, one from the certified host), so that a server name resolving to a
// private address for one failed connection opens nothing.
func (r *reach) sawServer(host string, ip netip.Addr) {
	if r == nil || !ip.IsValid() {
		return
	}
	r.mu.Lock()
	if r.servers[strings.ToLower(host)] {
		r.allowed |= addrClass(ip)
	}
	r.mu.Unlock()
}

func (r *reach) isServer(host string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.servers[strings.ToLower(host)]
}

// refusal says why a learned host of class c may not be contacted, or "".
func (r *reach) refusal(host string, c netClass) string {
	if c == netPublic || r == nil {
		return ""
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.trusted[strings.ToLower(host)] || r.allowed&c != 0 {
		return ""
	}
	if c == netLoopback {
		return "a loopback address, and the MCP server is not on loopback: a server may not point the client at this machine"
	}
	return "a private network address, and the MCP server is not on a private network: a server may not point the client into it"
}

// checkLearned vets a URL learned from a server before it is contacted:
// [checkDiscoveryURL], then the rule for literal loopback and private hosts.
// The error is a [*DiscoveryURLError] naming the URL.
func (r *reach) checkLearned(raw string) error {
	if err := checkDiscoveryURL(raw); err != nil {
		return err
	}
	u, _ := url.Parse(raw)
	if c, ok := hostClass(u.Hostname()); ok {
		if reason := r.refusal(u.Hostname(), c); reason != "" {
			return &DiscoveryURLError{URL: raw, Reason: reason}
		}
	}
	return nil
}

// allowDial vets the address host resolved to, just before it is dialled.
func (r *reach) allowDial(host string, ip netip.Addr) error {
	refuse := func(reason string) error { return &DiscoveryURLError{URL: "//" + host, Reason: reason} }
	if reason := forbiddenAddr(ip); reason != "" {
		return refuse(reason)
	}
	if reason := r.refusal(host, addrClass(ip)); reason != "" {
		return refuse(reason)
	}
	return nil
}

// lookupFunc resolves a host name; dialFunc connects to an address.
type (
	lookupFunc func(ctx context.Context, host string) ([]netip.Addr, error)
	dialFunc   func(ctx context.Context, network, addr string) (net.Conn, error)
)

// guardedDial resolves the host itself, vets every address with
// [reach.allowDial] and dials the vetted address (never the name again),
// so that a DNS answer changing between check and connection changes
// nothing.
func guardedDial(r *reach, lookup lookupFunc, dial dialFunc) dialFunc {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, port, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		var ips []netip.Addr
		if ip, err := netip.ParseAddr(host); err == nil {
			ips = []netip.Addr{ip}
		} else if ips, err = lookup(ctx, host); err != nil {
			return nil, err
		}
		var firstErr error
		for _, ip := range ips {
			err := r.allowDial(host, ip)
			if err == nil {
				var c net.Conn
				if c, err = dial(ctx, network, net.JoinHostPort(ip.Unmap().String(), port)); err == nil {
					return &vettedConn{Conn: c, addr: ip}, nil
				}
			}
			if firstErr == nil {
				firstErr = err
			}
		}
		if firstErr == nil {
			firstErr = &net.DNSError{Err: "no addresses", Name: host, IsNotFound: true}
		}
		return nil, firstErr
	}
}

// vettedConn is a connection to an address [reach.allowDial] accepted.
type vettedConn struct {
	net.Conn
	addr netip.Addr
}

// vettedAddr is the address a connection made by [guardedDial] was vetted
// for, under TLS if need be; the zero Addr for another connection.
func vettedAddr(c net.Conn) netip.Addr {
	if t, ok := c.(*tls.Conn); ok {
		c = t.NetConn()
	}
	if v, ok := c.(*vettedConn); ok {
		return v.addr
	}
	return netip.Addr{}
}

// dialPolicy is the networks beyond the public Internet a dial for a
// request to host may reach under r: all of them for a configured host (or
// a nil r), else those of the MCP servers. [reach.allowDial] for host
// decides exactly as a rule holding only this policy does, so requests with
// equal policies may share connections (httpclient.go).
func (r *reach) dialPolicy(host string) netClass {
	if r == nil {
		return netPrivate | netLoopback
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.trusted[strings.ToLower(host)] {
		return netPrivate | netLoopback
	}
	return r.allowed
}

// reachTransport is the library's transport: each request goes over the
// pool for its dial policy ([reach.dialPolicy]), whose connections were
// made through [guardedDial] under that policy, and responses from an MCP
// server teach r its network. A connection dialled under one manager's
// rules thus serves another manager only where their rules agree.
type reachTransport struct {
	pools *policyPools
	reach *reach
}

// guardTransport is a transport of its own over base (not the process's
// shared pools), dialling through [guardedDial] with lookup and dial.
func guardTransport(base *http.Transport, r *reach, lookup lookupFunc, dial dialFunc) *reachTransport {
	return &reachTransport{pools: newPolicyPools(base, lookup, dial), reach: r}
}

func (t *reachTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if !logEnabled(req.Context(), slog.LevelDebug) {
		return t.roundTrip(req)
	}
	start := time.Now()
	resp, err := t.roundTrip(req)
	status := 0
	if resp != nil {
		status = resp.StatusCode
	}
	logEvent(req.Context(), slog.LevelDebug, EventHTTPRequest, "HTTP exchange", "method", req.Method,
		"url", logURL(req.URL.String()), "status", status, "duration", time.Since(start), "error", logErr(err))
	return resp, err
}

func (t *reachTransport) roundTrip(req *http.Request) (*http.Response, error) {
	base := t.pools.get(t.reach.dialPolicy(req.URL.Hostname()))
	if t.reach == nil || !t.reach.isServer(req.URL.Hostname()) || proxied(base, req) {
		return base.RoundTrip(req) // a proxy's address tells nothing of the server's network
	}
	var mu sync.Mutex
	var remote netip.Addr
	trace := &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) {
		mu.Lock()
		remote = vettedAddr(info.Conn)
		mu.Unlock()
	}}
	resp, err := base.RoundTrip(req.WithContext(httptrace.WithClientTrace(req.Context(), trace)))
	if err == nil {
		mu.Lock()
		t.reach.sawServer(req.URL.Hostname(), remote)
		mu.Unlock()
	}
	return resp, err
}

// proxied says whether tr sends req through a proxy.
func proxied(tr *http.Transport, req *http.Request) bool {
	if tr.Proxy == nil {
		return false
	}
	u, err := tr.Proxy(req)
	return u != nil && err == nil
}

// CloseIdleConnections closes the idle connections of t's pools (for the
// shared pools: every manager's with the same CAs).
func (t *reachTransport) CloseIdleConnections() { t.pools.closeIdle() }

// withHeaderTimeout is t over pools of its own whose wait for response
// headers is bounded by d (same rule).
func (t *reachTransport) withHeaderTimeout(d time.Duration) *reachTransport {
	return &reachTransport{pools: t.pools.withHeaderTimeout(d), reach: t.reach}
}

// learnedURLError turns a transport error caused by a refused address into
// the [*DiscoveryURLError] naming the URL requested; nil otherwise.
func learnedURLError(err error) *DiscoveryURLError {
	var de *DiscoveryURLError
	if !errors.As(err, &de) {
		return nil
	}
	if ue, ok := err.(*url.Error); ok {
		return &DiscoveryURLError{URL: ue.URL, Reason: de.Reason}
	}
	return de
}
