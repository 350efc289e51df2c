package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// Sources and copies, relative to the repository root.
const (
	configSource = "core/config.go"
	headerSource = "include/mcp_oauth.h"

	pyConfig       = "bindings/python/src/mcp_oauth_client/_config.py"
	pyErrors       = "bindings/python/src/mcp_oauth_client/_errors.py"
	nodeErrors     = "bindings/node/lib/errors.js"
	nodeTypes      = "bindings/node/index.d.ts"
	nodeConfigKeys = "bindings/node/lib/configkeys.js"
	docsConfig     = "docs/concepts.md"
)

// copyRegion is one generated region: a file, the region's name and its
// text.
type copyRegion struct {
	file, name, text string
}

// generate reads the sources under root and returns the new content of
// every file that holds a copy, keyed by its path relative to root.
func generate(root string) (map[string]string, error) {
	header, err := os.ReadFile(filepath.Join(root, headerSource))
	if err != nil {
		return nil, err
	}
	codes, err := parseStatusCodes(string(header))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", headerSource, err)
	}
	fields, err := parseConfig(filepath.Join(root, configSource))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", configSource, err)
	}
	tsConfig, err := tsConfigText(fields)
	if err != nil {
		return nil, err
	}
	regions := []copyRegion{
		{headerSource, "config", headerConfigText(fields)},
		{docsConfig, "config", docsConfigText(fields)},
		{pyConfig, "config", pyConfigText(fields)},
		{nodeTypes, "config", tsConfig},
		{nodeConfigKeys, "config", jsConfigKeysText(fields)},
		{pyErrors, "status", pyStatusText(codes)},
		{nodeErrors, "status", jsStatusText(codes)},
		{nodeTypes, "status", tsStatusText(codes)},
	}
	files := map[string]string{}
	for _, r := range regions {
		text, ok := files[r.file]
		if !ok {
			data, err := os.ReadFile(filepath.Join(root, r.file))
			if err != nil {
				return nil, err
			}
			text = string(data)
		}
		if text, err = replaceRegion(text, r.name, r.text); err != nil {
			return nil, fmt.Errorf("%s: %w", r.file, err)
		}
		files[r.file] = text
	}
	return files, nil
}

// replaceRegion replaces the lines between the "BEGIN GENERATED name" and
// "END GENERATED name" marker lines of text by body (whole lines).
func replaceRegion(text, name, body string) (string, error) {
	begin := regexp.MustCompile(`(?m)^.*\bBEGIN GENERATED ` + regexp.QuoteMeta(name) + `\b.*\n`)
	end := regexp.MustCompile(`(?m)^.*\bEND GENERATED ` + regexp.QuoteMeta(name) + `\b.*$`)
	b := begin.FindAllStringIndex(text, -1)
	if len(b) != 1 {
		return "", fmt.Errorf("want one line with BEGIN GENERATED %s, found %d", name, len(b))
	}
	e := end.FindAllStringIndex(text, -1)
	if len(e) != 1 || e[0][0] < b[0][1] {
		return "", fmt.Errorf("want one line with END GENERATED %s after its BEGIN", name)
	}
	return text[:b[0][1]] + body + text[e[0][0]:], nil
}

// wrap fills words into lines of at most width characters (a longer word
// stands alone), the first line prefixed by first, the others by rest.
func wrap(text string, width int, first, rest string) string {
	var b strings.Builder
	line := first
	empty := true
	for _, w := range strings.Fields(text) {
		if !empty && len(line)+1+len(w) > width {
			b.WriteString(strings.TrimRight(line, " ") + "\n")
			line, empty = rest, true
		}
		if !empty {
			line += " "
		}
		line += w
		empty = false
	}
	b.WriteString(strings.TrimRight(line, " ") + "\n")
	return b.String()
}
