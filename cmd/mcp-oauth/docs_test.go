package main

import (
	"flag"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
)

// TestExitCodesDocumented: every exit* constant of exitcodes.go has a row
// in exitCodeDocs (which --help prints), and docs/cli.md's exit code table
// has exactly the same rows, in the same order.
func TestExitCodesDocumented(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "exitcodes.go", nil, 0)
	require.NoError(t, err)
	var consts []int
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			v := s.(*ast.ValueSpec)
			if len(v.Names) == 1 && strings.HasPrefix(v.Names[0].Name, "exit") && len(v.Values) == 1 {
				lit, ok := v.Values[0].(*ast.BasicLit)
				require.True(t, ok, "%s: a literal, please", v.Names[0].Name)
				n, err := strconv.Atoi(lit.Value)
				require.NoError(t, err)
				consts = append(consts, n)
			}
		}
	}
	var documented []int
	for _, e := range exitCodeDocs {
		documented = append(documented, e.code)
	}
	require.NotEmpty(t, consts)
	assert.ElementsMatch(t, consts, documented, "exit codes of exitcodes.go vs exitCodeDocs")

	page, err := os.ReadFile("../../docs/cli.md")
	require.NoError(t, err)
	_, section, ok := strings.Cut(string(page), "\n## Exit codes\n")
	require.True(t, ok, "docs/cli.md has no Exit codes section")
	section, _, _ = strings.Cut(section, "\n## ")
	rows := regexp.MustCompile(`(?m)^\| ([0-9]+) \| (.*) \|$`).FindAllStringSubmatch(section, -1)
	require.Len(t, rows, len(exitCodeDocs), "rows of docs/cli.md's exit code table")
	for i, e := range exitCodeDocs {
		assert.Equal(t, strconv.Itoa(e.code), rows[i][1], "row %d", i+1)
		assert.Equal(t, e.meaning, rows[i][2], "exit code %d", e.code)
	}
}

// TestDocsListEveryCommandAndFlag: docs/cli.md's command table has one row
// per command, with its synopsis, and its flag table names every flag and
// environment variable the command reads — no more, no fewer.
func TestDocsListEveryCommandAndFlag(t *testing.T) {
	page, err := os.ReadFile("../../docs/cli.md")
	require.NoError(t, err)
	table := func(heading string) string {
		_, s, ok := strings.Cut(string(page), "\n## "+heading+"\n")
		require.True(t, ok, "docs/cli.md has no %q section", heading)
		s, _, _ = strings.Cut(s, "\n## ")
		return s
	}

	var synopses, want []string
	for _, m := range regexp.MustCompile("(?m)^\\| `([^`]+)` \\|").FindAllStringSubmatch(table("Commands"), -1) {
		synopses = append(synopses, m[1])
	}
	for _, c := range commands {
		want = append(want, strings.TrimSpace(c.name+" "+c.args))
	}
	assert.Equal(t, want, synopses, "the commands of docs/cli.md")

	fs := flag.NewFlagSet("all", flag.ContinueOnError)
	var o options
	o.register(fs)
	registerTopFlags(fs, new(bool))
	for _, c := range commands {
		if c.flags != nil {
			c.flags(fs, &o)
		}
	}
	var flags []string
	fs.VisitAll(func(f *flag.Flag) { flags = append(flags, f.Name) })
	section := table("Flags and environment")
	var documented []string
	for _, m := range regexp.MustCompile("--([a-z][a-z-]*)|`-([a-z])`").FindAllStringSubmatch(section, -1) {
		if m[1] == "" {
			m[1] = m[2] // a one-letter flag, such as `-v`
		}
		if !slices.Contains(documented, m[1]) {
			documented = append(documented, m[1])
		}
	}
	assert.ElementsMatch(t, flags, documented, "the flags of docs/cli.md")
	for _, env := range []string{envClientID, envClientSecret, envStore, envAuthMethod, envPrivateKey, envServer, "BROWSER", core.LogEnv} {
		assert.Contains(t, section, "`"+env+"`")
	}
}
