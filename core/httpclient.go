package core

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"sync"
	"time"
)

// maxBodyBytes caps every response body read from a server.
const maxBodyBytes = 1 << 20

// Connection pooling. The managers of a process share their transports, one
// per set of rules a connection is made under, so a gateway holding 10,000
// managers keeps one pool of connections per authorization server, not one
// per manager: at most maxIdleConnsPerHost idle connections per host
// (maxIdleConns in all), each costing two goroutines and a descriptor,
// closed after idleConnTimeout. A transport is shared only by requests
// whose connections follow the same rules, so that a connection made for
// one is fit for every other: the same trusted CAs, and the same networks
// the dial may reach for the host requested (netreach.go; see
// [reach.dialPolicy]) — at most four policies per CA set.
const (
	maxIdleConnsPerHost = 16
	maxIdleConns        = 128
	idleConnTimeout     = 90 * time.Second
)

var (
	sharedPoolsMu sync.Mutex
	sharedPools   = map[[sha256.Size]byte]*policyPools{}
)

// caPools returns the process's transports for the CA bundle pem (nil: the
// system's roots alone; else roots, the system's and pem's), made on first
// use.
func caPools(pem []byte, roots *x509.CertPool) *policyPools {
	key := sha256.Sum256(pem)
	sharedPoolsMu.Lock()
	defer sharedPoolsMu.Unlock()
	if p := sharedPools[key]; p != nil {
		return p
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns, tr.MaxIdleConnsPerHost, tr.IdleConnTimeout = maxIdleConns, maxIdleConnsPerHost, idleConnTimeout
	tr.Proxy = proxyFromEnv // the environment as it is at each request (proxy.go)
	if roots != nil {
		tr.TLSClientConfig = &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
	}
	// Whatever a host name resolves to: the addresses are vetted, then
	// dialled (the Control check is a last line for the same rule).
	dialer := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second, Control: discoveryDialControl}
	lookup := func(ctx context.Context, host string) ([]netip.Addr, error) {
		return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	}
	p := newPolicyPools(tr, lookup, dialer.DialContext)
	sharedPools[key] = p
	return p
}

// newHTTPClient builds the client used for every request: refusing
// link-local and cloud-metadata addresses at dial time, and loopback and
// private ones that r does not allow (see netreach.go), on the process's
// transports for its CAs (the system's, and ca_file's when it is set),
// through the environment's proxy (proxy.go), bounded by the
// configured timeout, and never following redirects (a token endpoint that
// redirects is an error; OAuth 2.1 §3.2 — the caller decides per endpoint).
func newHTTPClient(c *Config, r *reach) (*http.Client, error) {
	var pem []byte
	var roots *x509.CertPool
	if c.CAFile != "" {
		var err error
		if pem, err = os.ReadFile(c.CAFile); err != nil {
			return nil, &ConfigError{Field: "ca_file", Reason: "cannot be read"}
		}
		if roots, err = withSystemRoots(pem); err != nil {
			return nil, err
		}
	}
	return &http.Client{
		Transport:     &reachTransport{pools: caPools(pem, roots), reach: r},
		Timeout:       c.HTTPTimeout(),
		CheckRedirect: noRedirect,
	}, nil
}

func noRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// withSystemRoots is the system's roots and the CAs of pem: a company's
// private CA is trusted beside the public ones, not instead of them (an MCP
// server behind the company's CA may use a public authorization server).
// Where the system's roots cannot be read, pem's alone.
func withSystemRoots(pem []byte) (*x509.CertPool, error) {
	roots, err := x509.SystemCertPool()
	if err != nil {
		roots = x509.NewCertPool()
	}
	if !roots.AppendCertsFromPEM(pem) {
		return nil, &ConfigError{Field: "ca_file", Reason: "holds no PEM certificate"}
	}
	return roots, nil
}

// policyPools is one transport per dial policy (the networks beyond the
// public Internet a dial may reach), each made from base on first use and
// dialling through [guardedDial] under that policy alone.
type policyPools struct {
	base   *http.Transport
	lookup lookupFunc
	dial   dialFunc

	mu sync.Mutex
	by map[netClass]*http.Transport
}

func newPolicyPools(base *http.Transport, lookup lookupFunc, dial dialFunc) *policyPools {
	return &policyPools{base: base, lookup: lookup, dial: dial, by: map[netClass]*http.Transport{}}
}

// get returns the transport for requests whose dials may reach allow.
func (p *policyPools) get(allow netClass) *http.Transport {
	p.mu.Lock()
	defer p.mu.Unlock()
	if tr := p.by[allow]; tr != nil {
		return tr
	}
	tr := p.base.Clone()
	rule := &reach{trusted: map[string]bool{}, servers: map[string]bool{}, allowed: allow}
	tr.DialContext = guardedDial(rule, p.lookup, p.dial)
	// A proxy the base uses (HTTPS_PROXY, often on loopback or the company
	// network: proxy.go) is configuration, and trusted.
	if proxy := tr.Proxy; proxy != nil {
		tr.Proxy = func(req *http.Request) (*url.URL, error) {
			u, err := proxy(req)
			if u != nil {
				rule.trust(u.String(), false)
			}
			return u, err
		}
	}
	p.by[allow] = tr
	return tr
}

// withHeaderTimeout is a new set of pools like p whose transports bound the
// wait for response headers by d (an MCP session's, see core/mcpclient/mcpconn.go).
func (p *policyPools) withHeaderTimeout(d time.Duration) *policyPools {
	base := p.base.Clone()
	base.ResponseHeaderTimeout = d
	return newPolicyPools(base, p.lookup, p.dial)
}

// closeIdle closes the idle connections of every transport of p.
func (p *policyPools) closeIdle() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, tr := range p.by {
		tr.CloseIdleConnections()
	}
}
