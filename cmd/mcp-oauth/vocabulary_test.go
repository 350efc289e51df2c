package main

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestVocabularyCLIColumn: every name the CLI column of docs/concepts.md's
// "One vocabulary" table gives is the command's: a `--flag` it registers, a
// `--flag value` its parser and option check accept, a `$VARIABLE` its source
// reads. (internal/tablegen's TestVocabularyTableNamesExist checks the
// other columns.)
func TestVocabularyCLIColumn(t *testing.T) {
	page, err := os.ReadFile("../../docs/concepts.md")
	require.NoError(t, err)
	_, section, ok := strings.Cut(string(page), "\n## One vocabulary\n")
	require.True(t, ok, "docs/concepts.md has no \"One vocabulary\" section")
	section, _, _ = strings.Cut(section, "\n## ")
	var sources strings.Builder
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	for _, f := range files {
		if !strings.HasSuffix(f, "_test.go") {
			data, err := os.ReadFile(f)
			require.NoError(t, err)
			sources.Write(data)
		}
	}

	checked := 0
	for _, line := range strings.Split(section, "\n") {
		cells := strings.Split(strings.Trim(line, "| "), " | ")
		if !strings.HasPrefix(line, "| ") || len(cells) != 5 || cells[0] == "concept" {
			continue
		}
		for _, m := range regexp.MustCompile("`([^`]+)`").FindAllStringSubmatch(cells[4], -1) {
			name := m[1]
			switch {
			case strings.HasPrefix(name, "$"):
				assert.True(t, strings.Contains(sources.String(), `"`+name[1:]+`"`), "%s: the command does not read %s", cells[0], name)
			case strings.HasPrefix(name, "--"):
				fs := flag.NewFlagSet("vocabulary", flag.ContinueOnError)
				fs.SetOutput(io.Discard)
				var o options
				o.register(fs)
				args := strings.Fields(name)
				if fs.Lookup(strings.TrimPrefix(args[0], "--")) == nil && len(args) == 1 {
					// A flag of one command (login's, ...).
					for _, c := range commands {
						if c.flags != nil {
							c.flags(fs, &o)
						}
					}
				}
				if !assert.NotNil(t, fs.Lookup(strings.TrimPrefix(args[0], "--")), "%s: no flag %s", cells[0], args[0]) {
					continue
				}
				if len(args) > 1 {
					assert.NoError(t, fs.Parse(args), "%s: %s", cells[0], name)
					assert.NoError(t, o.check(), "%s: %s", cells[0], name)
				}
			default:
				continue // an example value, e.g. a duration
			}
			checked++
		}
	}
	assert.Greater(t, checked, 4, "the CLI column names too little")
}
