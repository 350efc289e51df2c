package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
)

// usage writes the tool's help: commands, global flags, environment and
// exit codes.
func (a *app) usage(w io.Writer) {
	fmt.Fprint(w, `mcp-oauth obtains OAuth access tokens for MCP servers and calls their tools.

Usage:
  mcp-oauth [flags] <command> [flags] [arguments]

Commands:
`)
	for _, c := range commands {
		fmt.Fprintf(w, "  %-10s %-32s %s\n", c.name, c.args, c.summary)
	}
	fmt.Fprint(w, `
Flags (accepted before or after the command):
`)
	fs := flag.NewFlagSet("mcp-oauth", flag.ContinueOnError)
	var o options
	o.register(fs)
	registerTopFlags(fs, new(bool))
	printDefaults(w, fs)
	fmt.Fprint(w, exitCodesHelp)
}

// exitCodesHelp documents the environment and the exit codes.
var exitCodesHelp = fmt.Sprintf(`
Environment:
  %s, %s  client credentials for CI (the client_credentials grant);
      prefer them to --client-secret, which other users can see in the process list
  %s  issuer of the authorization server that issued them (--issuer)
  %s  client authentication method (--auth-method)
  %s  private key of a private_key_jwt client (--private-key-file)
  %s  token store directory, keyring, or redis:// URL (--store)
  %s  the server of commands given no URL, before "server" in
      $XDG_CONFIG_HOME/mcp-oauth/config.json (~/.config/mcp-oauth/config.json), which the first login sets
  BROWSER  command that opens the authorization URL (default: xdg-open with a display, open on macOS)

Progress and errors go to stderr; stdout carries only the result (for token: the token alone).

Exit codes:
%s`, envClientID, envClientSecret, envIssuer, envAuthMethod, envPrivateKey, envStore, envServer, exitCodesText())

// exitCodeDocs are the exit codes (exitcodes.go) and their meaning: --help
// prints them, and docs/cli.md's table says the same
// (TestExitCodesDocumented).
var exitCodeDocs = []struct {
	code    int
	meaning string
}{
	{exitOK, "success"},
	{exitFailure, "any other failure"},
	{exitUsage, "usage error: a bad command line or configuration"},
	{exitLoginNeeded, "login required: no stored credentials, or the authorization expired or was revoked — run `mcp-oauth login URL`"},
	{exitAuthDenied, "authorization denied, the device code expired, or nobody came back in time"},
	{exitUnreachable, "a server could not be reached, or answered with a server error (5xx)"},
	{exitMCPError, "MCP error: the server refused the request (e.g. an unknown tool), or the tool reported an error"},
	{exitNeedsScope, "needs more scope: the server requires a scope (named in the message) that the authorization lacks — run `mcp-oauth login URL`, which asks for it"},
	{exitNotGranted, "scope not granted: the authorization server did not grant a scope the server requires (named in the message); logging in again will not help until your access changes"},
	{exitInterrupted, "interrupted (SIGINT, SIGTERM)"},
}

// exitCodesText is exitCodeDocs as --help shows them, wrapped at 80
// columns.
func exitCodesText() string {
	var b strings.Builder
	for _, e := range exitCodeDocs {
		line := fmt.Sprintf("  %d ", e.code)
		for _, w := range strings.Fields(e.meaning) {
			if len(line)+1+len(w) > 80 {
				b.WriteString(line + "\n")
				line = "      "
			}
			line += " " + w
		}
		b.WriteString(line + "\n")
	}
	return b.String()
}

// commandUsage writes a command's help.
func (a *app) commandUsage(w io.Writer, c *command, fs *flag.FlagSet) {
	fmt.Fprintf(w, "Usage: mcp-oauth %s [flags] %s\n\n%s%s.\n\nFlags:\n",
		c.name, c.args, strings.ToUpper(c.summary[:1]), c.summary[1:])
	printDefaults(w, fs)
	fmt.Fprintln(w, "\nRun 'mcp-oauth --help' for the environment and the exit codes.")
}

// printDefaults writes fs's flags with two dashes, as they are usually
// typed.
func printDefaults(w io.Writer, fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		name, usage := flag.UnquoteUsage(f)
		fmt.Fprintf(w, "  --%s", f.Name)
		if name != "" {
			fmt.Fprintf(w, " %s", name)
		}
		fmt.Fprintf(w, "\n      %s\n", usage)
	})
}
