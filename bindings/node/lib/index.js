'use strict';
// mcp-oauth for Node.js: an OAuth 2.1 client for MCP clients, backed by the
// libmcp_oauth engine (Go, loaded through koffi). The engine owns the token
// cache, refresh, single-flight and the authorization code flow; this module
// adds a main-thread fast path for cached tokens (see README.md, "Hot path").

const { native, take, fail, mapCounter, withOpener } = require('./native.js');
const errors = require('./errors.js');
const { checkSignal, withSignal, abortable } = require('./abort.js');
const logging = require('./logging.js');
const { engineKeys } = require('./configkeys.js');
const { managerStatus } = require('./status.js');

const { Status, errorOf } = errors;

const noop = () => {};

/** The engine is asked again at most this often while a refresh is due. */
const KICK_INTERVAL_MS = 1000;

/**
 * Releases handles whose manager was garbage-collected without close(). The
 * held value is the raw handle (a BigInt), never the manager.
 */
const finalizer = new FinalizationRegistry((handle) => {
  try {
    native().fn.free(handle);
  } catch {
    // Never throw from a finalizer.
  }
});

function configJSON(config) {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw errorOf(Status.CONFIG, 'mcp-oauth: the configuration must be an object', { field: '' });
  }
  // camelCase keys become the engine's names; undefined and null mean "not
  // set" (JSON has no undefined; the engine decodes strictly, so they are
  // dropped rather than sent as null).
  const clean = engineKeys(config);
  try {
    return strictJSON(clean);
  } catch (err) {
    if (err instanceof Unrepresentable) throw errorOf(err.status, `mcp-oauth: the configuration ${err.message}`, { field: '' });
    throw errorOf(Status.CONFIG, 'mcp-oauth: the configuration cannot be encoded as JSON', { field: '' });
  }
}

/** Unrepresentable is a value strictJSON refuses; status is the code to report. */
class Unrepresentable extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/**
 * strictJSON is JSON.stringify refusing what it would silently change: a
 * string with a lone surrogate (no UTF-8 form; the engine would read U+FFFD)
 * and a non-finite number (written as null, which means "not set").
 */
function strictJSON(value) {
  return JSON.stringify(value, (key, v) => {
    if (!key.isWellFormed() || (typeof v === 'string' && !v.isWellFormed())) {
      throw new Unrepresentable(Status.INVALID_ARGUMENT, 'holds a string that is not valid Unicode (lone surrogate)');
    }
    if (typeof v === 'number' && !Number.isFinite(v)) {
      throw new Unrepresentable(Status.CONFIG, 'holds a number that is not finite');
    }
    return v;
  });
}

/** CachedToken: a token as returned by mcp_oauth_get_token_json. */
function parseToken(json) {
  const t = JSON.parse(json);
  const expiresAtMs = Number(t.expires_at_ms) || 0;
  return {
    accessToken: String(t.access_token),
    generation: Number(t.generation) >>> 0,
    validUntilMs: Number(t.valid_until_ms) || 0,
    refreshAtMs: Number(t.refresh_at_ms) || 0,
    // The public view, built once so that the hot path allocates nothing.
    public: Object.freeze({
      accessToken: String(t.access_token),
      tokenType: String(t.token_type ?? 'Bearer'),
      expiresAt: expiresAtMs > 0 ? new Date(expiresAtMs) : null,
      scope: String(t.scope ?? ''),
    }),
  };
}

/** notOlder reports whether generation a is the same as or after b (mod 2^32). */
function notOlder(a, b) {
  return ((a - b) >>> 0) < 0x80000000;
}

/**
 * requireString checks a string argument: a C string cannot hold a NUL (it
 * would be cut there) nor a lone surrogate (no UTF-8 form).
 */
function requireString(value, what) {
  if (typeof value !== 'string') {
    throw errorOf(Status.INVALID_ARGUMENT, `mcp-oauth: ${what} must be a string`);
  }
  if (value.includes('\0')) {
    throw errorOf(Status.INVALID_ARGUMENT, `mcp-oauth: ${what} contains a NUL character`);
  }
  if (!value.isWellFormed()) {
    throw errorOf(Status.INVALID_ARGUMENT, `mcp-oauth: ${what} is not valid Unicode (lone surrogate)`);
  }
}

/**
 * callAsync runs a koffi function on koffi's worker threads and settles with
 * its status. Never throws synchronously.
 */
function callAsync(fn, args) {
  return new Promise((resolve, reject) => {
    try {
      fn.async(...args, (err, rc) => {
        logging.flush(); // the call's events before its result
        if (err) reject(errorOf(Status.INTERNAL, `mcp-oauth: native call failed: ${err.message}`));
        else resolve(rc);
      });
    } catch (err) {
      reject(errorOf(Status.INTERNAL, `mcp-oauth: native call failed: ${err.message}`));
    }
  });
}

/**
 * disposable gives a class with an async close() Symbol.asyncDispose
 * (`await using`: waits for close()) and Symbol.dispose (`using`: starts
 * close() without waiting), where the runtime has them.
 */
function disposable(cls) {
  if (typeof Symbol.asyncDispose === 'symbol') {
    cls.prototype[Symbol.asyncDispose] = function asyncDispose() {
      return this.close();
    };
  }
  if (typeof Symbol.dispose === 'symbol') {
    cls.prototype[Symbol.dispose] = function dispose() {
      this.close();
    };
  }
}

/** handleOf(manager) is set by OAuthTokenManager's static block. */
let handleOf = null;
/** withLogin(manager, call) is set by OAuthTokenManager's static block. */
let withLogin = null;

/**
 * OAuthTokenManager holds one libmcp_oauth client: its configuration, token
 * cache and pending authorizations. Safe to share across the whole process;
 * each worker thread makes its own.
 */
class OAuthTokenManager {
  #handle;
  #counter; // Uint32Array (or stand-in) over the engine's generation word
  #cache = null; // last token from get_token_json, or null
  #inflight = null; // the one get_token_json call in flight, or null
  #nextKickAt = 0;
  #epoch = 0; // bumped by invalidate(): results of calls started earlier are not cached
  #invalidations = null; // settles once every invalidate() so far reached the engine
  #closed = false;
  #onAuthorizationRequired = null; // the application's login function, or null
  #onDeviceAuthorization = null; // the application's device prompt, or null
  #login = null; // the login in flight (a promise), or null
  #closing = null; // close()'s promise

  static {
    // For McpClient (lib/mcp.js): the raw engine handle, or null once closed.
    handleOf = (m) => (m.#closed ? null : m.#handle);
    withLogin = (m, call) => m.#withLogin(call);
  }

  /**
   * @param {object} config the McpOAuthConfig: the JSON schema of
   *   include/mcp_oauth.h, each key snake_case (client_id) or camelCase
   *   (clientId). No network I/O happens here.
   * @param {{onAuthorizationRequired?: (url: string) => string|Promise<string>}} [options]
   *   onAuthorizationRequired logs a user in when a call needs one, instead of
   *   the call rejecting with AuthorizationRequiredError: it gets the
   *   authorization URL and returns (or resolves to) the URL the user's
   *   browser was redirected to; the call is then made again. Calls that need
   *   the user at the same time share one call of it. (The `login` config
   *   member has the library log the user in instead.)
   * @param {{onDeviceAuthorization?: (d: object) => void|Promise<void>}} [options]
   *   onDeviceAuthorization does the same with the device authorization
   *   grant (RFC 8628): it gets what to show the user (as authorizeDevice()'s
   *   prompt), then the binding polls until the user decides.
   */
  constructor(config, options) {
    const onLogin = options?.onAuthorizationRequired ?? null;
    const onDevice = options?.onDeviceAuthorization ?? null;
    for (const [name, f] of [['onAuthorizationRequired', onLogin], ['onDeviceAuthorization', onDevice]]) {
      if (f !== null && typeof f !== 'function') {
        throw errorOf(Status.INVALID_ARGUMENT, `mcp-oauth: ${name} must be a function`);
      }
    }
    if (onLogin !== null && onDevice !== null) {
      throw errorOf(Status.INVALID_ARGUMENT,
        'mcp-oauth: give onAuthorizationRequired or onDeviceAuthorization, not both');
    }
    this.#onAuthorizationRequired = onLogin;
    this.#onDeviceAuthorization = onDevice;
    const { fn } = native();
    const json = configJSON(config);
    const out = [null];
    const err = [null];
    const rc = fn.new(json, out, err);
    if (rc !== Status.OK) throw fail(rc, err);
    take(err); // NULL on success; released if ever set
    this.#handle = out[0];
    const ptr = [null];
    const rc2 = fn.generation_ptr(this.#handle, ptr);
    if (rc2 !== Status.OK) {
      fn.free(this.#handle);
      throw fail(rc2);
    }
    this.#counter = mapCounter(ptr[0]).words;
    finalizer.register(this, this.#handle, this);
  }

  /** The cached token when it may be handed out without asking the engine. */
  #fresh() {
    const c = this.#cache;
    if (c === null || this.#counter[0] !== c.generation) return null;
    const now = Date.now();
    if (now >= c.validUntilMs) return null;
    if (now >= c.refreshAtMs && now >= this.#nextKickAt && this.#inflight === null) {
      // Refresh window: hand out the still-valid token now and let the engine
      // start its background refresh. Not awaited; errors surface to the
      // caller that next has to wait.
      this.#nextKickAt = now + Math.min(KICK_INTERVAL_MS, Math.max(1, Math.floor((c.validUntilMs - now) / 2)));
      this.#fetch().catch(() => {});
    }
    return c;
  }

  #fetch() {
    if (this.#inflight !== null) return this.#inflight;
    if (this.#closed) return Promise.reject(this.#closedError());
    const { fn } = native();
    const handle = this.#handle;
    const epoch = this.#epoch;
    const out = [null];
    const err = [null];
    const call = () => callAsync(fn.get_token_json, [handle, out, err]);
    // Ask only after every earlier invalidate() has reached the engine.
    const pending = this.#invalidations;
    const p = (pending === null ? call() : pending.then(call)).then((rc) => {
      const json = take(out);
      if (rc !== Status.OK) throw fail(rc, err);
      take(err);
      const tok = parseToken(json);
      if (!this.#closed && epoch === this.#epoch &&
          (this.#cache === null || notOlder(tok.generation, this.#cache.generation))) {
        this.#cache = tok;
      }
      return tok;
    });
    const clear = () => {
      if (this.#inflight === p) this.#inflight = null;
    };
    p.then(clear, clear);
    this.#inflight = p;
    return p;
  }

  #closedError() {
    return errorOf(Status.BAD_HANDLE, 'mcp-oauth: the token manager is closed');
  }

  /**
   * getToken resolves to a valid access token. A cached token is returned
   * without calling into the engine; otherwise concurrent callers share one
   * engine call, which never blocks the event loop. Aborting `signal` ends
   * a token request in progress (cancel(): every getToken() sharing it
   * rejects) and rejects with signal.reason.
   * @param {{signal?: AbortSignal}} [options]
   * @returns {Promise<string>}
   */
  async getToken(options) {
    const signal = options?.signal;
    if (signal != null) checkSignal(signal);
    const c = this.#fresh(); // the cached path stays a few property reads
    if (c !== null) return c.accessToken;
    return (await this.#fetchAbortable(signal)).accessToken;
  }

  /**
   * token resolves to the whole token: {accessToken, tokenType, expiresAt, scope}.
   * Same caching and `signal` as getToken(). The refresh token is never exposed.
   * @param {{signal?: AbortSignal}} [options]
   */
  async token(options) {
    const signal = options?.signal;
    if (signal != null) checkSignal(signal);
    const c = this.#fresh();
    if (c !== null) return c.public;
    return (await this.#fetchAbortable(signal)).public;
  }

  #fetchAbortable(signal) {
    if (this.#closed) return Promise.reject(this.#closedError());
    if (signal == null) return this.#withLogin(() => this.#fetch());
    return this.#withLogin(() => abortable(signal, () => this.cancel(), () => this.#fetch()));
  }

  /**
   * #withLogin runs call(); when it rejects because a user must log in and
   * the application gave onAuthorizationRequired, logs the user in (or joins
   * the login in flight) and runs call() once more. The engine does not call
   * back into JavaScript for it (no callbacks on the common paths; koffi calls
   * back only on the main thread), so the login is driven here, on top of
   * beginAuthorizationAsync() and completeAuthorization().
   */
  async #withLogin(call) {
    if (this.#onAuthorizationRequired === null && this.#onDeviceAuthorization === null) return call();
    const generation = this.#counter[0];
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof errors.AuthorizationRequiredError)) throw err;
    }
    await this.#loginOnce(generation);
    return call();
  }

  /** The login in flight, or a new one unless a login finished since `generation`. */
  #loginOnce(generation) {
    if (this.#login !== null) return this.#login;
    if (this.#closed) return Promise.reject(this.#closedError());
    if (this.#counter[0] !== generation) return Promise.resolve(); // a login finished meanwhile
    const login = (async () => {
      if (this.#onDeviceAuthorization !== null) {
        await this.authorizeDevice(this.#onDeviceAuthorization);
        return;
      }
      const { url } = await this.beginAuthorizationAsync();
      const redirected = await this.#onAuthorizationRequired(url);
      if (typeof redirected !== 'string') {
        throw errorOf(Status.INVALID_ARGUMENT,
          'mcp-oauth: onAuthorizationRequired must return the URL the browser was redirected to');
      }
      await this.completeAuthorization(redirected);
    })();
    const clear = () => {
      if (this.#login === login) this.#login = null;
    };
    login.then(clear, clear);
    this.#login = login;
    return login;
  }

  /**
   * invalidate tells the engine that a resource server rejected `token` (HTTP
   * 401, RFC 6750 §3.1). The next getToken() obtains a new token, unless the
   * cached one was already replaced meanwhile.
   *
   * Returns at once: the engine call runs off the main thread (a synchronous
   * one would block it for 0.1-0.5 ms), and every getToken() that cannot be
   * answered from the cache waits until it has reached the engine.
   */
  invalidate(token) {
    if (this.#closed) throw this.#closedError();
    requireString(token, 'token');
    if (this.#cache !== null && this.#cache.accessToken === token) this.#cache = null;
    // A call started before now may still resolve to `token`: later callers
    // must not join it, and its result must not be cached.
    this.#inflight = null;
    this.#epoch++;
    // Only BAD_HANDLE (closed meanwhile) can fail here: nothing to report.
    const sent = callAsync(native().fn.invalidate, [this.#handle, token]).then(noop, noop);
    const all = this.#invalidations === null ? sent : Promise.all([this.#invalidations, sent]);
    this.#invalidations = all;
    all.then(() => {
      if (this.#invalidations === all) this.#invalidations = null;
    });
  }

  /**
   * needsChallenge tells whether a request to the MCP server should first go
   * out without a token, so that its 401 names the metadata and scope
   * (discovery mode, before anything is known). False at once while a token
   * is cached; otherwise one short engine call without I/O.
   * @returns {boolean}
   */
  needsChallenge() {
    if (this.#fresh() !== null) return false;
    if (this.#closed) throw this.#closedError();
    const rc = native().fn.needs_challenge(this.#handle);
    if (rc < 0) throw fail(rc);
    return rc === 1;
  }

  /**
   * handleResponse resolves to the engine's verdict on an MCP server's
   * response to a request that carried `token` ('' for none): the token to
   * send the same request again with, or null when the response is final
   * (mcp_oauth_handle_response in the C header: a 401 invalidates and
   * re-sends only with a different token, a 403 insufficient_scope steps
   * up). `previous` is the status that made this request go out again, 0
   * for a first send. Runs off the main thread; rejects with the package's
   * errors (TokenRejectedError, InsufficientScopeError,
   * AuthorizationRequiredError, ...).
   * @param {number} status
   * @param {string|null} wwwAuthenticate the WWW-Authenticate values joined by ', '
   * @param {string} token
   * @param {number} [previous]
   * @param {{signal?: AbortSignal}} [options] aborting `signal` ends a token
   *   request the verdict waits for (cancel()) and rejects with signal.reason
   * @returns {Promise<string|null>}
   */
  async handleResponse(status, wwwAuthenticate, token, previous = 0, { signal } = {}) {
    if (this.#closed) throw this.#closedError();
    requireString(token, 'token');
    if (status >= 400) {
      // The engine may drop the cached token: calls started before must not
      // be joined nor cached (as invalidate()).
      if (this.#cache !== null && this.#cache.accessToken === token) this.#cache = null;
      this.#inflight = null;
      this.#epoch++;
    }
    const out = [null];
    const err = [null];
    const handle = this.#handle;
    const rc = await withSignal(signal, () => this.cancel(), () => callAsync(native().fn.handle_response,
      [handle, status, wwwAuthenticate ?? null, token, previous, out, err]));
    const next = take(out);
    if (rc !== Status.OK) throw fail(rc, err);
    take(err);
    return next || null;
  }

  /**
   * requestHeaders returns the headers to send one request of `method` to
   * `url` with `token` ('' for none), as the library's own MCP sessions send
   * them (mcp_oauth_request_headers in the C header): the configured
   * mcp_headers and `Authorization: Bearer …`, or for a DPoP-bound token
   * `Authorization: DPoP …` and a fresh `DPoP` proof (RFC 9449 §7.1) — call
   * it for every send. No I/O. authFetch() does this for you.
   * @param {string} method
   * @param {string} url
   * @param {string} token
   * @returns {Record<string, string>}
   */
  requestHeaders(method, url, token) {
    if (this.#closed) throw this.#closedError();
    requireString(method, 'method');
    requireString(url, 'url');
    requireString(token, 'token');
    const out = [null];
    const err = [null];
    const rc = native().fn.request_headers(this.#handle, method, url, token, out, err);
    const json = take(out);
    if (rc !== Status.OK) throw fail(rc, err);
    take(err);
    return JSON.parse(json);
  }

  /**
   * dpopNonce keeps a response's DPoP-Nonce for the server's next proofs
   * (RFC 9449 §9) and tells whether to send the same request once more with
   * the same token: a 401 use_dpop_nonce with a new nonce. Only for
   * DPoP-bound tokens (false otherwise). No I/O. authFetch() does this for
   * you.
   * @param {string} url
   * @param {string} token
   * @param {number} status
   * @param {string|null} wwwAuthenticate the WWW-Authenticate values joined by ', '
   * @param {string|null} dpopNonce the DPoP-Nonce header value
   * @returns {boolean}
   */
  dpopNonce(url, token, status, wwwAuthenticate, dpopNonce) {
    if (this.#closed) throw this.#closedError();
    requireString(url, 'url');
    requireString(token, 'token');
    if (!dpopNonce) return false;
    requireString(dpopNonce, 'dpopNonce');
    const rc = native().fn.dpop_nonce(this.#handle, url, token, status, wwwAuthenticate ?? null, dpopNonce);
    if (rc < 0) throw fail(rc);
    return rc === 1;
  }

  /**
   * beginAuthorization starts an authorization code flow with PKCE and
   * resolves to the URL to open in the user's browser and its state. Runs
   * off the main thread: in discovery mode (config.server_url) the first
   * authorization runs MCP discovery and maybe dynamic client registration
   * (network I/O). Aborting `signal` ends it (cancel()) and rejects with
   * signal.reason.
   * @param {string} [redirectUri] defaults to the configured redirect_uri
   * @param {{signal?: AbortSignal}} [options]
   * @returns {Promise<{url: string, state: string}>}
   */
  async beginAuthorization(redirectUri, { signal } = {}) {
    if (this.#closed) throw this.#closedError();
    if (redirectUri !== undefined && redirectUri !== null) requireString(redirectUri, 'redirectUri');
    const url = [null];
    const state = [null];
    const err = [null];
    const handle = this.#handle;
    const rc = await withSignal(signal, () => this.cancel(),
      () => callAsync(native().fn.authorize_begin, [handle, redirectUri ?? null, url, state, err]));
    const result = { url: take(url), state: take(state) };
    if (rc !== Status.OK) throw fail(rc, err);
    take(err);
    return result;
  }

  /**
   * beginAuthorizationAsync is the former name of beginAuthorization(),
   * from when that one was synchronous. Deprecated.
   * @param {string} [redirectUri]
   * @param {{signal?: AbortSignal}} [options]
   * @returns {Promise<{url: string, state: string}>}
   */
  beginAuthorizationAsync(redirectUri, options) {
    return this.beginAuthorization(redirectUri, options);
  }

  /**
   * completeAuthorization finishes the flow with the URL the browser was
   * redirected to: checks state (and iss), exchanges the code. The tokens then
   * live in the manager.
   * Aborting `signal` ends the exchange (cancel()) and rejects with
   * signal.reason.
   * @param {string} redirectUrl
   * @param {{signal?: AbortSignal}} [options]
   * @returns {Promise<void>}
   */
  async completeAuthorization(redirectUrl, { signal } = {}) {
    if (this.#closed) throw this.#closedError();
    requireString(redirectUrl, 'redirectUrl');
    const err = [null];
    const handle = this.#handle;
    const rc = await withSignal(signal, () => this.cancel(),
      () => callAsync(native().fn.authorize_complete, [handle, redirectUrl, err]));
    if (rc !== Status.OK) throw fail(rc, err);
    take(err);
    // Callers from now on must not join a call started before the exchange.
    this.#inflight = null;
    this.#epoch++;
  }

  /**
   * authorizeInteractively runs the whole authorization code flow with a
   * loopback redirect listener (RFC 8252): the authorization URL is printed on
   * stderr, given to the program `openCommand` (e.g. 'xdg-open') as its only
   * argument, or passed to `openCommand(url)` when it is a function (it runs
   * on the main thread; a throw, or a rejection of the promise it returns,
   * ends the login with that error); resolves once the browser came back (at
   * most `timeoutSeconds`, default 300; Infinity: no timeout; NaN or
   * negative: InvalidArgumentError). Runs off the main thread. Aborting
   * `signal` stops the wait (cancel()) and rejects with signal.reason.
   * @param {{openCommand?: string|((url: string) => unknown), timeoutSeconds?: number, signal?: AbortSignal}} [options]
   * @returns {Promise<void>}
   */
  async authorizeInteractively({ openCommand = null, timeoutSeconds = 300, signal } = {}) {
    if (this.#closed) throw this.#closedError();
    if (openCommand !== null && typeof openCommand !== 'function') requireString(openCommand, 'openCommand');
    if (typeof timeoutSeconds !== 'number') {
      throw errorOf(Status.INVALID_ARGUMENT, 'mcp-oauth: timeoutSeconds must be a number');
    }
    const err = [null];
    const handle = this.#handle;
    const { fn } = native();
    let failure = null;
    let rc;
    if (typeof openCommand === 'function') {
      const failed = (e) => {
        failure ??= e;
        try {
          this.cancel(); // ends the wait for a browser that will not come
        } catch {
          // closed meanwhile
        }
      };
      const show = (_userdata, url) => {
        try {
          Promise.resolve(openCommand(url)).catch(failed);
          return 0;
        } catch (e) {
          failure ??= e;
          return 1;
        }
      };
      rc = await withOpener(show, (pointer) => withSignal(signal, () => this.cancel(),
        () => callAsync(fn.authorize_interactive_callback, [handle, pointer, null, timeoutSeconds, err])));
    } else {
      rc = await withSignal(signal, () => this.cancel(),
        () => callAsync(fn.authorize_interactive, [handle, openCommand, timeoutSeconds, err]));
    }
    if (rc !== Status.OK) {
      const error = fail(rc, err);
      if (failure !== null) throw failure;
      throw error;
    }
    take(err);
    this.#inflight = null;
    this.#epoch++;
  }

  /**
   * beginDeviceAuthorization starts a device authorization (RFC 8628 §3.1)
   * for a user who signs in on another device: show them `userCode` and
   * `verificationUri`, then call completeDeviceAuthorization(). Needs
   * config.device_authorization_url or, in discovery mode, an authorization
   * server advertising one (else UnsupportedError). One device authorization
   * is pending per manager; a new call replaces it. Runs off the main thread.
   * Aborting `signal` cancels the request (cancel()) and rejects with
   * signal.reason.
   * @param {{signal?: AbortSignal}} [options]
   * @returns {Promise<{userCode: string, verificationUri: string,
   *   verificationUriComplete: string, expiresIn: number, interval: number}>}
   */
  async beginDeviceAuthorization({ signal } = {}) {
    if (this.#closed) throw this.#closedError();
    const out = [null];
    const err = [null];
    const handle = this.#handle;
    const rc = await withSignal(signal, () => this.cancel(),
      () => callAsync(native().fn.device_begin, [handle, out, err]));
    const json = take(out);
    if (rc !== Status.OK) throw fail(rc, err);
    take(err);
    const d = JSON.parse(json);
    return Object.freeze({
      userCode: String(d.user_code),
      verificationUri: String(d.verification_uri),
      verificationUriComplete: String(d.verification_uri_complete ?? ''),
      expiresIn: Number(d.expires_in),
      interval: Number(d.interval),
    });
  }

  /**
   * completeDeviceAuthorization polls until the user approves the pending
   * device authorization (the tokens then live in the manager), denies it
   * (AuthorizationDeniedError), the codes expire (McpOAuthTimeoutError whose
   * details.error is 'expired_token'), or `timeoutSeconds` pass (McpOAuthTimeoutError;
   * the authorization then stays pending and this may be called again).
   * `timeoutSeconds` 0, the default, waits until the codes expire. Runs off
   * the main thread. Aborting `signal` stops the polling (cancel()) and
   * rejects with signal.reason; the authorization then stays pending.
   * @param {{timeoutSeconds?: number, signal?: AbortSignal}} [options]
   * @returns {Promise<void>}
   */
  async completeDeviceAuthorization({ timeoutSeconds = 0, signal } = {}) {
    if (this.#closed) throw this.#closedError();
    if (typeof timeoutSeconds !== 'number' || !Number.isFinite(timeoutSeconds) || timeoutSeconds < 0) {
      throw errorOf(Status.INVALID_ARGUMENT, 'mcp-oauth: timeoutSeconds must be a non-negative number');
    }
    const seconds = timeoutSeconds === 0 ? 0 : Math.min(Math.max(1, Math.ceil(timeoutSeconds)), 2 ** 31 - 1);
    const err = [null];
    const handle = this.#handle;
    const rc = await withSignal(signal, () => this.cancel(),
      () => callAsync(native().fn.device_complete, [handle, seconds, err]));
    if (rc !== Status.OK) throw fail(rc, err);
    take(err);
    this.#inflight = null;
    this.#epoch++;
  }

  /**
   * authorizeDevice runs the whole device authorization grant: begins it,
   * hands the device authorization to `prompt` (which shows the user code and
   * verification URI; it may return a promise, and a rejection ends the
   * flow), then waits as completeDeviceAuthorization() does. Aborting
   * `signal` ends the flow at whichever step it is in and rejects with
   * signal.reason.
   * @param {(d: {userCode: string, verificationUri: string,
   *   verificationUriComplete: string, expiresIn: number, interval: number}) => (void|Promise<void>)} prompt
   * @param {{timeoutSeconds?: number, signal?: AbortSignal}} [options]
   * @returns {Promise<void>}
   */
  async authorizeDevice(prompt, options = {}) {
    if (typeof prompt !== 'function') {
      throw errorOf(Status.INVALID_ARGUMENT, 'mcp-oauth: prompt must be a function');
    }
    const { signal } = options ?? {};
    const device = await this.beginDeviceAuthorization({ signal });
    await prompt(device);
    checkSignal(signal); // aborted while the prompt ran
    await this.completeDeviceAuthorization(options);
  }

  /**
   * cancel ends every call on this manager that is waiting in the engine —
   * completeDeviceAuthorization() polling, authorizeInteractively() waiting
   * for the browser, the other authorization calls, and getToken()/token()
   * waiting for a token request — which then reject with McpOAuthCancelledError.
   * Calls started afterwards are not affected; a cancelled device
   * authorization stays pending (completeDeviceAuthorization() may be called
   * again). Never blocks (one synchronous native call). Harmless when
   * nothing is in progress; throws BadHandleError once closed.
   */
  cancel() {
    if (this.#closed) throw this.#closedError();
    const rc = native().fn.cancel(this.#handle);
    if (rc !== Status.OK) throw fail(rc);
  }

  /**
   * status describes what the manager holds and uses now — whether a token
   * and a refresh token are held, until when, the scopes granted, requested
   * and challenged, the issuer, the client and how it was obtained — never
   * a token or a secret (mcp_oauth_status). One synchronous native call
   * without I/O. Throws BadHandleError once closed.
   * @returns {import('../index').AuthStatus}
   */
  status() {
    if (this.#closed) throw this.#closedError();
    return managerStatus(this.#handle);
  }

  /** closed is true once close() was called. */
  get closed() {
    return this.#closed;
  }

  /**
   * close releases the engine's client (stops background refresh, drops the
   * tokens), off the main thread. The manager is closed at once: later calls
   * fail with BadHandleError. The promise settles when the engine has let
   * go (an McpClient still using the manager fails from then on); it never
   * rejects. Idempotent (every call returns the same promise).
   * `await using` (Symbol.asyncDispose) awaits it; `using` (Symbol.dispose)
   * starts it.
   * @returns {Promise<void>}
   */
  close() {
    if (this.#closing !== null) return this.#closing;
    this.#closed = true;
    this.#cache = null;
    this.#inflight = null;
    this.#counter = null;
    finalizer.unregister(this);
    this.#closing = callAsync(native().fn.free, [this.#handle]).then(noop, noop);
    return this.#closing;
  }
}

disposable(OAuthTokenManager);

/**
 * generateCodeVerifier returns a fresh PKCE code verifier (RFC 7636 §4.1):
 * 43 characters from 32 random bytes.
 */
function generateCodeVerifier() {
  const out = [null];
  const rc = native().fn.pkce_verifier(out);
  const verifier = take(out);
  if (rc !== Status.OK) throw fail(rc);
  return verifier;
}

/**
 * generateCodeChallenge derives the S256 challenge of a verifier
 * (RFC 7636 §4.2): BASE64URL(SHA256(verifier)), unpadded.
 */
function generateCodeChallenge(verifier) {
  requireString(verifier, 'verifier');
  const out = [null];
  const rc = native().fn.pkce_challenge(verifier, out);
  const challenge = take(out);
  if (rc !== Status.OK) {
    throw errorOf(rc, `mcp-oauth: ${native().fn.strerror(rc)}: a code verifier is 43 to 128 characters of [A-Za-z0-9-._~]`);
  }
  return challenge;
}

function canReplay(input, init) {
  const body = init?.body;
  if (body === undefined || body === null) return true;
  if (typeof body === 'string' || body instanceof ArrayBuffer || ArrayBuffer.isView(body)) return true;
  if (typeof URLSearchParams !== 'undefined' && body instanceof URLSearchParams) return true;
  if (typeof Blob !== 'undefined' && body instanceof Blob) return true;
  if (typeof FormData !== 'undefined' && body instanceof FormData) return true;
  return false; // a stream or iterable can be sent only once
}

/**
 * authFetch wraps a fetch implementation so that every request carries the
 * manager's token. With an OAuthTokenManager each send carries the engine's
 * headers (manager.requestHeaders: `Authorization: Bearer <token>`, or for a
 * DPoP-bound token the DPoP scheme and a fresh proof, and the configured
 * mcp_headers), a 401 asking for a new DPoP nonce is answered once
 * (manager.dpopNonce), and every response goes to the engine
 * (manager.handleResponse): in discovery mode the first request goes out
 * without a token to learn the server's challenge; a 401 invalidates the
 * token and re-sends once, only with a different token (a second 401
 * rejects with TokenRejectedError); a 403 insufficient_scope steps up and
 * re-sends once. Any other token source ({getToken, invalidate}) gets
 * `Authorization: Bearer <token>` and the 401 rule alone. The request's
 * signal (init.signal, or the Request's) also ends a token request it waits
 * for.
 * @param {{getToken(): Promise<string>, invalidate(token: string): void}} manager
 * @param {typeof fetch} [fetchImpl]
 * @returns {typeof fetch}
 */
function authFetch(manager, fetchImpl = globalThis.fetch) {
  if (manager === null || typeof manager !== 'object' || typeof manager.getToken !== 'function') {
    throw new TypeError('mcp-oauth: authFetch needs a token manager');
  }
  if (typeof fetchImpl !== 'function') throw new TypeError('mcp-oauth: authFetch needs a fetch function');
  const engine = manager instanceof OAuthTokenManager;
  const decide = engine
    ? (res, token, previous, signal) => manager.handleResponse(res.status, res.headers.get('www-authenticate'), token, previous, { signal })
    : async (res, token, previous, signal) => {
      if (res.status !== 401 || previous !== 0) return null;
      manager.invalidate(token);
      const fresh = await manager.getToken({ signal });
      return fresh === token ? null : fresh;
    };
  return async function fetchWithAuth(input, init) {
    const isRequest = typeof Request !== 'undefined' && input instanceof Request;
    // The request's signal also ends a token request it waits for.
    const signal = init?.signal ?? (isRequest ? input.signal : undefined) ?? undefined;
    const baseHeaders = init?.headers ?? (isRequest ? input.headers : undefined);
    const replayable = canReplay(input, init);
    const url = isRequest ? input.url : String(input);
    const method = (init?.method ?? (isRequest ? input.method : 'GET')).toUpperCase();
    const send = (token, keepOriginal) => {
      const headers = new Headers(baseHeaders);
      headers.delete('authorization');
      if (engine) {
        for (const [name, value] of Object.entries(manager.requestHeaders(method, url, token))) headers.set(name, value);
      } else if (token) {
        headers.set('authorization', `Bearer ${token}`);
      }
      return fetchImpl(isRequest && keepOriginal ? input.clone() : input, { ...init, headers });
    };
    const discard = async (res) => {
      try {
        await res.body?.cancel();
      } catch {
        // The response is discarded either way.
      }
    };
    let token = engine && manager.needsChallenge() ? '' : await manager.getToken({ signal });
    let previous = 0;
    let nonceRetried = false;
    for (;;) {
      const res = await send(token, replayable);
      if (engine && replayable && token && !nonceRetried
        && manager.dpopNonce(url, token, res.status, res.headers.get('www-authenticate'), res.headers.get('dpop-nonce'))) {
        nonceRetried = true; // the same token once more, with the server's new nonce
        await discard(res);
        continue;
      }
      // A success to a first send is final without asking the engine; one
      // to a re-sent request ends a step-up there.
      if ((res.status < 400 && previous === 0) || !replayable) return res;
      const next = await decide(res, token, previous, signal);
      if (next === null) return res;
      await discard(res);
      if (token) previous = res.status;
      token = next;
      nonceRetried = false;
    }
  };
}

const { McpClient, MultiServerMcpClient } = require('./mcp.js')({
  OAuthTokenManager, handleOf: (m) => handleOf(m), withLogin: (m, call) => withLogin(m, call),
  callAsync, requireString, strictJSON, withSignal, engineKeys, disposable,
});

/** The library's version string, e.g. "0.2.0" (loads the library). */
function libraryVersion() {
  return native().version;
}

logging.fromEnvironment();

module.exports = {
  setLogHandler: logging.setLogHandler,
  OAuthTokenManager,
  McpClient,
  MultiServerMcpClient,
  authFetch,
  generateCodeVerifier,
  generateCodeChallenge,
  libraryVersion,
  Status,
  McpOAuthError: errors.McpOAuthError,
  InvalidArgumentError: errors.InvalidArgumentError,
  BadHandleError: errors.BadHandleError,
  ConfigError: errors.ConfigError,
  NetworkError: errors.NetworkError,
  McpOAuthTimeoutError: errors.McpOAuthTimeoutError,
  OAuthError: errors.OAuthError,
  ProtocolError: errors.ProtocolError,
  StateMismatchError: errors.StateMismatchError,
  AuthorizationDeniedError: errors.AuthorizationDeniedError,
  AuthorizationRequiredError: errors.AuthorizationRequiredError,
  IssuerMismatchError: errors.IssuerMismatchError,
  UnsupportedError: errors.UnsupportedError,
  InternalError: errors.InternalError,
  ServerError: errors.ServerError,
  McpError: errors.McpError,
  DiscoveryError: errors.DiscoveryError,
  ResourceMismatchError: errors.ResourceMismatchError,
  RegistrationError: errors.RegistrationError,
  InsufficientScopeError: errors.InsufficientScopeError,
  McpOAuthCancelledError: errors.McpOAuthCancelledError,
  TokenRejectedError: errors.TokenRejectedError,
  // Former names (docs/concepts.md, "One vocabulary"), deprecated: the same
  // classes. TimeoutError was also the name of the DOMException that
  // AbortSignal.timeout() rejects with.
  TimeoutError: errors.McpOAuthTimeoutError,
  CancelledError: errors.McpOAuthCancelledError,
};
