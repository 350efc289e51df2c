package core

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
)

// LogEnv is the environment variable naming the least level of the events
// the C library writes to stderr (see [ParseLogLevel]); unset or "off":
// none.
const LogEnv = "MCP_OAUTH_LOG"

// Log levels as numbers, as the C ABI and the bindings see them: Python's
// logging levels (DEBUG 10 ... ERROR 40).
const (
	LogLevelDebug = 10
	LogLevelInfo  = 20
	LogLevelWarn  = 30
	LogLevelError = 40
)

// LogEntry is an event as the front ends deliver it.
type LogEntry struct {
	Level   int            `json:"level"` // LogLevelDebug ... LogLevelError
	Event   string         `json:"event"` // e.g. "token.request" (log.go)
	Message string         `json:"message"`
	Fields  map[string]any `json:"fields"` // strings, numbers, booleans, lists of strings
}

// NewLogEntry is r as a [LogEntry]: its message followed by its fields as
// key=value, and the fields (durations in seconds — in the message as Go
// writes them, "1.5s" — and times in RFC 3339).
func NewLogEntry(r slog.Record) LogEntry {
	e := LogEntry{Level: LogLevelNumber(r.Level), Fields: map[string]any{}}
	var text strings.Builder
	text.WriteString(r.Message)
	r.Attrs(func(a slog.Attr) bool {
		v := a.Value.Resolve()
		if a.Key == "event" {
			e.Event = v.String()
			return true
		}
		var val, shown any
		switch v.Kind() {
		case slog.KindDuration:
			val, shown = v.Duration().Seconds(), v.Duration().Round(time.Microsecond)
		case slog.KindTime:
			val = v.Time().UTC().Format(time.RFC3339)
		case slog.KindBool:
			val = v.Bool()
		case slog.KindInt64:
			val = v.Int64()
		case slog.KindUint64:
			val = v.Uint64()
		case slog.KindFloat64:
			val = v.Float64()
		case slog.KindString:
			val = v.String()
		default:
			val = v.Any()
		}
		if s, ok := val.(string); ok && s == "" {
			return true // an empty field says nothing
		}
		e.Fields[a.Key] = val
		if shown == nil {
			shown = val
		}
		fmt.Fprintf(&text, " %s=%s", a.Key, logText(shown))
		return true
	})
	e.Message = text.String()
	return e
}

// logText is a field value for a text line: quoted (Go syntax, every
// control character escaped) when it is empty or has a space, a quote, an
// "=" or a character that is not printable — a server's text cannot forge
// a line or drive a terminal.
func logText(v any) string {
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case []string:
		s = strings.Join(x, ",")
	default:
		s = fmt.Sprint(x)
	}
	if s == "" || strings.IndexFunc(s, func(r rune) bool { return r == ' ' || r == '"' || r == '=' || !unicode.IsPrint(r) }) >= 0 {
		return strconv.Quote(s)
	}
	return s
}

// LogLevelNumber is l as a number: 10 debug, 20 info, 30 warn, 40 error.
func LogLevelNumber(l slog.Level) int { return LogLevelInfo + int(l)*10/4 }

// LogLevelOf is the level of the number n (see [LogLevelNumber]); a number
// between two levels counts as the higher one.
func LogLevelOf(n int) slog.Level {
	d := (n - LogLevelInfo) * 4
	if d > 0 {
		d += 9 // round up; Go's division already does for negative d
	}
	return slog.Level(d / 10)
}

// ParseLogLevel reads a level name: "debug", "info", "warn" (or
// "warning"), "error", in any case; ok is false for "off", "" and any other
// text.
func ParseLogLevel(s string) (l slog.Level, ok bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "debug":
		return slog.LevelDebug, true
	case "info":
		return slog.LevelInfo, true
	case "warn", "warning":
		return slog.LevelWarn, true
	case "error":
		return slog.LevelError, true
	}
	return 0, false
}

// Line is e as one line of text: "mcp-oauth: LEVEL event: message".
func (e LogEntry) Line() string {
	return "mcp-oauth: " + LogLevelOf(e.Level).String() + " " + e.Event + ": " + e.Message
}

// NewLineHandler is a handler writing each event of level least or above
// to w as a [LogEntry.Line] (the C library's stderr under MCP_OAUTH_LOG,
// the command's under --verbose). It is safe for concurrent use.
func NewLineHandler(w io.Writer, least slog.Level) slog.Handler {
	return &lineHandler{w: w, least: least}
}

type lineHandler struct {
	mu    sync.Mutex
	w     io.Writer
	least slog.Level
}

func (h *lineHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= h.least }
func (h *lineHandler) WithAttrs([]slog.Attr) slog.Handler           { return h }
func (h *lineHandler) WithGroup(string) slog.Handler                { return h }

func (h *lineHandler) Handle(_ context.Context, r slog.Record) error {
	line := NewLogEntry(r).Line() + "\n"
	h.mu.Lock()
	defer h.mu.Unlock()
	_, err := io.WriteString(h.w, line)
	return err
}
