package core

import (
	"net"
	"net/url"
	"strings"
)

// maxURLLength bounds every URL the library accepts (browsers and servers
// commonly cap URLs near 8 KiB).
const maxURLLength = 8192

// checkEndpointURL requires an absolute https URL without fragment, or http
// on a loopback host (OAuth 2.1 §1.5, RFC 8252 §8.3). Empty is allowed.
func checkEndpointURL(field, raw string) error {
	if raw == "" {
		return nil
	}
	if len(raw) > maxURLLength {
		return &ConfigError{Field: field, Reason: "is longer than 8 KiB"}
	}
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Host == "" {
		return &ConfigError{Field: field, Reason: "must be an absolute URL"}
	}
	if u.Fragment != "" || strings.Contains(raw, "#") {
		return &ConfigError{Field: field, Reason: "must not contain a fragment"}
	}
	if u.User != nil {
		return &ConfigError{Field: field, Reason: "must not contain credentials"}
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if IsLoopbackHost(u.Hostname()) {
			return nil
		}
		return &ConfigError{Field: field, Reason: "must use https (http is allowed only for loopback hosts)"}
	}
	return &ConfigError{Field: field, Reason: "must use https"}
}

// checkRedirectURI accepts https URIs, loopback http URIs (RFC 8252 §7.3) and
// private-use scheme URIs (RFC 8252 §7.1); never a fragment (RFC 6749 §3.1.2).
func checkRedirectURI(field, raw string) error {
	if raw == "" {
		return nil
	}
	if len(raw) > maxURLLength {
		return &ConfigError{Field: field, Reason: "is longer than 8 KiB"}
	}
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() {
		return &ConfigError{Field: field, Reason: "must be an absolute URI"}
	}
	if u.Fragment != "" || strings.Contains(raw, "#") {
		return &ConfigError{Field: field, Reason: "must not contain a fragment"}
	}
	if u.Scheme == "http" && !IsLoopbackHost(u.Hostname()) {
		return &ConfigError{Field: field, Reason: "must use https (http is allowed only for loopback hosts)"}
	}
	return nil
}

// checkResource requires an absolute URI without fragment (RFC 8707 §2).
func checkResource(raw string) error {
	if raw == "" {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() {
		return &ConfigError{Field: "resource", Reason: "must be an absolute URI (RFC 8707 §2)"}
	}
	if u.Fragment != "" || strings.Contains(raw, "#") {
		return &ConfigError{Field: "resource", Reason: "must not contain a fragment (RFC 8707 §2)"}
	}
	return nil
}

// IsLoopbackHost reports whether host is "localhost" or a loopback IP
// address (127.0.0.0/8, ::1).
func IsLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
