package core

import (
	"crypto/sha256"
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

// Connection pooling. The managers of a process share their transports, one
// per set of rules a connection is made under (today: the CAs trusted), so
// a gateway holding 10,000 managers keeps one pool of connections per
// authorization server, not one per manager: at most maxIdleConnsPerHost
// idle connections per host (maxIdleConns in all), each costing two
// goroutines and a descriptor, closed after idleConnTimeout. A transport is
// shared only by managers whose connections follow the same rules: a
// connection made for one must be fit for every other.
const (
	maxIdleConnsPerHost = 16
	maxIdleConns        = 128
	idleConnTimeout     = 90 * time.Second
)

var (
	poolsMu sync.Mutex
	pools   = map[[sha256.Size]byte]*http.Transport{}
)

// pooledTransport returns the process's transport for the CA bundle pem
// (nil: the system's roots), made on first use.
func pooledTransport(pem []byte, roots *x509.CertPool) *http.Transport {
	key := sha256.Sum256(pem)
	poolsMu.Lock()
	defer poolsMu.Unlock()
	if tr := pools[key]; tr != nil {
		return tr
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns, tr.MaxIdleConnsPerHost, tr.IdleConnTimeout = maxIdleConns, maxIdleConnsPerHost, idleConnTimeout
	// Never connect to link-local or cloud-metadata addresses, whatever a
	// host name resolves to.
	tr.DialContext = (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second,
		Control: discoveryDialControl}).DialContext
	if roots != nil {
		tr.TLSClientConfig = &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
	}
	pools[key] = tr
	return tr
}

// newHTTPClient builds the client used for every request: on the process's
// transport for its CAs (only ca_file's when it is set), bounded by the
// configured timeout, never following redirects (a token endpoint that
// redirects is an error; OAuth 2.1 §3.2 — the caller decides per endpoint).
func newHTTPClient(c *Config) (*http.Client, error) {
	var pem []byte
	var roots *x509.CertPool
	if c.CAFile != "" {
		var err error
		if pem, err = os.ReadFile(c.CAFile); err != nil {
			return nil, &ConfigError{Field: "ca_file", Reason: "cannot be read"}
		}
		roots = x509.NewCertPool()
		if !roots.AppendCertsFromPEM(pem) {
			return nil, &ConfigError{Field: "ca_file", Reason: "holds no PEM certificate"}
		}
	}
	return &http.Client{
		Transport:     pooledTransport(pem, roots),
		Timeout:       c.HTTPTimeout(),
		CheckRedirect: noRedirect,
	}, nil
}

func noRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
