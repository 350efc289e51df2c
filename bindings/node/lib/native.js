'use strict';
// The native layer: loads libmcp_oauth once (it embeds the Go runtime and can
// never be unloaded, so the library object stays referenced by this module for
// the life of the process) and declares every function of the C API from ONE
// table of prototypes copied from include/mcp_oauth.h.

const { locate, notFoundMessage } = require('./locate.js');
const { Status, errorFor, errorOf } = require('./errors.js');

/** The major version of include/mcp_oauth.h this binding was written for. */
const HEADER_VERSION_MAJOR = 0;

/**
 * The C API, one entry per function, each prototype copied verbatim from
 * include/mcp_oauth.h (test/declarations.test.js checks that). koffiPrototype()
 * adapts them mechanically for koffi:
 *  - parameters named out / out_* become `_Out_` (koffi writes them back into
 *    a one-element array);
 *  - a `char **` output becomes `mcp_oauth_owned_str *`, a raw pointer (a
 *    BigInt) that take() decodes and releases with mcp_oauth_string_free.
 *    Not a koffi.disposable type on purpose: koffi runs the disposal function
 *    synchronously on the calling thread, which after an .async call is the
 *    main thread, where every call into Go costs 60-200 µs (measured). take()
 *    decodes on the main thread (no Go involved) and frees through .async.
 *  - `volatile` is dropped (koffi's parser does not know the qualifier; the
 *    pointer is only passed to koffi.view/decode).
 * `const char *` results are static strings: koffi copies them, nothing is freed.
 */
const PROTOTYPES = Object.freeze({
  version: 'const char *mcp_oauth_version(void)',
  strerror: 'const char *mcp_oauth_strerror(int code)',
  string_free: 'void mcp_oauth_string_free(char *s)',
  config_new: 'int mcp_oauth_config_new(mcp_oauth_config **out)',
  config_set_string: 'int mcp_oauth_config_set_string(mcp_oauth_config *c, const char *field, const char *value, char **out_error)',
  config_add_string: 'int mcp_oauth_config_add_string(mcp_oauth_config *c, const char *field, const char *value, char **out_error)',
  config_set_number: 'int mcp_oauth_config_set_number(mcp_oauth_config *c, const char *field, double value, char **out_error)',
  config_set_bool: 'int mcp_oauth_config_set_bool(mcp_oauth_config *c, const char *field, int value, char **out_error)',
  config_free: 'int mcp_oauth_config_free(mcp_oauth_config *c)',
  new_from_config: 'int mcp_oauth_new_from_config(mcp_oauth_config *c, mcp_oauth **out, char **out_error)',
  error_code: 'int mcp_oauth_error_code(const char *error_json)',
  error_member: 'int mcp_oauth_error_member(const char *error_json, const char *member, char **out)',
  new: 'int mcp_oauth_new(const char *config_json, mcp_oauth **out, char **out_error)',
  free: 'int mcp_oauth_free(mcp_oauth *h)',
  get_token: 'int mcp_oauth_get_token(mcp_oauth *h, char **out_token, char **out_error)',
  get_token_json: 'int mcp_oauth_get_token_json(mcp_oauth *h, char **out_json, char **out_error)',
  generation_ptr: 'int mcp_oauth_generation_ptr(mcp_oauth *h, const volatile uint32_t **out)',
  invalidate: 'int mcp_oauth_invalidate(mcp_oauth *h, const char *token)',
  needs_challenge: 'int mcp_oauth_needs_challenge(mcp_oauth *h)',
  handle_response: 'int mcp_oauth_handle_response(mcp_oauth *h, int status, const char *www_authenticate, const char *token, int previous_status, char **out_token, char **out_error)',
  request_headers: 'int mcp_oauth_request_headers(mcp_oauth *h, const char *method, const char *url, const char *token, char **out_json, char **out_error)',
  dpop_nonce: 'int mcp_oauth_dpop_nonce(mcp_oauth *h, const char *url, const char *token, int status, const char *www_authenticate, const char *dpop_nonce)',
  authorize_begin: 'int mcp_oauth_authorize_begin(mcp_oauth *h, const char *redirect_uri, char **out_url, char **out_state, char **out_error)',
  authorize_complete: 'int mcp_oauth_authorize_complete(mcp_oauth *h, const char *redirect_url, char **out_error)',
  authorize_interactive: 'int mcp_oauth_authorize_interactive(mcp_oauth *h, const char *open_command, double timeout_seconds, char **out_error)',
  authorize_interactive_callback: 'int mcp_oauth_authorize_interactive_callback(mcp_oauth *h, mcp_oauth_open_fn open, void *userdata, double timeout_seconds, char **out_error)',
  device_begin: 'int mcp_oauth_device_begin(mcp_oauth *h, char **out_json, char **out_error)',
  device_complete: 'int mcp_oauth_device_complete(mcp_oauth *h, int timeout_seconds, char **out_error)',
  cancel: 'int mcp_oauth_cancel(mcp_oauth *h)',
  status: 'int mcp_oauth_status(mcp_oauth *h, char **out_json, char **out_error)',
  pkce_verifier: 'int mcp_pkce_verifier(char **out)',
  pkce_challenge: 'int mcp_pkce_challenge(const char *verifier, char **out)',
  client_connect: 'int mcp_client_connect(mcp_oauth *auth, const char *server_url, const char *options_json, mcp_client **out, char **out_error)',
  client_list_tools: 'int mcp_client_list_tools(mcp_client *c, char **out_json, char **out_error)',
  client_call_tool: 'int mcp_client_call_tool(mcp_client *c, const char *name, const char *arguments_json, char **out_json, char **out_error)',
  client_request: 'int mcp_client_request(mcp_client *c, const char *method, const char *params_json, char **out_json, char **out_error)',
  client_list_skills: 'int mcp_client_list_skills(mcp_client *c, char **out_json, char **out_error)',
  client_load_skill: 'int mcp_client_load_skill(mcp_client *c, const char *uri, char **out_json, char **out_error)',
  client_set_elicitation_callback: 'int mcp_client_set_elicitation_callback(mcp_client *c, mcp_elicitation_fn fn, void *userdata, char **out_error)',
  client_elicitation_reply: 'int mcp_client_elicitation_reply(mcp_elicitation *request, const char *response_json, char **out_error)',
  client_close: 'int mcp_client_close(mcp_client *c)',
  client_cancel: 'int mcp_client_cancel(mcp_client *c)',
  client_status: 'int mcp_client_status(mcp_client *c, char **out_json, char **out_error)',
  client_multi_new: 'int mcp_client_multi_new(const char *servers_json, mcp_client_multi **out, char **out_error)',
  client_multi_list_tools: 'int mcp_client_multi_list_tools(mcp_client_multi *m, char **out_json, char **out_error)',
  client_multi_call_tool: 'int mcp_client_multi_call_tool(mcp_client_multi *m, const char *server, const char *name, const char *arguments_json, char **out_json, char **out_error)',
  client_multi_authorize_interactive: 'int mcp_client_multi_authorize_interactive(mcp_client_multi *m, const char *server, const char *open_command, double timeout_seconds, char **out_error)',
  client_multi_list_server_tools: 'int mcp_client_multi_list_server_tools(mcp_client_multi *m, const char *server, char **out_json, char **out_error)',
  client_multi_set_auth: 'int mcp_client_multi_set_auth(mcp_client_multi *m, const char *server, mcp_oauth *auth, char **out_error)',
  client_multi_session: 'int mcp_client_multi_session(mcp_client_multi *m, const char *server, mcp_client **out, char **out_error)',
  client_multi_free: 'int mcp_client_multi_free(mcp_client_multi *m)',
  client_multi_cancel: 'int mcp_client_multi_cancel(mcp_client_multi *m)',
  set_log_callback: 'int mcp_oauth_set_log_callback(mcp_oauth_log_fn fn, void *userdata, int min_level)',
  log_buffer: 'int mcp_oauth_log_buffer(int min_level)',
  log_drain: 'int mcp_oauth_log_drain(char **out)',
});

const OWNED_STRING = 'mcp_oauth_owned_str';

/** koffiPrototype rewrites a header prototype as described above. */
function koffiPrototype(proto) {
  const open = proto.indexOf('(');
  const head = proto.slice(0, open + 1);
  const params = proto.slice(open + 1, proto.lastIndexOf(')')).trim();
  if (params === 'void') return proto;
  const adapted = params.split(',').map((raw) => {
    const p = raw.trim().replace(/\bvolatile\s+/g, '');
    const m = /^(.*?)\s*(\**)\s*([A-Za-z_][A-Za-z0-9_]*)$/.exec(p);
    if (m === null || !/^out(_|$)/.test(m[3])) return p;
    const [, base, stars, name] = m;
    if (base === 'char' && stars === '**') return `_Out_ ${OWNED_STRING} *${name}`;
    return `_Out_ ${base} ${stars}${name}`;
  });
  return `${head}${adapted.join(', ')})`;
}

let loaded = null;
let koffi = null;
let elicitationFn = null; // the callback type of mcp_client_set_elicitation_callback
let openFn = null; // the callback type of mcp_oauth_authorize_interactive_callback

/**
 * registerElicitation makes a JS function callable as an mcp_elicitation_fn
 * (koffi delivers its calls on the main thread) and returns the pointer.
 * It stays registered for the life of the process: the library may still be
 * calling it while a newer handler is being set.
 */
function registerElicitation(fn) {
  native();
  return koffi.register(fn, elicitationFn);
}

/**
 * withOpener makes a JS function callable as an mcp_oauth_open_fn (koffi
 * delivers its calls on the main thread, the library's thread waiting) for
 * the time of `run(pointer)`, a promise.
 */
async function withOpener(fn, run) {
  native();
  const pointer = koffi.register(fn, openFn);
  try {
    return await run(pointer);
  } finally {
    koffi.unregister(pointer);
  }
}

/**
 * native loads the library on first use and returns the declared functions
 * ({path, version, fn: {name: koffi function}}). Throws an McpOAuthError when
 * the library cannot be found, loaded or has an incompatible major version.
 */
function native() {
  if (loaded !== null) return loaded;
  try {
    koffi = require('koffi');
  } catch (err) {
    throw errorOf(Status.UNSUPPORTED, `mcp-oauth: cannot load koffi: ${err.message}`);
  }
  const found = locate();
  if (found === null) throw errorOf(Status.UNSUPPORTED, notFoundMessage());
  let lib;
  try {
    lib = koffi.load(found.path);
  } catch (err) {
    throw errorOf(Status.UNSUPPORTED, `mcp-oauth: cannot load ${found.path} (${found.source}): ${err.message}`);
  }
  const fn = {};
  try {
    // The handle types, and library-owned strings kept as raw pointers.
    koffi.opaque('mcp_oauth');
    koffi.opaque('mcp_client');
    koffi.opaque('mcp_client_multi');
    koffi.opaque('mcp_oauth_config');
    koffi.opaque('mcp_elicitation');
    // A pointer to the callback type: lib.func takes koffi.register()ed callbacks.
    elicitationFn = koffi.pointer('mcp_elicitation_fn',
      koffi.proto('void mcp_elicitation_cb(void *userdata, mcp_elicitation *request, const char *request_json)'));
    // Declared for the table only: Node drains the log buffer instead (logging.js).
    koffi.pointer('mcp_oauth_log_fn', koffi.proto(
      'void mcp_oauth_log_cb(void *userdata, int level, const char *event, const char *message, const char *fields_json)'));
    openFn = koffi.pointer('mcp_oauth_open_fn', koffi.proto('int mcp_oauth_open_cb(void *userdata, const char *url)'));
    koffi.alias(OWNED_STRING, 'void *');
    for (const [name, proto] of Object.entries(PROTOTYPES)) {
      fn[name] = lib.func(koffiPrototype(proto));
    }
  } catch (err) {
    throw errorOf(Status.UNSUPPORTED, `mcp-oauth: ${found.path} is not a usable libmcp_oauth: ${err.message}`);
  }
  const version = fn.version();
  const major = Number.parseInt(String(version).split('.')[0], 10);
  if (major !== HEADER_VERSION_MAJOR) {
    throw errorOf(Status.UNSUPPORTED,
      `mcp-oauth: ${found.path} is version ${version}; this binding needs major version ${HEADER_VERSION_MAJOR}`);
  }
  // `lib` stays referenced from here for the life of the process: never unloaded.
  loaded = Object.freeze({ lib, path: found.path, source: found.source, version, fn: Object.freeze(fn) });
  return loaded;
}

const noop = () => {};

/** release frees a library-owned string, off the calling thread when possible. */
function release(ptr) {
  const { fn } = loaded;
  try {
    fn.string_free.async(ptr, noop);
  } catch {
    fn.string_free(ptr); // koffi's async queue is full
  }
}

/**
 * take empties slot[0] (an out-parameter array filled by koffi) and returns
 * the library-owned string it held, decoded, or null; the string is released.
 */
function take(slot) {
  const ptr = slot[0];
  slot[0] = null;
  if (ptr === null || ptr === undefined || ptr === 0n) return null;
  try {
    return koffi.decode.string(ptr);
  } finally {
    release(ptr);
  }
}

/** strerror is mcp_oauth_strerror, safe to call while building an error. */
function strerror(code) {
  try {
    return native().fn.strerror(code);
  } catch {
    return `status ${code}`;
  }
}

/**
 * fail turns a status and its out_error (a slot for take(), a JSON string, or
 * null) into the matching error.
 */
function fail(code, errorOut = null) {
  const json = Array.isArray(errorOut) ? take(errorOut) : errorOut;
  return errorFor(code, json, strerror);
}

/**
 * mapCounter maps the 32-bit generation word at `ptr` once. It returns a
 * Uint32Array over the native memory (koffi.view), so reading it is a plain
 * typed-array load; or, where external buffers are refused, an object whose
 * [0] decodes it through koffi on each read.
 */
function mapCounter(ptr) {
  try {
    const view = new Uint32Array(koffi.view(ptr, 4));
    return { words: view, viaView: true };
  } catch {
    const words = Object.freeze({ get 0() { return koffi.decode(ptr, 'uint32_t'); } });
    return { words, viaView: false };
  }
}

module.exports = {
  native, take, fail, strerror, mapCounter, koffiPrototype, registerElicitation, withOpener, PROTOTYPES, HEADER_VERSION_MAJOR,
};
