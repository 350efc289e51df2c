package main

import (
	"encoding/json"
	"fmt"
	"time"
)

// progress tells the user what the command is waiting for, on stderr:
// stdout carries only the command's result.
func (a *app) progress(format string, args ...any) {
	fmt.Fprintln(a.stderr, shownLines(fmt.Sprintf(format, args...)))
}

// printJSON writes v as indented JSON on stdout.
func (a *app) printJSON(v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(a.stdout, "%s\n", jsonSafe(data))
	return err
}

// slowNotice reports on stderr what the command waits for once it has
// waited for a second, so that quick commands stay silent in scripts; the
// returned function ends the wait.
func (a *app) slowNotice(format string, args ...any) (done func()) {
	t := time.AfterFunc(time.Second, func() { a.progress(format, args...) })
	return func() { t.Stop() }
}
