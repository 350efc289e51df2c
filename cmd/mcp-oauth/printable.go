package main

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
)

// Servers write much of what the command prints: error descriptions, tool
// names, descriptions and results, device-flow codes and URLs, client ids.
// None may reach the terminal raw: an escape sequence can retitle the
// window, clear the screen or write the clipboard (OSC 52). Everything the
// command prints goes through shown, shownLines or jsonSafe, which write
// such characters as escapes ([core.Printable]).

// shown is s on one line with every control character escaped.
func shown(s string) string { return core.Printable(s) }

// shownLines is s with its line breaks and tabs kept and every other
// control character escaped, for multi-line text such as a tool's output.
func shownLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		cells := strings.Split(l, "\t")
		for j, c := range cells {
			cells[j] = core.Printable(c)
		}
		lines[i] = strings.Join(cells, "\t")
	}
	return strings.Join(lines, "\n")
}

// jsonSafe is indented JSON with every character that Printable would
// escape written as a JSON \u escape instead, so it stays the same JSON.
// (encoding/json escapes C0 controls already; C1 controls, DEL and the
// bidirectional controls it leaves raw, and they can only occur inside
// strings.)
func jsonSafe(data []byte) []byte {
	var b bytes.Buffer
	for len(data) > 0 {
		r, n := utf8.DecodeRune(data)
		if r != '\n' && r != '\t' && n > 0 && core.Printable(string(data[:n])) != string(data[:n]) {
			fmt.Fprintf(&b, `\u%04x`, r)
		} else {
			b.Write(data[:n])
		}
		data = data[n:]
	}
	return b.Bytes()
}
