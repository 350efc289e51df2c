package oauthtest

import (
	"net/url"
	"slices"
	"strings"
)

// requestedScope returns the scope parameter after checking its syntax
// (RFC 6749 §3.3): space-delimited tokens of %x21 / %x23-5B / %x5D-7E.
func requestedScope(params url.Values) (string, *oauthError) {
	scope := firstValue(params, "scope")
	if scope == "" {
		return "", nil
	}
	for _, tok := range strings.Split(scope, " ") {
		if tok == "" {
			return "", badRequest("invalid_scope", "scope tokens must be separated by single spaces")
		}
		if !validScopeToken(tok) {
			return "", badRequest("invalid_scope", "scope contains a forbidden character")
		}
	}
	return scope, nil
}

// validScopeToken reports whether tok is a non-empty scope token of
// %x21 / %x23-5B / %x5D-7E (RFC 6749 §3.3).
func validScopeToken(tok string) bool {
	for _, c := range []byte(tok) {
		if c < 0x21 || c == 0x22 || c == 0x5c || c > 0x7e {
			return false
		}
	}
	return tok != ""
}

// checkScopeSupported refuses a scope with a token outside supported, when
// supported is not empty (RFC 6749 §3.3).
func checkScopeSupported(scope string, supported []string) *oauthError {
	if len(supported) == 0 {
		return nil
	}
	for _, tok := range strings.Fields(scope) {
		if !slices.Contains(supported, tok) {
			return badRequest("invalid_scope", "scope "+tok+" is not supported")
		}
	}
	return nil
}

// isSubset reports whether every element of want is in have.
func isSubset(want, have []string) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}

// requestedResources returns the resource parameters, which must be absolute
// URIs without fragment (RFC 8707 §2).
func requestedResources(params url.Values) ([]string, *oauthError) {
	resources := params["resource"]
	for _, r := range resources {
		u, err := url.Parse(r)
		if err != nil || !u.IsAbs() || strings.Contains(r, "#") {
			return nil, badRequest("invalid_target", "resource must be an absolute URI without fragment")
		}
	}
	return resources, nil
}
