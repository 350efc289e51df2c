package main

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// statusCode is one MCP_OAUTH_OK or MCP_OAUTH_E_* macro of the header.
type statusCode struct {
	Name  string // without the MCP_OAUTH_ prefix: "OK", "E_BAD_HANDLE"
	Value int
}

// Short is the name without the E_ prefix, as Node's Status spells it.
func (s statusCode) Short() string { return strings.TrimPrefix(s.Name, "E_") }

var statusDefine = regexp.MustCompile(`(?m)^#define MCP_OAUTH_(OK|E_[A-Z0-9_]+)[ \t]+(-?[0-9]+)[ \t]*$`)

// parseStatusCodes reads the status codes of the header: MCP_OAUTH_OK, 0,
// then each MCP_OAUTH_E_* one below the previous (the ABI's codes are
// appended, never renumbered).
func parseStatusCodes(header string) ([]statusCode, error) {
	var codes []statusCode
	for _, m := range statusDefine.FindAllStringSubmatch(header, -1) {
		v, err := strconv.Atoi(m[2])
		if err != nil {
			return nil, err
		}
		if v != -len(codes) {
			return nil, fmt.Errorf("MCP_OAUTH_%s is %d: the codes must run 0, -1, -2, ... in order (want %d)", m[1], v, -len(codes))
		}
		if (v == 0) != (m[1] == "OK") {
			return nil, fmt.Errorf("MCP_OAUTH_%s: only MCP_OAUTH_OK is 0, and it comes first", m[1])
		}
		codes = append(codes, statusCode{Name: m[1], Value: v})
	}
	if len(codes) < 2 {
		return nil, fmt.Errorf("no MCP_OAUTH_E_* status codes found")
	}
	return codes, nil
}

// pyStatusText is the constants of _errors.py.
func pyStatusText(codes []statusCode) string {
	var b strings.Builder
	b.WriteString("# Status codes, as in mcp_oauth.h. Stable: appended, never renumbered.\n")
	for _, c := range codes {
		fmt.Fprintf(&b, "%s = %d\n", c.Name, c.Value)
	}
	return b.String()
}

// jsStatusText is the Status object of lib/errors.js.
func jsStatusText(codes []statusCode) string {
	return statusTable(codes, "/** Status codes of include/mcp_oauth.h (stable: appended, never renumbered). */\n"+
		"const Status = Object.freeze({\n", "  %s: %d,\n", "});\n")
}

// tsStatusText is the declaration of Status in index.d.ts.
func tsStatusText(codes []statusCode) string {
	return statusTable(codes, "/** Status codes of include/mcp_oauth.h. */\nexport declare const Status: {\n",
		"  readonly %s: %d;\n", "};\n")
}

// statusTable writes head, each code's short name and value by the format
// entry, then tail.
func statusTable(codes []statusCode, head, entry, tail string) string {
	var b strings.Builder
	b.WriteString(head)
	for _, c := range codes {
		fmt.Fprintf(&b, entry, c.Short(), c.Value)
	}
	b.WriteString(tail)
	return b.String()
}
