package core

import "strings"

// Challenge is one authentication challenge from a WWW-Authenticate header
// (RFC 9110 §11.6.1): a scheme with either auth-params or a token68.
type Challenge struct {
	// Scheme is the auth-scheme as sent; compare it with [Challenge.Is]
	// (schemes are case-insensitive).
	Scheme string
	// Params holds the auth-params with lower-cased names and unquoted,
	// unescaped values. A repeated name keeps its first value (RFC 9110
	// §11.2 forbids repeats).
	Params map[string]string
	// Token68 is the token68 form of the credentials ("Negotiate abc=="),
	// "" when the challenge uses auth-params.
	Token68 string
}

// Is reports whether the challenge's scheme is scheme, ignoring case.
func (c Challenge) Is(scheme string) bool { return strings.EqualFold(c.Scheme, scheme) }

// ResourceMetadata returns the resource_metadata parameter: the URL of the
// protected resource metadata (RFC 9728 §5.1), or "".
func (c Challenge) ResourceMetadata() string { return c.Params["resource_metadata"] }

// Scopes returns the scope parameter (RFC 6750 §3) split on spaces,
// without duplicates or values that are not scope tokens (RFC 6749 §3.3).
func (c Challenge) Scopes() []string {
	return UnionScopes(strings.Fields(c.Params["scope"]), nil)
}

// ErrorCode returns the error parameter (RFC 6750 §3.1), such as
// "invalid_token" or "insufficient_scope", or "". It is not named Error so
// that a Challenge does not satisfy the error interface.
func (c Challenge) ErrorCode() string { return c.Params["error"] }

// ErrorDescription returns the error_description parameter, or "".
func (c Challenge) ErrorDescription() string { return c.Params["error_description"] }

// BearerChallenge returns the first Bearer challenge (RFC 6750 §3) of chs.
func BearerChallenge(chs []Challenge) (Challenge, bool) {
	for _, c := range chs {
		if c.Is("Bearer") {
			return c, true
		}
	}
	return Challenge{}, false
}

// ParseWWWAuthenticate parses the values of one or more WWW-Authenticate
// header fields (RFC 9110 §11.6.1) into their challenges, in order:
//
//	WWW-Authenticate = #challenge
//	challenge  = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
//	auth-param = token BWS "=" BWS ( token / quoted-string )
//
// A header may hold several challenges and a challenge's parameters may
// contain quoted commas and backslash escapes. It is lenient where servers
// are sloppy — unquoted values up to the next comma or space (a bare URL),
// a missing comma between parameters, an unterminated quoted string, tabs
// and stray commas — and skips elements it cannot parse instead of failing.
// It never panics.
func ParseWWWAuthenticate(values []string) []Challenge {
	var out []Challenge
	for _, v := range values {
		p := &authParser{s: v}
		out = p.challenges(out)
	}
	return out
}

// authParser is a cursor over one header value.
type authParser struct {
	s string
	i int
}

func (p *authParser) done() bool { return p.i >= len(p.s) }

func (p *authParser) peek() byte {
	if p.done() {
		return 0
	}
	return p.s[p.i]
}

// skipOWS skips whitespace (SP and HTAB, and the CR LF of a folded line),
// reporting whether any was skipped.
func (p *authParser) skipOWS() bool {
	start := p.i
	for !p.done() && isAuthSpace(p.s[p.i]) {
		p.i++
	}
	return p.i > start
}

// skipSeparators skips empty list elements: whitespace and commas.
func (p *authParser) skipSeparators() {
	for !p.done() && (isAuthSpace(p.s[p.i]) || p.s[p.i] == ',') {
		p.i++
	}
}

func isAuthSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// token reads a token (RFC 9110 §5.6.2), "" when none starts here.
func (p *authParser) token() string {
	start := p.i
	for !p.done() && isTChar(p.s[p.i]) {
		p.i++
	}
	return p.s[start:p.i]
}

// skipElement skips to the next top-level comma (or the end), stepping over
// quoted strings: recovery from an element that cannot be parsed.
func (p *authParser) skipElement() {
	for !p.done() && p.s[p.i] != ',' {
		if p.s[p.i] == '"' {
			p.quoted()
			continue
		}
		p.i++
	}
}

// quoted reads a quoted-string starting at '"', removing the quotes and the
// backslashes of quoted-pairs. An unterminated string runs to the end.
func (p *authParser) quoted() string {
	p.i++ // opening quote
	var b strings.Builder
	for !p.done() {
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			return b.String()
		case c == '\\' && p.i+1 < len(p.s):
			b.WriteByte(p.s[p.i+1])
			p.i += 2
		default:
			b.WriteByte(c)
			p.i++
		}
	}
	return b.String()
}

// bareValue reads an unquoted parameter value: a token, leniently extended
// to anything up to a comma or whitespace.
func (p *authParser) bareValue() string {
	start := p.i
	for !p.done() && p.s[p.i] != ',' && !isAuthSpace(p.s[p.i]) {
		p.i++
	}
	return p.s[start:p.i]
}

// paramAhead reports whether an auth-param (token BWS "=") starts here,
// without consuming input.
func (p *authParser) paramAhead() bool {
	save := p.i
	defer func() { p.i = save }()
	if p.token() == "" {
		return false
	}
	p.skipOWS()
	return p.peek() == '='
}

// challenges appends the challenges of the whole value to out.
func (p *authParser) challenges(out []Challenge) []Challenge {
	for {
		p.skipSeparators()
		if p.done() {
			return out
		}
		if p.paramAhead() { // a parameter without a scheme: skip it
			p.skipElement()
			continue
		}
		scheme := p.token()
		if scheme == "" {
			p.skipElement()
			continue
		}
		ch := Challenge{Scheme: scheme, Params: map[string]string{}}
		p.body(&ch)
		out = append(out, ch)
	}
}

// body reads what follows a scheme: a token68 or a list of auth-params,
// stopping before a comma that starts the next challenge.
func (p *authParser) body(ch *Challenge) {
	if !p.skipOWS() {
		if !p.done() && p.peek() != ',' {
			p.skipElement() // "Bearer\"x\"": garbage glued to the scheme
		}
		return
	}
	if t, ok := p.token68(); ok {
		ch.Token68 = t
		return
	}
	for {
		p.skipOWS()
		if p.done() {
			return
		}
		if p.peek() == ',' {
			save := p.i
			p.skipSeparators()
			if p.done() {
				return
			}
			switch {
			case p.paramAhead():
			case isTChar(p.peek()): // a scheme: the next challenge
				p.i = save
				return
			default: // garbage: skip the element, stay in this challenge
				p.skipElement()
			}
			continue
		}
		name := p.token()
		if name == "" {
			p.skipElement()
			continue
		}
		p.skipOWS()
		if p.peek() != '=' {
			p.skipElement()
			continue
		}
		p.i++
		p.skipOWS()
		var value string
		if p.peek() == '"' {
			value = p.quoted()
		} else {
			value = p.bareValue()
		}
		key := strings.ToLower(name)
		if _, dup := ch.Params[key]; !dup {
			ch.Params[key] = value
		}
	}
}

// token68 reads a token68 (1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+"
// / "/" ) *"=") that makes up the whole challenge body; otherwise it
// consumes nothing.
func (p *authParser) token68() (string, bool) {
	start := p.i
	for !p.done() && isToken68Char(p.s[p.i]) {
		p.i++
	}
	if p.i == start {
		return "", false
	}
	for !p.done() && p.s[p.i] == '=' {
		p.i++
	}
	end := p.i
	p.skipOWS()
	if p.done() || p.peek() == ',' {
		return p.s[start:end], true
	}
	p.i = start
	return "", false
}

// isTChar reports whether c is a token character (RFC 9110 §5.6.2).
func isTChar(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

func isToken68Char(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("-._~+/", c) >= 0
}
