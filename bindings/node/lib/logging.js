'use strict';
// Logging: the library's events (docs/concepts.md, "Logging") for Node.
// koffi cannot run a callback on the library's threads while the main thread
// waits in a synchronous call, so the library keeps the events in a bounded
// buffer (mcp_oauth_log_buffer) which this module drains: when an
// asynchronous call settles, every 100 ms while a handler is set (a timer
// that keeps no process alive), and at exit.

const util = require('node:util');
const { native, take } = require('./native.js');
const { Status, errorOf } = require('./errors.js');

/** The levels, by name, as the C ABI numbers them (MCP_OAUTH_LOG_*). */
const LEVELS = Object.freeze({ debug: 10, info: 20, warn: 30, error: 40 });
const NAMES = Object.freeze({ 10: 'debug', 20: 'info', 30: 'warn', 40: 'error' });

const DRAIN_INTERVAL_MS = 100;

let handler = null;
let timer = null;
let exitHook = false;

/**
 * setLogHandler sends the process's events of `level` or above to
 * `fn({ level, event, message, fields })`; null stops. Loads the library.
 */
function setLogHandler(fn, { level = 'debug' } = {}) {
  if (fn !== null && typeof fn !== 'function') {
    throw errorOf(Status.INVALID_ARGUMENT, 'mcp-oauth: the log handler must be a function or null');
  }
  if (!Object.hasOwn(LEVELS, level)) {
    throw errorOf(Status.INVALID_ARGUMENT, `mcp-oauth: log level must be one of ${Object.keys(LEVELS).join(', ')}`);
  }
  const { fn: lib } = native();
  if (fn === null) {
    flush();
    handler = null;
    lib.log_buffer(0);
    clearInterval(timer);
    timer = null;
    return;
  }
  flush();
  handler = fn;
  lib.log_buffer(LEVELS[level]);
  if (timer === null) {
    timer = setInterval(flush, DRAIN_INTERVAL_MS);
    timer.unref();
  }
  if (!exitHook) {
    exitHook = true;
    process.on('exit', flush);
  }
}

/** flush delivers the events kept so far to the handler (a no-op without one). */
function flush() {
  if (handler === null) return;
  const slot = [null];
  if (native().fn.log_drain(slot) !== 0) return;
  const events = JSON.parse(take(slot) ?? '[]');
  for (const e of events) {
    try {
      handler({ level: NAMES[e.level] ?? String(e.level), event: e.event, message: e.message, fields: e.fields });
    } catch {
      // a failing handler loses its event, nothing else
    }
  }
}

/**
 * NODE_DEBUG=mcp-oauth writes every event to stderr the way util.debuglog
 * does, unless the program set a handler of its own. Checked once, at load.
 */
function fromEnvironment() {
  const debug = util.debuglog('mcp-oauth');
  if (!debug.enabled) return;
  try {
    setLogHandler((e) => debug('%s %s: %s', e.level.toUpperCase(), e.event, e.message));
  } catch {
    // no library: the first call will say so
  }
}

module.exports = { setLogHandler, flush, fromEnvironment, LEVELS };
