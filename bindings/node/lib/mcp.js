'use strict';
// MCP connections: McpClient (one server) and MultiServerMcpClient (several
// named servers) over the engine's mcp_client_* functions — the official MCP
// Go SDK's Streamable HTTP and HTTP+SSE transports with the OAuth tokens of an
// OAuthTokenManager injected. Every call that may touch the network (connect,
// requests, close) runs on koffi's worker threads (.async): the event loop is
// never blocked, and results are decoded on the main thread without entering
// Go (take() frees them through .async as well).

const { native, take, fail, registerElicitation } = require('./native.js');
const { Status, errorOf } = require('./errors.js');
const { sessionStatus } = require('./status.js');

const noop = () => {};

/** The answer of a handler that failed, or whose answer cannot be sent. */
const CANCEL = '{"action":"cancel"}';

/**
 * Closes clients garbage-collected without close(). The held value is
 * {handle, manager}: the manager stays alive (its own finalizer cannot free
 * the auth handle) until the client's handle is closed, as the engine needs.
 */
const finalizer = new FinalizationRegistry((held) => {
  try {
    native().fn.client_close.async(held.handle, () => {
      held.manager = null;
    });
  } catch {
    // Never throw from a finalizer.
  }
});

/**
 * Frees multi-server clients garbage-collected without close(). The held
 * value keeps the managers the engine uses alive until the handle is freed.
 */
const multiFinalizer = new FinalizationRegistry((held) => {
  try {
    native().fn.client_multi_free.async(held.handle, () => {
      held.managers = null;
    });
  } catch {
    // Never throw from a finalizer.
  }
});

module.exports = function makeMcp({
  OAuthTokenManager, handleOf, withLogin, callAsync, requireString, strictJSON, withSignal, engineKeys, disposable,
}) {
  /** connectionOptions maps the options' names to the engine's (snake_case). */
  function connectionOptions(options) {
    if (options === undefined || options === null) return {};
    if (typeof options !== 'object' || Array.isArray(options)) {
      throw errorOf(Status.CONFIG, 'mcp-oauth: the connection options must be an object', { field: 'options_json' });
    }
    const { transport, clientName, timeoutSeconds, signal, ...rest } = options; // eslint-disable-line no-unused-vars
    const unknown = Object.keys(rest).filter((k) => rest[k] !== undefined);
    if (unknown.length > 0) {
      throw errorOf(Status.CONFIG, `mcp-oauth: unknown connection option ${unknown[0]}`, { field: unknown[0] });
    }
    // The values are checked by the engine (mcpclient.ParseConnectOptions); a
    // string must be encodable as UTF-8 first.
    const o = {};
    if (transport !== undefined && transport !== null) o.transport = transport;
    if (clientName !== undefined && clientName !== null) {
      requireString(clientName, 'clientName');
      o.client_name = clientName;
    }
    if (timeoutSeconds !== undefined && timeoutSeconds !== null) o.timeout_seconds = timeoutSeconds;
    return o;
  }

  function optionsJSON(options) {
    if (options === undefined || options === null) return null;
    return JSON.stringify(connectionOptions(options));
  }

  /** objectJSON encodes tool arguments / request params (an object, or none). */
  function objectJSON(value, what) {
    if (value === undefined || value === null) return null;
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw errorOf(Status.INVALID_ARGUMENT, `mcp-oauth: ${what} must be an object`);
    }
    try {
      return strictJSON(value);
    } catch (err) {
      throw errorOf(Status.INVALID_ARGUMENT, `mcp-oauth: ${what} cannot be encoded as JSON: ${err.message}`);
    }
  }

  function managerHandle(manager) {
    if (!(manager instanceof OAuthTokenManager)) {
      throw errorOf(Status.INVALID_ARGUMENT, 'mcp-oauth: McpClient.connect needs an OAuthTokenManager');
    }
    const h = handleOf(manager);
    if (h === null) throw errorOf(Status.BAD_HANDLE, 'mcp-oauth: the token manager is closed');
    return h;
  }

  /** A token that lets only McpClient.connect() construct clients. */
  const CONSTRUCT = Symbol('McpClient.construct');

  /**
   * McpClient is one MCP session with one server, authorized by an
   * OAuthTokenManager (which it keeps alive). Make one with
   * `await McpClient.connect(manager, serverUrl, options)`.
   */
  class McpClient {
    #handle;
    #manager;
    #serverUrl;
    #transport;
    #closed = false;
    #closing = null;

    constructor(token, handle, manager, serverUrl, transport) {
      if (token !== CONSTRUCT) {
        throw new TypeError('mcp-oauth: use `await McpClient.connect(manager, serverUrl, options)`');
      }
      this.#handle = handle;
      this.#manager = manager;
      this.#serverUrl = serverUrl;
      this.#transport = transport;
      finalizer.register(this, { handle, manager }, this);
    }

    /**
     * connect opens a session with the MCP server at serverUrl (discovery,
     * registration, token and MCP initialization as needed), off the main
     * thread. Rejects with AuthorizationRequiredError when a user must
     * authorize first: run manager.beginAuthorization() /
     * completeAuthorization() and connect again.
     * @param {OAuthTokenManager} manager
     * @param {string} serverUrl
     * @param {{transport?: 'streamable_http'|'sse', clientName?: string, timeoutSeconds?: number}} [options]
     * @returns {Promise<McpClient>}
     */
    static async connect(manager, serverUrl, options) {
      const handle = managerHandle(manager);
      requireString(serverUrl, 'serverUrl');
      const opts = optionsJSON(options);
      const client = await withLogin(manager, async () => {
        const out = [null];
        const err = [null];
        const rc = await withSignal(options?.signal, () => manager.cancel(),
          () => callAsync(native().fn.client_connect, [handle, serverUrl, opts, out, err]));
        if (rc !== Status.OK) throw fail(rc, err);
        take(err);
        return out[0];
      });
      return new McpClient(CONSTRUCT, client, manager, serverUrl, options?.transport ?? 'streamable_http');
    }

    /** The server URL this client is connected to. */
    get serverUrl() {
      return this.#serverUrl;
    }

    /** "streamable_http" or "sse". */
    get transport() {
      return this.#transport;
    }

    /** The OAuthTokenManager authorizing this client. */
    get manager() {
      return this.#manager;
    }

    /** True once close() was called. */
    get closed() {
      return this.#closed;
    }

    /**
     * status describes the session — its Mcp-Session-Id, the negotiated
     * protocol version, the server's name and version, the transport in use
     * — and its manager's status (auth), never a token or a secret
     * (mcp_client_status). One synchronous native call without I/O.
     * @returns {import('../index').SessionStatus}
     */
    status() {
      if (this.#closed) throw errorOf(Status.BAD_HANDLE, 'mcp-oauth: the MCP client is closed');
      return sessionStatus(this.#handle);
    }

    async #call(fn, args, signal) {
      if (this.#closed) throw errorOf(Status.BAD_HANDLE, 'mcp-oauth: the MCP client is closed');
      const handle = this.#handle;
      const json = await withLogin(this.#manager, async () => {
        const out = [null];
        const err = [null];
        const rc = await withSignal(signal, () => native().fn.client_cancel(handle),
          () => callAsync(fn, [handle, ...args, out, err]));
        const result = take(out);
        if (rc !== Status.OK) throw fail(rc, err);
        take(err);
        return result;
      });
      try {
        return JSON.parse(json);
      } catch {
        throw errorOf(Status.PROTOCOL, 'mcp-oauth: the MCP result is not valid JSON');
      }
    }

    /**
     * listTools resolves to the server's tools: every page of tools/list (the
     * engine follows nextCursor, at most 1000 pages; a repeated cursor rejects
     * with ProtocolError): [{name, description, inputSchema, ...}]. Aborting
     * `signal` ends the request (mcp_client_cancel()) and rejects with
     * signal.reason, as for callTool() and request().
     * @param {{signal?: AbortSignal}} [options]
     * @returns {Promise<object[]>}
     */
    async listTools({ signal } = {}) {
      const res = await this.#call(native().fn.client_list_tools, [], signal);
      return res.tools ?? [];
    }

    /**
     * callTool calls a tool and resolves to the tools/call result: {content,
     * structuredContent?, isError?}. A tool that fails reports it in the
     * result (isError: true); a JSON-RPC error rejects with McpError.
     * @param {string} name
     * @param {object} [args]
     * @param {{signal?: AbortSignal}} [options]
     */
    async callTool(name, args, { signal } = {}) {
      requireString(name, 'name');
      return this.#call(native().fn.client_call_tool, [name, objectJSON(args, 'args')], signal);
    }

    /**
     * request sends an MCP request by method (ping, tools/list, tools/call,
     * resources/list, resources/read, resources/templates/list,
     * prompts/list, prompts/get, completion/complete) and resolves to its
     * result.
     * @param {string} method
     * @param {object} [params]
     * @param {{signal?: AbortSignal}} [options]
     */
    async request(method, params, { signal } = {}) {
      requireString(method, 'method');
      return this.#call(native().fn.client_request, [method, objectJSON(params, 'params')], signal);
    }

    /**
     * listSkills resolves to the server's skills (extension
     * io.modelcontextprotocol/skills, SEP-2640): the first page of
     * skills/list. Reads no skill file. `signal` as for listTools().
     * @param {{signal?: AbortSignal}} [options]
     */
    async listSkills({ signal } = {}) {
      return this.#call(native().fn.client_list_skills, [], signal);
    }

    /**
     * loadSkill resolves to the skill whose SKILL.md is uri — {uri, files:
     * [{uri, text}]} — each file verified (size, sha256 digest, the
     * SKILL.md's frontmatter) before the next is read; a file that fails
     * rejects with ProtocolError and the skill is not loaded. `signal` as
     * for listTools().
     * @param {string} uri
     * @param {{signal?: AbortSignal}} [options]
     */
    async loadSkill(uri, { signal } = {}) {
      requireString(uri, 'uri');
      return this.#call(native().fn.client_load_skill, [uri], signal);
    }

    /**
     * setElicitationHandler sets the function (or async function) that
     * answers the server's elicitation requests from now on; null declines
     * them all (the default). It gets the request — {mode: "form"|"url",
     * message, requestedSchema?, url?, elicitationId?} — and returns (or
     * resolves to) {action: "accept"|"decline"|"cancel", content?} or null
     * (decline); form fields left out of content get the schema's defaults.
     * A handler that throws or rejects cancels. It runs on the main thread
     * while the request that led to it waits; since every call of this
     * client runs off the main thread, awaiting inside the handler cannot
     * deadlock.
     * @param {((request: object) => object|null|Promise<object|null>)|null} handler
     */
    setElicitationHandler(handler) {
      if (this.#closed) throw errorOf(Status.BAD_HANDLE, 'mcp-oauth: the MCP client is closed');
      if (handler !== null && typeof handler !== 'function') {
        throw errorOf(Status.INVALID_ARGUMENT, 'mcp-oauth: the elicitation handler must be a function or null');
      }
      const { fn } = native();
      const reply = (request, answer) => {
        const err = [null];
        const rc = fn.client_elicitation_reply(request, answer, err);
        take(err);
        if (rc === Status.INVALID_ARGUMENT) fn.client_elicitation_reply(request, CANCEL, [null]);
      };
      const callback = handler === null ? null : registerElicitation((_userdata, request, requestJSON) => {
        // Answered once the handler settles, never inside this callback.
        Promise.resolve()
          .then(() => handler(JSON.parse(requestJSON)))
          .then((answer) => (answer === null || answer === undefined ? null : JSON.stringify(answer)), () => CANCEL)
          .then((answer) => reply(request, answer), () => reply(request, CANCEL));
      });
      const err = [null];
      const rc = fn.client_set_elicitation_callback(this.#handle, callback, null, err);
      if (rc !== Status.OK) throw fail(rc, err);
      take(err);
    }

    /**
     * close ends the session (off the main thread) and releases the client.
     * Idempotent: later calls fail with BadHandleError at once. The returned
     * promise settles when the session is closed; it never rejects.
     * @returns {Promise<void>}
     */
    close() {
      if (this.#closing !== null) return this.#closing;
      this.#closed = true;
      finalizer.unregister(this);
      const handle = this.#handle;
      this.#closing = callAsync(native().fn.client_close, [handle]).then(noop, noop).then(() => {
        this.#manager = null; // the auth handle may go once the session is gone
      });
      return this.#closing;
    }
  }

  disposable(McpClient);

  function serverEntry(name, spec) {
    if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
      throw errorOf(Status.CONFIG, `mcp-oauth: server "${name}" must be an object`, { field: name });
    }
    // client_name / timeout_seconds: the snake_case spellings of the Python
    // binding, so that one JSON description of servers serves both.
    const {
      url, transport, auth, clientName = spec.client_name, timeoutSeconds = spec.timeout_seconds,
      client_name: _n, timeout_seconds: _t, ...rest
    } = spec;
    const unknown = Object.keys(rest).filter((k) => rest[k] !== undefined);
    if (unknown.length > 0) {
      throw errorOf(Status.CONFIG, `mcp-oauth: server "${name}": unknown key ${unknown[0]}`, { field: `${name}.${unknown[0]}` });
    }
    if (auth !== undefined && auth !== null && (typeof auth !== 'object' || Array.isArray(auth))) {
      throw errorOf(Status.CONFIG, `mcp-oauth: server "${name}": auth must be an OAuthTokenManager or a configuration object`, { field: `${name}.auth` });
    }
    return { url, options: { transport, clientName, timeoutSeconds }, auth: auth ?? null };
  }

  /** call runs a library function synchronously and throws its error. */
  function callSync(fn, args) {
    const err = [null];
    const rc = fn(...args, err);
    if (rc !== Status.OK) throw fail(rc, err);
    take(err);
  }

  /**
   * MultiServerMcpClient connects to several named MCP servers, each with its
   * own authorization (an OAuthTokenManager, or a configuration from which one
   * is made and owned). A thin layer over the engine's multi-server client
   * (mcp_client_multi_*), which checks the descriptions, connects each server
   * on first use, follows every page of its tools and names the server of a
   * failure (`err.server`).
   */
  class MultiServerMcpClient {
    #handle = null; // the mcp_client_multi
    #servers = new Map(); // name -> {url, transport, manager, client, connecting}
    #owned = []; // managers made from configurations
    #closed = false;
    #closing = null;

    /**
     * @param {Record<string, {url: string, transport?: 'streamable_http'|'sse'|'auto',
     *   auth?: object | OAuthTokenManager, clientName?: string,
     *   timeoutSeconds?: number}>} servers
     *   `auth` defaults to discovery mode ({server_url: url}); a configuration
     *   without server_url nor token_url gets server_url = url.
     */
    constructor(servers) {
      if (servers === null || typeof servers !== 'object' || Array.isArray(servers)) {
        throw errorOf(Status.CONFIG, 'mcp-oauth: MultiServerMcpClient needs an object of named servers', { field: '' });
      }
      const entries = Object.entries(servers).map(([name, spec]) => [name, serverEntry(name, spec)]);
      // The engine gets each server's url and connection options (and checks
      // them, without network I/O); its authorization is a manager of ours,
      // handed over with mcp_client_multi_set_auth.
      const specs = {};
      for (const [name, e] of entries) specs[name] = { url: e.url, ...connectionOptions(e.options) };
      const out = [null];
      const err = [null];
      const rc = native().fn.client_multi_new(JSON.stringify(specs), out, err);
      if (rc !== Status.OK) throw fail(rc, err);
      take(err);
      this.#handle = out[0];
      const managers = [];
      try {
        for (const [name, e] of entries) {
          let manager = e.auth;
          if (!(manager instanceof OAuthTokenManager)) {
            const config = engineKeys(manager ?? {});
            if (config.server_url == null && config.token_url == null) config.server_url = e.url;
            manager = new OAuthTokenManager(config);
            this.#owned.push(manager);
          }
          managers.push(manager);
          callSync(native().fn.client_multi_set_auth, [this.#handle, name, managerHandle(manager)]);
          this.#servers.set(name, { url: e.url, transport: e.options.transport ?? 'streamable_http', manager, client: null, connecting: null });
        }
      } catch (error) {
        native().fn.client_multi_free(this.#handle);
        for (const m of this.#owned) m.close();
        throw error;
      }
      multiFinalizer.register(this, { handle: this.#handle, managers }, this);
    }

    /** The server names, in the order given. */
    get servers() {
      return [...this.#servers.keys()];
    }

    #entry(server) {
      if (this.#closed) throw errorOf(Status.BAD_HANDLE, 'mcp-oauth: the MCP client is closed');
      const e = this.#servers.get(server);
      if (e === undefined) {
        throw errorOf(Status.INVALID_ARGUMENT, `mcp-oauth: no server named ${JSON.stringify(String(server))}`);
      }
      return e;
    }

    /**
     * #call runs a multi function off the main thread and parses its JSON
     * result; aborting `signal` ends it (mcp_client_multi_cancel()).
     */
    async #call(fn, args, signal) {
      const out = [null];
      const err = [null];
      const handle = this.#handle;
      const rc = await withSignal(signal, () => native().fn.client_multi_cancel(handle),
        () => callAsync(fn, [handle, ...args, out, err]));
      const json = take(out);
      if (rc !== Status.OK) throw tagged(fail(rc, err));
      take(err);
      try {
        return JSON.parse(json);
      } catch {
        throw errorOf(Status.PROTOCOL, 'mcp-oauth: the MCP result is not valid JSON');
      }
    }

    /** manager returns the OAuthTokenManager of a server (to run its authorization). */
    manager(server) {
      return this.#entry(server).manager;
    }

    /**
     * session resolves to the McpClient of a server's session, connecting on
     * first use (concurrent callers share one connection attempt; a failed
     * attempt is not cached). Aborting `signal` ends the connection attempt
     * (mcp_client_multi_cancel(), which ends every call of this client then
     * waiting, the callers sharing the attempt's too) and rejects with
     * signal.reason.
     * @param {string} server
     * @param {{signal?: AbortSignal}} [options]
     * @returns {Promise<McpClient>}
     */
    async session(server, { signal } = {}) {
      const e = this.#entry(server);
      if (e.client !== null) return e.client;
      if (e.connecting === null) {
        const p = (async () => {
          const out = [null];
          const err = [null];
          const handle = this.#handle;
          const rc = await withSignal(signal, () => native().fn.client_multi_cancel(handle),
            () => callAsync(native().fn.client_multi_session, [handle, server, out, err]));
          if (rc !== Status.OK) throw tagged(fail(rc, err));
          take(err);
          const c = new McpClient(CONSTRUCT, out[0], e.manager, e.url, e.transport);
          if (this.#closed) {
            c.close();
            throw errorOf(Status.BAD_HANDLE, 'mcp-oauth: the MCP client is closed');
          }
          e.client = c;
          return c;
        })();
        e.connecting = p;
        const clear = () => {
          if (e.connecting === p) e.connecting = null;
        };
        p.then(clear, clear);
      }
      return e.connecting;
    }

    /**
     * connect connects every server now (concurrently) instead of on first
     * use. `signal` as for session().
     * @param {{signal?: AbortSignal}} [options]
     * @returns {Promise<this>}
     */
    async connect({ signal } = {}) {
      await Promise.all(this.servers.map((name) => this.session(name, { signal })));
      return this;
    }

    /**
     * getTools resolves to the tools of every server (or of `server` only),
     * each with a `server` member naming its server. Aborting `signal` ends
     * the call (mcp_client_multi_cancel()) and rejects with signal.reason, as
     * for callTool().
     * @param {string} [server]
     * @param {{signal?: AbortSignal}} [options]
     * @returns {Promise<Array<{server: string, name: string, description?: string, inputSchema?: object}>>}
     */
    async getTools(server, { signal } = {}) {
      if (server === undefined || server === null) {
        if (this.#closed) throw errorOf(Status.BAD_HANDLE, 'mcp-oauth: the MCP client is closed');
        return (await this.#call(native().fn.client_multi_list_tools, [], signal)).tools ?? [];
      }
      this.#entry(server);
      return (await this.#call(native().fn.client_multi_list_server_tools, [server], signal)).tools ?? [];
    }

    /**
     * callTool calls a tool on the named server and resolves to its tools/call result.
     * @param {{signal?: AbortSignal}} [options]
     */
    async callTool(server, name, args, { signal } = {}) {
      this.#entry(server);
      requireString(name, 'name');
      return this.#call(native().fn.client_multi_call_tool, [server, name, objectJSON(args, 'args')], signal);
    }

    /**
     * close closes every connection and the managers this object made
     * (managers passed in stay open). Idempotent; never rejects.
     * @returns {Promise<void>}
     */
    close() {
      if (this.#closing !== null) return this.#closing;
      this.#closed = true;
      multiFinalizer.unregister(this);
      const entries = [...this.#servers.values()];
      this.#closing = (async () => {
        await Promise.all(entries.map(async (e) => {
          if (e.connecting !== null) await e.connecting.catch(noop);
          if (e.client !== null) await e.client.close();
          e.client = null;
        }));
        await callAsync(native().fn.client_multi_free, [this.#handle]).catch(noop);
        await Promise.all(this.#owned.map((m) => m.close()));
      })();
      return this.#closing;
    }
  }

  disposable(MultiServerMcpClient);

  /** tagged sets err.server from the engine's error details (the server at fault). */
  function tagged(err) {
    const server = err?.details?.server;
    if (typeof server === 'string' && server !== '' && !('server' in err)) {
      try {
        Object.defineProperty(err, 'server', { value: server, enumerable: true });
      } catch {
        // a frozen error: leave it
      }
    }
    return err;
  }

  return { McpClient, MultiServerMcpClient };
};
