package main

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"testing"
)

// TestDocsCFunctionTablesMatchHeader: docs/c.md's function tables have a
// row for every function the header declares, and name no other. (The
// bindings' declaration tables are checked by their own tests:
// test_loading.py, declarations.test.js.)
func TestDocsCFunctionTablesMatchHeader(t *testing.T) {
	header, err := os.ReadFile(filepath.Join(root, headerSource))
	if err != nil {
		t.Fatal(err)
	}
	code := regexp.MustCompile(`(?s)/\*.*?\*/`).ReplaceAllString(string(header), "")
	declared := map[string]bool{}
	for _, m := range regexp.MustCompile(`\b(mcp_(?:oauth|pkce|client)_\w+)\s*\(`).FindAllStringSubmatch(code, -1) {
		declared[m[1]] = true
	}
	docs, err := os.ReadFile(filepath.Join(root, "docs/c.md"))
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	for _, row := range regexp.MustCompile("(?m)^\\| `mcp_[^|]*").FindAllString(string(docs), -1) {
		for _, m := range regexp.MustCompile(`\b(mcp_\w+)\(`).FindAllStringSubmatch(row, -1) {
			documented[m[1]] = true
		}
	}
	if missing, extra := setDiff(declared, documented), setDiff(documented, declared); len(missing)+len(extra) > 0 || len(declared) == 0 {
		t.Errorf("docs/c.md's function tables: missing %q, not in the header %q", missing, extra)
	}
}

func setDiff(a, b map[string]bool) []string {
	var out []string
	for k := range a {
		if !b[k] {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}
