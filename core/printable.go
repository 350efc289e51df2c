package core

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Printable returns s with every character that could drive a terminal
// written as an escape: C0 and C1 controls and DEL (ESC starts the ANSI /
// ECMA-48 sequences that retitle a window, clear the screen or, with OSC 52,
// write the clipboard), the Unicode bidirectional controls that reorder what
// is shown (the "Trojan Source" attack), and bytes that are not UTF-8. A
// control becomes \xNN, a bidi control \uNNNN, a stray byte \xNN; the rest
// of s, backslashes included, is unchanged, so Printable(Printable(s)) is
// Printable(s).
//
// Servers write text into what the library reports (error_description,
// JSON-RPC error messages, WWW-Authenticate challenges); every error message
// the library builds from such text passes through Printable, so no front
// end, whatever language, prints a server's escape sequence raw.
func Printable(s string) string {
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if unprintable(r, n) {
			break
		}
		i += n
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unprintable(r, n) && r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		case unprintable(r, n):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// unprintable reports whether the rune r, n bytes long in its string, is one
// that [Printable] escapes.
func unprintable(r rune, n int) bool {
	switch {
	case r == utf8.RuneError && n == 1:
		return true
	case r < 0x20, r >= 0x7f && r < 0xa0: // C0, DEL, C1
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true // bidirectional controls (Unicode UAX #9)
	}
	return false
}

// printableErr returns err, or an error with the same chain whose message
// has been made [Printable]: for errors written by other code (the MCP SDK,
// net/http) that may quote what a server sent.
func printableErr(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if clean := Printable(msg); clean != msg {
		return &redactedError{msg: clean, err: err}
	}
	return err
}
