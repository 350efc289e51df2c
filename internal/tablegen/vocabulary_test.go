package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// vocabularyColumns are the languages of docs/concepts.md's "One vocabulary"
// table, in its column order after the concept.
var vocabularyColumns = []string{"C", "Python", "Node", "CLI"}

// vocabularyTable returns the rows of docs/concepts.md's "One vocabulary"
// table: the concept, then one cell per vocabularyColumns entry.
func vocabularyTable(t *testing.T) [][]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, docsConfig))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(data), "\n## One vocabulary\n")
	if !ok {
		t.Fatalf("%s has no \"One vocabulary\" section", docsConfig)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	var rows [][]string
	for _, line := range strings.Split(section, "\n") {
		if !strings.HasPrefix(line, "| ") || strings.HasPrefix(line, "|---") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "| "), " | ")
		if len(cells) != 1+len(vocabularyColumns) {
			t.Fatalf("%s: a vocabulary row of %d cells: %q", docsConfig, len(cells), line)
		}
		rows = append(rows, cells)
	}
	if len(rows) < 2 || rows[0][0] != "concept" || strings.Join(rows[0][1:], " ") != strings.Join(vocabularyColumns, " ") {
		t.Fatalf("%s: the vocabulary table's heading is not concept | %s", docsConfig, strings.Join(vocabularyColumns, " | "))
	}
	return rows[1:]
}

// TestVocabularyTableNamesExist: every name docs/concepts.md's vocabulary
// table gives for C, Python and Node exists in that language's public
// surface, so a rename that misses the table, or a table row naming
// something that is not there, fails. (cmd/mcp-oauth's
// TestVocabularyCLIColumn checks the CLI column with the command's own flag
// parser.) A cell's names are its `code` spans; "—" means none.
//
// What a name must match, by its form:
//
//	Name, name           C: a word of the header; Python: a public name (the
//	                     package's _HOME or _errors.__all__); Node: exported
//	                     by lib/index.js and declared by index.d.ts — for a
//	                     lower-case name, a member of index.d.ts (`name?:`)
//	                     or of the generated camelCase table
//	name=                Python: a keyword (a parameter or a config field)
//	.name, .name()       Python: an attribute or method; Node: a member of index.d.ts
//	"value", 'value'     a string of the header / the package / index.d.ts
func TestVocabularyTableNamesExist(t *testing.T) {
	read := func(names ...string) string {
		var b strings.Builder
		for _, name := range names {
			data, err := os.ReadFile(filepath.Join(root, name))
			if err != nil {
				t.Fatal(err)
			}
			b.Write(data)
		}
		return b.String()
	}
	pyFiles, err := filepath.Glob(filepath.Join(root, "bindings/python/src/mcp_oauth_client/*.py"))
	if err != nil || len(pyFiles) == 0 {
		t.Fatal("no Python sources", err)
	}
	for i, f := range pyFiles {
		pyFiles[i], _ = filepath.Rel(root, f)
	}
	header := read(headerSource)
	python := read(pyFiles...)
	pyPublic := read("bindings/python/src/mcp_oauth_client/__init__.py") + between(t, read(pyErrors), "__all__ = [", "]")
	dts := read(nodeTypes)
	nodeExports := between(t, read("bindings/node/lib/index.js"), "module.exports = {", "\n};")
	camel := read(nodeConfigKeys)

	has := func(text, re string) bool { return regexp.MustCompile(re).MatchString(text) }
	q := regexp.QuoteMeta
	checks := map[string]func(name string) bool{
		"C": func(n string) bool {
			if s, ok := quoted(n); ok {
				return strings.Contains(header, `"`+s+`"`)
			}
			return has(header, `\b`+q(n)+`\b`)
		},
		"Python": func(n string) bool {
			if s, ok := quoted(n); ok {
				return strings.Contains(python, `"`+s+`"`)
			}
			if kw, ok := strings.CutSuffix(n, "="); ok {
				return has(python, `\b`+q(kw)+`: `)
			}
			if m, ok := member(n); ok {
				return has(python, `def `+q(m)+`\(self\b|self\.`+q(m)+` = |^\s+`+q(m)+`: `)
			}
			return has(pyPublic, `"`+q(n)+`"`)
		},
		"Node": func(n string) bool {
			if s, ok := quoted(n); ok {
				return strings.Contains(dts, `'`+s+`'`)
			}
			if m, ok := member(n); ok {
				return has(dts, `(?m)^\s+(readonly )?`+q(m)+`[?(:]`)
			}
			if n[0] >= 'a' && n[0] <= 'z' {
				return has(dts, `\b`+q(n)+`\??:`) || has(camel, `(?m)^\s+`+q(n)+`: '`)
			}
			return has(nodeExports, `(?m)^\s+`+q(n)+`[,:]`) &&
				has(dts, `(?m)^export declare (class|const|function) `+q(n)+`\b`)
		},
	}
	rows := vocabularyTable(t)
	for _, row := range rows {
		for i, lang := range vocabularyColumns {
			check := checks[lang]
			if check == nil {
				continue
			}
			for _, name := range codeSpans(row[1+i]) {
				if !check(name) {
					t.Errorf("vocabulary %q: %s has no %s", row[0], lang, name)
				}
			}
		}
	}
}

// codeSpans returns the `code` spans of a Markdown table cell.
func codeSpans(cell string) []string {
	var out []string
	for _, m := range regexp.MustCompile("`([^`]+)`").FindAllStringSubmatch(cell, -1) {
		out = append(out, m[1])
	}
	return out
}

// quoted returns the content of a "double" or 'single' quoted name.
func quoted(n string) (string, bool) {
	if len(n) >= 2 && (n[0] == '"' || n[0] == '\'') && n[len(n)-1] == n[0] {
		return n[1 : len(n)-1], true
	}
	return "", false
}

// member returns the attribute or method name of ".name" or ".name()".
func member(n string) (string, bool) {
	if !strings.HasPrefix(n, ".") {
		return "", false
	}
	return strings.TrimSuffix(n[1:], "()"), true
}

// between returns the text between from and the next to, failing the test
// when either is missing.
func between(t *testing.T, text, from, to string) string {
	t.Helper()
	_, s, ok := strings.Cut(text, from)
	if !ok {
		t.Fatalf("no %q", from)
	}
	s, _, ok = strings.Cut(s, to)
	if !ok {
		t.Fatalf("no %q after %q", to, from)
	}
	return s
}
