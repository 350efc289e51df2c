package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// envServer names the default MCP server, before the configuration file's.
const envServer = "MCP_OAUTH_SERVER"

// fileConfig is the command's configuration file, config.json in
// $XDG_CONFIG_HOME/mcp-oauth (else ~/.config/mcp-oauth).
type fileConfig struct {
	// Server is the MCP server of the commands that are given none.
	Server string `json:"server,omitempty"`
}

// configPath is the configuration file's path, "" without a home.
func (a *app) configPath() string {
	if x := a.getenv("XDG_CONFIG_HOME"); filepath.IsAbs(x) {
		return filepath.Join(x, "mcp-oauth", "config.json")
	}
	home := a.getenv("HOME")
	if home == "" {
		home, _ = os.UserHomeDir()
	}
	if home == "" {
		return ""
	}
	return filepath.Join(home, ".config", "mcp-oauth", "config.json")
}

// readConfig reads the configuration file; a missing one is empty.
func (a *app) readConfig() (fileConfig, error) {
	var c fileConfig
	path := a.configPath()
	if path == "" {
		return c, nil
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return c, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return c, &usageError{msg: fmt.Sprintf("%s: %v (expected {\"server\": \"https://...\"})", path, err)}
	}
	return c, nil
}

// defaultServer is $MCP_OAUTH_SERVER, else the configuration file's server.
func (a *app) defaultServer() (string, error) {
	server := a.getenv(envServer)
	if server == "" {
		c, err := a.readConfig()
		if err != nil {
			return "", err
		}
		server = c.Server
	}
	if server == "" {
		return "", &usageError{msg: fmt.Sprintf("no server given: name its URL, or set $%s or \"server\" in %s (the first login sets it)",
			envServer, a.configPath())}
	}
	return serverArg(server)
}

// serverAndArgs splits a command's positional arguments into the MCP
// server's URL and the others, of which the command takes at most
// maxOthers: the first argument is the server when it is a URL (it has a
// scheme) or when there are more than maxOthers; otherwise the default
// server is.
func (a *app) serverAndArgs(args []string, maxOthers int) (string, []string, error) {
	if len(args) > maxOthers || (len(args) > 0 && strings.Contains(args[0], "://")) {
		server, err := serverArg(args[0])
		return server, args[1:], err
	}
	server, err := a.defaultServer()
	return server, args, err
}

// rememberDefaultServer makes server the default when none is set (no
// $MCP_OAUTH_SERVER, no configuration file), so that the commands after a
// first login need no URL. A failure is only reported.
func (a *app) rememberDefaultServer(server string) {
	path := a.configPath()
	if path == "" || a.getenv(envServer) != "" {
		return
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		return
	}
	data, _ := json.MarshalIndent(fileConfig{Server: server}, "", "  ")
	err := os.MkdirAll(filepath.Dir(path), 0o700)
	if err == nil {
		err = os.WriteFile(path, append(data, '\n'), 0o600)
	}
	if err != nil {
		a.progress("Could not record %s as the default server: %v", server, err)
		return
	}
	a.progress("%s is now the default server (%s): commands given no URL use it.", server, path)
}
