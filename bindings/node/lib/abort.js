'use strict';
// AbortSignal support for the blocking calls (device polling, the
// interactive browser flow, token requests, MCP requests): an abort calls
// mcp_oauth_cancel() on the manager (mcp_client_cancel() on an MCP client),
// and the call rejects with signal.reason, as fetch() and
// signal.throwIfAborted() do — by default a DOMException named 'AbortError'
// (or 'TimeoutError' for AbortSignal.timeout()).

const { Status, errorOf } = require('./errors.js');

/**
 * checkSignal validates an optional `signal` option and throws its reason if
 * it is already aborted (then nothing is started).
 */
function checkSignal(signal) {
  if (signal === undefined || signal === null) return;
  if (typeof signal !== 'object' || typeof signal.aborted !== 'boolean' ||
      typeof signal.addEventListener !== 'function' || typeof signal.removeEventListener !== 'function') {
    throw errorOf(Status.INVALID_ARGUMENT, 'mcp-oauth: signal must be an AbortSignal');
  }
  signal.throwIfAborted();
}

/** How often an abort repeats mcp_oauth_cancel() until the call returns. */
const RECANCEL_MS = 50;

/**
 * withSignal resolves to the status of `call()` (a promise for a native
 * call's status), calling `cancel()` if `signal` aborts meanwhile. It waits
 * for the native call to return (promptly, once cancelled) so that no call is
 * left running; then a CANCELLED status caused by the abort becomes a
 * rejection with signal.reason. A call that finished before the abort could
 * stop it keeps its own outcome.
 *
 * mcp_oauth_cancel() ends only the calls already inside the library, and a
 * call handed to koffi's worker thread may not have got there yet when the
 * abort comes: cancel() is therefore repeated every RECANCEL_MS until the
 * call returns.
 */
async function withSignal(signal, cancel, call) {
  checkSignal(signal);
  if (signal === undefined || signal === null) return call();
  let timer = null;
  const cancelQuietly = () => {
    try {
      cancel();
    } catch {
      // Closed meanwhile: nothing is left to cancel.
    }
  };
  const onAbort = () => {
    cancelQuietly();
    timer = setInterval(cancelQuietly, RECANCEL_MS);
  };
  signal.addEventListener('abort', onAbort, { once: true });
  let rc;
  try {
    rc = await call();
  } finally {
    signal.removeEventListener('abort', onAbort);
    if (timer !== null) clearInterval(timer);
  }
  if (rc === Status.CANCELLED && signal.aborted) throw signal.reason;
  return rc;
}

/**
 * abortable is withSignal for a call whose promise resolves to a value and
 * rejects with an McpOAuthError: aborting `signal` calls `cancel()`, and the
 * CANCELLED rejection that follows becomes signal.reason.
 */
async function abortable(signal, cancel, call) {
  let value;
  let failure = null;
  await withSignal(signal, cancel, () => call().then(
    (v) => { value = v; return Status.OK; },
    (err) => { failure = err; return err?.errno ?? Status.INTERNAL; }));
  if (failure !== null) throw failure;
  return value;
}

module.exports = { checkSignal, withSignal, abortable };
