package core

import (
	"crypto/tls"
	"crypto/x509"
	"net"
	"net/http"
	"os"
	"sync"
	"time"
)

// maxBodyBytes caps every response body read from a server.
const maxBodyBytes = 1 << 20

// Connection pooling. Every manager of a process without a ca_file shares
// one transport, so a gateway holding 10,000 managers keeps a pool of
// connections per authorization server, not one per manager: at most
// maxIdleConnsPerHost idle connections per host (maxIdleConns in all),
// each costing two goroutines and a descriptor. A manager with a ca_file
// trusts other CAs than the rest and gets a transport of its own, closed
// with it.
const (
	maxIdleConnsPerHost = 16
	maxIdleConns        = 128
	idleConnTimeout     = 90 * time.Second
)

// sharedTransport is the process-wide transport of managers without a
// ca_file.
var sharedTransport = sync.OnceValue(func() *http.Transport { return newTransport(nil) })

// newTransport builds a transport refusing link-local and cloud-metadata
// addresses at dial time and trusting roots (nil: the system's).
func newTransport(roots *x509.CertPool) *http.Transport {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns, tr.MaxIdleConnsPerHost, tr.IdleConnTimeout = maxIdleConns, maxIdleConnsPerHost, idleConnTimeout
	// Never connect to link-local or cloud-metadata addresses, whatever a
	// host name resolves to.
	tr.DialContext = (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second,
		Control: discoveryDialControl}).DialContext
	if roots != nil {
		tr.TLSClientConfig = &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
	}
	return tr
}

// newHTTPClient builds the client used for every request: on the shared
// transport, or on one of its own (own true) trusting only ca_file's CAs
// when it is set; bounded by the configured timeout; never following
// redirects (a token endpoint that redirects is an error; OAuth 2.1 §3.2 —
// the caller decides per endpoint).
func newHTTPClient(c *Config) (client *http.Client, own bool, err error) {
	tr := sharedTransport()
	if c.CAFile != "" {
		pem, err := os.ReadFile(c.CAFile)
		if err != nil {
			return nil, false, &ConfigError{Field: "ca_file", Reason: "cannot be read"}
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, false, &ConfigError{Field: "ca_file", Reason: "holds no PEM certificate"}
		}
		tr, own = newTransport(pool), true
	}
	return &http.Client{
		Transport:     tr,
		Timeout:       c.HTTPTimeout(),
		CheckRedirect: noRedirect,
	}, own, nil
}

func noRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
