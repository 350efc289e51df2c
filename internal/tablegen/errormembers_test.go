package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestErrorMembersMatchHeader: the members of the error JSON (out_error)
// listed in the header's conventions are the ones docs/concepts.md,
// Python's McpOAuthError docstring and Node's ErrorDetails type list.
func TestErrorMembersMatchHeader(t *testing.T) {
	read := func(name string) string {
		data, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	// between marks a part of text, failing when a mark is missing.
	between := func(name, text, from, to string) string {
		_, s, ok := strings.Cut(text, from)
		if !ok {
			t.Fatalf("%s: no %q", name, from)
		}
		s, _, ok = strings.Cut(s, to)
		if !ok {
			t.Fatalf("%s: no %q after %q", name, to, from)
		}
		return s
	}
	names := func(re, text string) []string {
		var out []string
		for _, m := range regexp.MustCompile(re).FindAllStringSubmatch(text, -1) {
			out = append(out, m[1])
		}
		return out
	}

	want := names(`(?m)^ \*\s+"(\w+)"\s`, between(headerSource, read(headerSource), "char **out_error`.", "On success *out_error"))
	if len(want) < 3 || want[0] != "code" || want[1] != "message" {
		t.Fatalf("%s: error members %q", headerSource, want)
	}
	copies := map[string][]string{
		docsConfig: append([]string{"code"}, names("`(\\w+)`",
			between(docsConfig, read(docsConfig), "\n## Errors\n", "No message ever"))...),
		pyErrors:  names("``(\\w+)``", between(pyErrors, read(pyErrors), "details: the library's error object", "when there is")),
		nodeTypes: names(`(?m)^\s+(\w+)\??:`, between(nodeTypes, read(nodeTypes), "export interface ErrorDetails {", "\n}")),
	}
	for name, got := range copies {
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s lists the error members %q, the header %q", name, got, want)
		}
	}
}
