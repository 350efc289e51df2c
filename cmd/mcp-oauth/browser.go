package main

import (
	"os/exec"
	"runtime"
	"strings"
)

// browserCommand returns the command that opens url in the user's browser,
// or nil when there is none: $BROWSER when set (its first colon-separated
// entry, with %s replaced by the URL or the URL appended, as xdg-utils and
// Python's webbrowser read it); else open on macOS, and xdg-open where a
// graphical session is running ($DISPLAY or $WAYLAND_DISPLAY).
func (a *app) browserCommand(url string) *exec.Cmd {
	if b, _, _ := strings.Cut(a.getenv("BROWSER"), ":"); strings.TrimSpace(b) != "" {
		fields := strings.Fields(b)
		replaced := false
		for i, f := range fields {
			if strings.Contains(f, "%s") {
				fields[i], replaced = strings.ReplaceAll(f, "%s", url), true
			}
		}
		if !replaced {
			fields = append(fields, url)
		}
		return exec.Command(fields[0], fields[1:]...)
	}
	switch {
	case runtime.GOOS == "darwin":
		return exec.Command("open", url)
	case a.getenv("DISPLAY") != "" || a.getenv("WAYLAND_DISPLAY") != "":
		return exec.Command("xdg-open", url)
	}
	return nil
}

// openBrowser starts the browser on url without waiting for it; its output
// goes nowhere, so stdout stays the command's result. It reports whether a
// browser was started.
func (a *app) openBrowser(url string) bool {
	cmd := a.browserCommand(url)
	if cmd == nil {
		return false
	}
	if err := cmd.Start(); err != nil {
		a.progress("Could not start a browser (%v).", err)
		return false
	}
	go func() { _ = cmd.Wait() }() // reaped while the command waits for the redirect
	return true
}
