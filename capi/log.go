package main

/*
#include <stdlib.h>
typedef void (*mcp_oauth_log_fn)(void *userdata, int level, const char *event, const char *message, const char *fields_json);

// cgo cannot call a C function pointer: this does.
static void call_log_fn(mcp_oauth_log_fn fn, void *userdata, int level, const char *event, const char *message, const char *fields_json) {
	fn(userdata, level, event, message, fields_json);
}
*/
import "C"

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"unsafe"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
)

// The library's events (core/log.go) reach up to three sinks: stderr (the
// MCP_OAUTH_LOG variable, read when the library loads), a C callback
// (mcp_oauth_set_log_callback: Python's logging) and a bounded buffer
// drained by the caller (mcp_oauth_log_buffer, mcp_oauth_log_drain: Node,
// whose FFI cannot be called back from the library's threads). Core gets a
// handler only while a sink is on, so that logging off costs nothing.

// maxLogBuffer bounds the buffered events; beyond it the oldest are dropped
// and counted.
const maxLogBuffer = 1000

// off is a level no event has: the sink is off.
const off = slog.Level(1 << 20)

var logSinks = struct {
	sync.Mutex
	stderr   slog.Level
	errOut   slog.Handler // lines to stderr
	callback slog.Level
	fn       C.mcp_oauth_log_fn
	userdata unsafe.Pointer
	buffer   slog.Level
	events   []core.LogEntry
	dropped  int
}{stderr: off, callback: off, buffer: off}

// callbackMu serialises the callback's calls (the header promises it).
var callbackMu sync.Mutex

func init() {
	if l, ok := core.ParseLogLevel(os.Getenv(core.LogEnv)); ok {
		logSinks.stderr, logSinks.errOut = l, core.NewLineHandler(os.Stderr, l)
		applyLogSinksLocked()
	}
}

// applyLogSinksLocked gives core a handler when a sink is on, none else.
// logSinks must be locked (or not yet shared).
func applyLogSinksLocked() {
	least := min(logSinks.stderr, logSinks.callback, logSinks.buffer)
	if least == off {
		core.SetLogHandler(nil)
		return
	}
	core.SetLogHandler(sinkHandler{least: least})
}

// sinkHandler hands each event to the sinks that want its level.
type sinkHandler struct{ least slog.Level }

func (h sinkHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= h.least }
func (h sinkHandler) WithAttrs([]slog.Attr) slog.Handler           { return h }
func (h sinkHandler) WithGroup(string) slog.Handler                { return h }

func (h sinkHandler) Handle(ctx context.Context, r slog.Record) error {
	e := core.NewLogEntry(r)
	logSinks.Lock()
	toStderr, toCallback := r.Level >= logSinks.stderr, r.Level >= logSinks.callback
	fn, userdata, w := logSinks.fn, logSinks.userdata, logSinks.errOut
	if r.Level >= logSinks.buffer {
		if len(logSinks.events) == maxLogBuffer {
			logSinks.events = logSinks.events[1:]
			logSinks.dropped++
		}
		logSinks.events = append(logSinks.events, e)
	}
	logSinks.Unlock()
	if toStderr {
		_ = w.Handle(ctx, r)
	}
	if toCallback && fn != nil {
		fields, _ := json.Marshal(e.Fields)
		cev, cmsg, cfields := C.CString(e.Event), C.CString(e.Message), C.CString(string(fields))
		callbackMu.Lock()
		C.call_log_fn(fn, userdata, C.int(e.Level), cev, cmsg, cfields)
		callbackMu.Unlock()
		C.free(unsafe.Pointer(cev))
		C.free(unsafe.Pointer(cmsg))
		C.free(unsafe.Pointer(cfields))
	}
	return nil
}

// sinkLevel reads a level number of the ABI: 0 is off.
func sinkLevel(n C.int) (slog.Level, error) {
	if n == 0 {
		return off, nil
	}
	if n < core.LogLevelDebug || n > core.LogLevelError {
		return off, errArg("min_level %d is not 0 or a level from MCP_OAUTH_LOG_DEBUG to MCP_OAUTH_LOG_ERROR", int(n))
	}
	return core.LogLevelOf(int(n)), nil
}

//export mcp_oauth_set_log_callback
func mcp_oauth_set_log_callback(fn C.mcp_oauth_log_fn, userdata unsafe.Pointer, minLevel C.int) (rc C.int) {
	defer guard(&rc, nil)
	l, err := sinkLevel(minLevel)
	if err != nil {
		return fail(nil, err)
	}
	if fn == nil {
		l = off
	}
	logSinks.Lock()
	defer logSinks.Unlock()
	logSinks.fn, logSinks.userdata, logSinks.callback = fn, userdata, l
	applyLogSinksLocked()
	return statusOK
}

//export mcp_oauth_log_buffer
func mcp_oauth_log_buffer(minLevel C.int) (rc C.int) {
	defer guard(&rc, nil)
	l, err := sinkLevel(minLevel)
	if err != nil {
		return fail(nil, err)
	}
	logSinks.Lock()
	defer logSinks.Unlock()
	logSinks.buffer = l
	if l == off {
		logSinks.events, logSinks.dropped = nil, 0
	}
	applyLogSinksLocked()
	return statusOK
}

//export mcp_oauth_log_drain
func mcp_oauth_log_drain(out **C.char) (rc C.int) {
	defer guard(&rc, nil)
	if out == nil {
		return fail(nil, errArg("out is NULL"))
	}
	*out = nil
	logSinks.Lock()
	events, dropped := logSinks.events, logSinks.dropped
	logSinks.events, logSinks.dropped = nil, 0
	logSinks.Unlock()
	if dropped > 0 {
		events = append([]core.LogEntry{{Level: core.LogLevelWarn, Event: core.EventLogDropped,
			Message: fmt.Sprintf("%d earlier events were dropped (buffer full)", dropped),
			Fields:  map[string]any{"dropped": dropped}}}, events...)
	}
	if events == nil {
		events = []core.LogEntry{}
	}
	js, err := json.Marshal(events)
	if err != nil {
		return fail(nil, err)
	}
	*out = C.CString(string(js))
	return statusOK
}
