package core

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"time"
)

// maxDiscoveryRedirects bounds the same-origin redirects followed while
// fetching one metadata document.
const maxDiscoveryRedirects = 5

// cloudMetadataAddrs are instance metadata services reachable from cloud
// VMs; discovery never contacts them (link-local 169.254.169.254 is also
// covered by the link-local rule).
var cloudMetadataAddrs = []netip.Addr{
	netip.MustParseAddr("169.254.169.254"), // AWS, GCP, Azure, OpenStack
	netip.MustParseAddr("fd00:ec2::254"),   // AWS IPv6 IMDS
}

// checkDiscoveryURL vets a URL before discovery or registration contacts it:
// absolute, no credentials or fragment, https (http only on a loopback host,
// OAuth 2.1 §1.5), and not a link-local (169.254.0.0/16, fe80::/10),
// unspecified, multicast or cloud metadata address, nor a numeric host in a
// non-canonical form ("0xa9fea9fe", "2852039166") that some resolvers turn
// into such an address. Host names that resolve to such addresses are caught
// only by a dialer using [discoveryDialControl].
func checkDiscoveryURL(raw string) error {
	refuse := func(reason string) error { return &DiscoveryURLError{URL: raw, Reason: reason} }
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Hostname() == "" {
		return refuse("not an absolute URL")
	}
	if u.User != nil {
		return refuse("URL carries credentials")
	}
	if u.Fragment != "" || strings.Contains(raw, "#") {
		return refuse("URL has a fragment")
	}
	host := u.Hostname()
	switch strings.ToLower(u.Scheme) {
	case "https":
	case "http":
		if !IsLoopbackHost(host) {
			return refuse("https is required (http only for loopback hosts)")
		}
	default:
		return refuse("https is required")
	}
	if addr, err := netip.ParseAddr(host); err == nil {
		if reason := forbiddenAddr(addr); reason != "" {
			return refuse(reason)
		}
		return nil
	}
	if strings.Contains(host, "%") || strings.Contains(host, ":") {
		return refuse("malformed host")
	}
	name := strings.ToLower(strings.TrimSuffix(host, "."))
	if name == "metadata.google.internal" {
		return refuse("cloud metadata host")
	}
	if numericLabel(name[strings.LastIndexByte(name, '.')+1:]) {
		return refuse("host is an IP address in a non-canonical form")
	}
	return nil
}

// forbiddenAddr says why discovery must not connect to addr, or "".
func forbiddenAddr(addr netip.Addr) string {
	addr = addr.WithZone("").Unmap()
	for _, m := range cloudMetadataAddrs {
		if addr == m {
			return "cloud metadata address"
		}
	}
	switch {
	case addr.IsLinkLocalUnicast(), addr.IsLinkLocalMulticast():
		return "link-local address"
	case addr.IsUnspecified():
		return "unspecified address"
	case addr.IsMulticast():
		return "multicast address"
	}
	return ""
}

// numericLabel reports whether a DNS label is a number (decimal, octal or
// 0x-hex): a host ending in one is parsed as an IPv4 address by WHATWG URL
// parsers and by inet_aton-based resolvers.
func numericLabel(label string) bool {
	if label == "" {
		return false
	}
	digits := label
	if len(label) > 1 && (label[:2] == "0x" || label[:2] == "0X") {
		digits = label[2:]
		if digits == "" {
			return true
		}
		for i := 0; i < len(digits); i++ {
			if !strings.ContainsRune("0123456789abcdefABCDEF", rune(digits[i])) {
				return false
			}
		}
		return true
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return false
		}
	}
	return true
}

// discoveryDialControl is a [net.Dialer] Control function refusing to
// connect to the addresses [checkDiscoveryURL] refuses by URL. It closes the
// gap left by host names that resolve (or are rebound) to link-local or
// cloud metadata addresses. newHTTPClient's dialer uses it, so it applies
// to every request the library makes.
func discoveryDialControl(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		host = address
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return nil // not an IP literal: nothing to check at this layer
	}
	if reason := forbiddenAddr(addr); reason != "" {
		return &DiscoveryURLError{URL: "tcp://" + address, Reason: reason}
	}
	return nil
}

// defaultDiscoveryClient is used when a caller passes a nil *http.Client:
// the library's usual client with the default timeout.
var defaultDiscoveryClient = sync.OnceValue(func() *http.Client {
	c, err := newHTTPClient(&Config{}, nil)
	if err != nil { // only ca_file can fail, and it is empty here
		return &http.Client{Timeout: DefaultHTTPTimeout}
	}
	return c
})

// noRedirectClient returns a shallow copy of c (nil: the default client)
// that hands redirects back to the caller, keeping its transport and cookie
// jar. Discovery decides itself which redirects to follow. A client without
// a timeout (http.DefaultClient) gets DefaultHTTPTimeout, so that no request
// is unbounded.
func noRedirectClient(c *http.Client) *http.Client {
	if c == nil {
		c = defaultDiscoveryClient()
	}
	cp := *c
	cp.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	if cp.Timeout <= 0 {
		cp.Timeout = DefaultHTTPTimeout
	}
	return &cp
}

// fetchedDoc is one metadata response.
type fetchedDoc struct {
	requested string // the candidate URL asked for
	url       string // after same-origin redirects
	status    int
	body      []byte
	fresh     time.Duration // how long it may be reused (metadatacache.go); 0: not at all
}

// fetchDocument GETs a metadata document. It follows at most
// maxDiscoveryRedirects redirects, and only within the origin of rawURL: a
// redirect elsewhere, a loop or a redirect without Location is a
// [MetadataError] wrapping [ErrMetadataNotFound] (nothing usable is here).
// The body is capped at maxBodyBytes; the client's timeout bounds each hop.
func fetchDocument(ctx context.Context, c *http.Client, document, rawURL string) (fetchedDoc, error) {
	endpoint := document + " endpoint"
	cur := rawURL
	for hop := 0; ; hop++ {
		if err := checkDiscoveryURL(cur); err != nil {
			return fetchedDoc{}, err
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, cur, nil)
		if err != nil {
			return fetchedDoc{}, &DiscoveryURLError{URL: cur, Reason: "cannot build a request"}
		}
		req.Header.Set("Accept", "application/json")
		resp, err := c.Do(req)
		if err != nil {
			return fetchedDoc{}, networkError(endpoint, err)
		}
		if resp.StatusCode >= 300 && resp.StatusCode < 400 && resp.StatusCode != http.StatusNotModified {
			loc := resp.Header.Get("Location")
			drain(resp)
			notHere := func(reason string) error {
				return &MetadataError{Document: document, URL: rawURL, Reason: reason, Err: ErrMetadataNotFound}
			}
			if loc == "" {
				return fetchedDoc{}, notHere(fmt.Sprintf("HTTP %d redirect without Location", resp.StatusCode))
			}
			next, err := req.URL.Parse(loc)
			if err != nil {
				return fetchedDoc{}, notHere("redirect to an unparseable Location")
			}
			if origin(next) != origin(req.URL) {
				return fetchedDoc{}, notHere("redirects to another origin, which is not followed")
			}
			if hop >= maxDiscoveryRedirects {
				return fetchedDoc{}, notHere("too many redirects")
			}
			cur = next.String()
			continue
		}
		if resp.ContentLength > maxBodyBytes {
			resp.Body.Close()
			return fetchedDoc{}, &ProtocolError{Reason: "response body exceeds 1 MiB"}
		}
		body, err := readCapped(endpoint, resp.Body)
		resp.Body.Close()
		if err != nil {
			return fetchedDoc{}, err
		}
		return fetchedDoc{requested: rawURL, url: cur, status: resp.StatusCode, body: body,
			fresh: metadataFreshness(resp.Header, time.Now())}, nil
	}
}

// isJSONObject reports whether body is a single JSON object (after
// whitespace), telling a metadata document from an HTML catch-all page.
func isJSONObject(body []byte) bool {
	body = bytes.TrimSpace(body)
	return len(body) > 0 && body[0] == '{' && json.Valid(body)
}

// discoverFirst fetches candidates in order and returns the first document
// accept takes. A candidate is skipped when it answers any 4xx, is not a
// JSON object (an HTML catch-all page), or redirects where discovery does
// not follow; it is also skipped — the error remembered — when accept
// rejects it (a document for another resource or issuer is never used, but
// a later candidate may still be the right one). A 5xx, a transport failure,
// a timeout, an oversized body or a refused URL ends discovery at once.
// With no document accepted, the first rejection is returned, else a
// [MetadataError] wrapping [ErrMetadataNotFound].
func discoverFirst[T any](ctx context.Context, c *http.Client, document string, candidates []string,
	accept func(f fetchedDoc) (T, error)) (T, error) {
	var zero T
	var rejected, notFound error
	var tried []string
	for _, cand := range candidates {
		f, err := fetchDocument(ctx, c, document, cand)
		var me *MetadataError
		switch {
		case errors.As(err, &me) && errors.Is(err, ErrMetadataNotFound):
			tried = append(tried, redactURL(cand)+" ("+me.Reason+")")
			if notFound == nil {
				notFound = err
			}
			continue
		case err != nil:
			return zero, err
		case f.status >= 400 && f.status < 500:
			tried = append(tried, fmt.Sprintf("%s (HTTP %d)", redactURL(cand), f.status))
			continue
		case f.status < 200 || f.status >= 300:
			return zero, &ServerError{StatusCode: f.status, Endpoint: document + " endpoint"}
		case !isJSONObject(f.body):
			tried = append(tried, redactURL(cand)+" (not a JSON object)")
			if notFound == nil {
				notFound = &MetadataError{Document: document, URL: f.url, Reason: "response is not a JSON object", Err: ErrMetadataNotFound}
			}
			continue
		}
		doc, err := accept(f)
		if err == nil {
			return doc, nil
		}
		if rejected == nil {
			rejected = err
		}
	}
	if rejected != nil {
		return zero, rejected
	}
	if len(tried) == 1 && notFound != nil {
		return zero, notFound
	}
	return zero, &MetadataError{
		Document: document,
		Reason:   "not found; tried " + strings.Join(tried, ", "),
		Err:      ErrMetadataNotFound,
	}
}
