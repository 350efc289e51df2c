package core

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestPrintable(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain text, ünïcödé and a \\ backslash", "plain text, ünïcödé and a \\ backslash"},
		{"\x1b]0;pwned\x07title", `\x1b]0;pwned\x07title`},
		{"\x1b[2Jclear", `\x1b[2Jclear`},
		{"\x1b]52;c;aGk=\x07", `\x1b]52;c;aGk=\x07`},
		{"line\nbreak\ttab\rcr", `line\x0abreak\x09tab\x0dcr`},
		{"del\x7f c1\u009b", `del\x7f c1\x9b`},
		{"bidi \u202eevil\u2066", `bidi \u202eevil\u2066`},
		{"bad \xff byte", `bad \xff byte`},
	} {
		got := Printable(tc.in)
		assert.Equal(t, tc.want, got, "%q", tc.in)
		assert.Equal(t, got, Printable(got), "idempotent for %q", tc.in)
	}
}
