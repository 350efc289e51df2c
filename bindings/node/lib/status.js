'use strict';

// The status of a manager (mcp_oauth_status) and of a session
// (mcp_client_status), in the package's camelCase: never a token or a
// secret.

const { native, take, fail } = require('./native.js');
const { Status, errorOf } = require('./errors.js');

/** statusJSON calls a status function of the library on handle. */
function statusJSON(fn, handle) {
  const out = [null];
  const err = [null];
  const rc = fn(handle, out, err);
  const json = take(out);
  if (rc !== Status.OK) throw fail(rc, err);
  take(err);
  try {
    return JSON.parse(json);
  } catch {
    throw errorOf(Status.INTERNAL, 'mcp-oauth: the library returned a malformed status');
  }
}

const list = (v) => Object.freeze(Array.isArray(v) ? v.map(String) : []);
const str = (v) => (typeof v === 'string' ? v : '');

/** authStatus converts mcp_oauth_status's JSON object (see index.d.ts AuthStatus). */
function authStatus(d) {
  const store = d.store && typeof d.store === 'object'
    ? Object.freeze({ kind: str(d.store.kind), dir: str(d.store.dir), location: str(d.store.location) })
    : null;
  return Object.freeze({
    serverUrl: str(d.server_url),
    grantType: str(d.grant_type),
    discovered: d.discovered === true,
    hasToken: d.has_token === true,
    tokenType: str(d.token_type),
    expiresAt: d.expires_at ? new Date(d.expires_at) : null,
    expiresInSeconds: typeof d.expires_in_seconds === 'number' ? d.expires_in_seconds : null,
    hasRefreshToken: d.has_refresh_token === true,
    scopes: list(d.scopes),
    requestedScopes: list(d.requested_scopes),
    challengedScopes: list(d.challenged_scopes),
    stepUpScopes: list(d.step_up_scopes),
    issuer: str(d.issuer),
    authorizationServer: str(d.authorization_server),
    tokenEndpoint: str(d.token_endpoint),
    resource: str(d.resource),
    clientId: str(d.client_id),
    clientSource: str(d.client_source),
    tokenEndpointAuthMethod: str(d.token_endpoint_auth_method),
    store,
    pendingAuthorizations: Number(d.pending_authorizations ?? 0),
    closed: d.closed === true,
  });
}

/** managerStatus is mcp_oauth_status of a manager's handle. */
function managerStatus(handle) {
  return authStatus(statusJSON(native().fn.status, handle));
}

/** sessionStatus is mcp_client_status of a client's handle. */
function sessionStatus(handle) {
  const d = statusJSON(native().fn.client_status, handle);
  return Object.freeze({
    serverUrl: str(d.server_url),
    transport: str(d.transport),
    sessionId: str(d.session_id),
    protocolVersion: str(d.protocol_version),
    serverName: str(d.server_name),
    serverVersion: str(d.server_version),
    auth: authStatus(d.auth ?? {}),
  });
}

module.exports = { managerStatus, sessionStatus };
