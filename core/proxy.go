package core

import (
	"errors"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
)

// Enterprise networks: every request of the library (discovery, registration,
// token requests, MCP sessions) goes through the proxy the environment names,
// read for each request, so that a variable set after the library loaded
// counts: HTTPS_PROXY for https URLs, HTTP_PROXY for http ones (either also
// in lower case; HTTP_PROXY is ignored in a CGI program, where a request's
// "Proxy:" header would set it), except for the hosts NO_PROXY lists and for
// loopback hosts, which a proxy cannot reach. An https request is tunnelled
// (HTTP CONNECT), so the proxy never sees its content. The proxy is the
// user's configuration, trusted by the dial guard (netreach.go) even on
// loopback; the URLs requested through it are still checked.

// envFirst is the first of names set to a non-empty value, or "".
func envFirst(names ...string) string {
	for _, n := range names {
		if v := getenv(n); v != "" {
			return v
		}
	}
	return ""
}

// proxyFromEnv is the proxy for req as the environment says now; nil for a
// direct connection.
func proxyFromEnv(req *http.Request) (*url.URL, error) {
	var raw string
	switch req.URL.Scheme {
	case "https":
		raw = envFirst("HTTPS_PROXY", "https_proxy")
	case "http":
		if getenv("REQUEST_METHOD") == "" {
			raw = envFirst("HTTP_PROXY", "http_proxy")
		}
	}
	if raw == "" || !useProxy(req.URL, envFirst("NO_PROXY", "no_proxy")) {
		return nil, nil
	}
	return parseProxyURL(raw)
}

// parseProxyURL reads a proxy variable's value: a URL, or host:port for an
// http:// proxy.
func parseProxyURL(raw string) (*url.URL, error) {
	if !strings.Contains(raw, "://") {
		raw = "http://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return nil, errors.New("mcp-oauth: the proxy variable is not a URL or host:port")
	}
	switch u.Scheme {
	case "http", "https", "socks5", "socks5h":
		return u, nil
	}
	return nil, errors.New("mcp-oauth: the proxy variable's scheme is not http, https or socks5")
}

// useProxy says whether a request to u goes through the proxy, given
// NO_PROXY's value: a comma-separated list of host names (each matching
// itself and its subdomains; with a leading "." or "*.", its subdomains
// only), IP addresses, CIDR ranges, each optionally with a :port, or "*"
// (no proxy at all). Loopback hosts never use the proxy.
func useProxy(u *url.URL, noProxy string) bool {
	host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	if c, ok := hostClass(host); ok && c == netLoopback {
		return false
	}
	port := u.Port()
	if port == "" {
		port = map[string]string{"https": "443", "http": "80"}[u.Scheme]
	}
	ip, ipErr := netip.ParseAddr(host)
	for _, entry := range strings.Split(noProxy, ",") {
		entry = strings.ToLower(strings.TrimSpace(entry))
		if entry == "" {
			continue
		}
		if entry == "*" {
			return false
		}
		if p, err := netip.ParsePrefix(entry); err == nil {
			if ipErr == nil && p.Contains(ip.Unmap()) {
				return false
			}
			continue
		}
		name, entryPort := entry, ""
		if h, p, err := net.SplitHostPort(entry); err == nil {
			name, entryPort = h, p
		}
		if entryPort != "" && entryPort != port {
			continue
		}
		name = strings.TrimSuffix(strings.Trim(name, "[]"), ".")
		if a, err := netip.ParseAddr(name); err == nil {
			if ipErr == nil && a.Unmap() == ip.Unmap() {
				return false
			}
			continue
		}
		switch {
		case strings.HasPrefix(name, "*."):
			name = name[1:]
			fallthrough
		case strings.HasPrefix(name, "."):
			if strings.HasSuffix(host, name) {
				return false
			}
		case host == name || strings.HasSuffix(host, "."+name):
			return false
		}
	}
	return true
}
