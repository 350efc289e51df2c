package core

import (
	"crypto/tls"
	"crypto/x509"
	"net"
	"net/http"
	"os"
	"time"
)

// maxBodyBytes caps every response body read from a server.
const maxBodyBytes = 1 << 20

// newHTTPClient builds the client used for every request: refusing
// link-local and cloud-metadata addresses at dial time, bounded by the
// configured timeout, trusting only ca_file's CAs when it is set, and never
// following redirects (a token endpoint that redirects is an error; OAuth 2.1
// §3.2 — the caller decides per endpoint).
func newHTTPClient(c *Config) (*http.Client, error) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 16
	// Never connect to link-local or cloud-metadata addresses, whatever a
	// host name resolves to.
	tr.DialContext = (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second,
		Control: discoveryDialControl}).DialContext
	if c.CAFile != "" {
		pem, err := os.ReadFile(c.CAFile)
		if err != nil {
			return nil, &ConfigError{Field: "ca_file", Reason: "cannot be read"}
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, &ConfigError{Field: "ca_file", Reason: "holds no PEM certificate"}
		}
		tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	return &http.Client{
		Transport: tr,
		Timeout:   c.HTTPTimeout(),
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}, nil
}
