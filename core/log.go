package core

import (
	"context"
	"log/slog"
	"net/url"
	"sync/atomic"
	"time"
)

// What the library does — discovery steps, registrations, token requests,
// refreshes, retries, step-ups, HTTP exchanges — is told as events to the
// process's log handler ([SetLogHandler]), none by default. An event is a
// [slog.Record] whose message is a short sentence and whose attributes are
// "event" (a stable name such as "token.request") and the event's fields.
//
// No event carries a credential: its fields are chosen from what is not
// secret (endpoints, grant types, status codes, scopes, client ids), URLs
// lose their query, fragment and user information ([logURL]) and errors
// are the library's own, which quote no credential (redact.go). Front ends
// deliver the events (C: a callback or stderr, Python: the logging module,
// Node: a handler, the CLI: --verbose) and never add to them.

// Event names, stable across versions (tests and users filter on them).
const (
	EventDiscoveryStart    = "discovery.start"
	EventDiscoveryResource = "discovery.resource_metadata"
	EventDiscoveryAS       = "discovery.auth_server"
	EventDiscoveryDone     = "discovery.done"
	EventRegistration      = "registration.request"
	EventRegistered        = "registration.done"
	EventRegistrationReuse = "registration.reused"
	EventTokenRequest      = "token.request"
	EventTokenResponse     = "token.response"
	EventTokenError        = "token.error"
	EventRefresh           = "token.refresh"
	EventRefreshRejected   = "token.refresh_rejected"
	EventBackgroundRefresh = "token.background_refresh"
	EventRetry             = "token.retry"
	EventStepUp            = "stepup"
	EventStepUpLimit       = "stepup.limit"
	EventAuthorizeBegin    = "authorization.begin"
	EventAuthorizeComplete = "authorization.complete"
	EventHTTPRequest       = "http.request"
	// EventLogDropped is told by a front end whose buffer of events overflowed.
	EventLogDropped = "log.dropped"
)

// logHandler is the process's handler; nil (the default) logs nothing.
var logHandler atomic.Pointer[slog.Handler]

// SetLogHandler sends the library's events to h from now on (nil: none).
// It applies to the whole process, is safe for concurrent use, and h is
// called from any goroutine, concurrently.
func SetLogHandler(h slog.Handler) {
	if h == nil {
		logHandler.Store(nil)
		return
	}
	logHandler.Store(&h)
}

// logEnabled says whether an event of level would be delivered, so that
// an event costs one atomic load when nobody listens.
func logEnabled(ctx context.Context, level slog.Level) bool {
	h := logHandler.Load()
	return h != nil && (*h).Enabled(ctx, level)
}

// logEvent delivers the event named event with msg and attrs, when the
// handler wants its level. attrs alternate keys and values, as
// [slog.Logger.Log]'s; values must be free of credentials.
func logEvent(ctx context.Context, level slog.Level, event, msg string, attrs ...any) {
	h := logHandler.Load()
	if h == nil || !(*h).Enabled(ctx, level) {
		return
	}
	r := slog.NewRecord(time.Now(), level, msg, 0)
	r.AddAttrs(slog.String("event", event))
	r.Add(attrs...)
	_ = (*h).Handle(ctx, r) // a failing handler cannot fail the library
}

// logURL is raw without what may carry a credential: user information,
// query and fragment (an MCP server URL may carry an API key in its query).
func logURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	u.User, u.RawQuery, u.ForceQuery, u.Fragment, u.RawFragment = nil, "", false, "", ""
	return u.String()
}

// logErr is an error's message for an event ("" for nil): the library's
// errors quote no credential (redact.go, printable.go).
func logErr(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
