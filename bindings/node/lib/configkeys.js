'use strict';
// The configuration in Node style: camelCase keys (clientId) as well as the
// engine's snake_case members (client_id), one table generated from core's
// Config (make generate), so no key is listed by hand.

const { Status, errorOf } = require('./errors.js');

// BEGIN GENERATED config (make generate; source: core/config.go)
/** The configuration members' camelCase spellings and the engine's names. */
const CAMEL_KEYS = Object.freeze({
  clientId: 'client_id',
  clientSecret: 'client_secret',
  tokenUrl: 'token_url',
  authorizeUrl: 'authorize_url',
  redirectUri: 'redirect_uri',
  grantType: 'grant_type',
  tokenEndpointAuthMethod: 'token_endpoint_auth_method',
  httpTimeoutSeconds: 'http_timeout_seconds',
  refreshMarginSeconds: 'refresh_margin_seconds',
  caFile: 'ca_file',
  mcpMaxResponseBytes: 'mcp_max_response_bytes',
  tokenStoreDir: 'token_store_dir',
  tokenStore: 'token_store',
  tokenStoreKeyFile: 'token_store_key_file',
  tokenStoreFallback: 'token_store_fallback',
  serverUrl: 'server_url',
  clientMetadataUrl: 'client_metadata_url',
  clientName: 'client_name',
  privateKeyPem: 'private_key_pem',
  signingAlg: 'signing_alg',
  deviceAuthorizationUrl: 'device_authorization_url',
  idpTokenEndpoint: 'idp_token_endpoint',
  idpClientId: 'idp_client_id',
  idpClientSecret: 'idp_client_secret',
  idpIdToken: 'idp_id_token',
  dpopKeyPem: 'dpop_key_pem',
  workloadIdentityToken: 'workload_identity_token',
  workloadIdentityTokenFile: 'workload_identity_token_file',
  workloadIdentityTokenCommand: 'workload_identity_token_command',
  openCommand: 'open_command',
  mcpHeaders: 'mcp_headers',
});
// END GENERATED config

const hasOwn = (o, k) => Object.prototype.hasOwnProperty.call(o, k);

/**
 * engineKeys returns the configuration with every camelCase key renamed to
 * its member's name; other keys are kept (an unknown one is then named by
 * the engine's ConfigError). Keys whose value is undefined or null ("not
 * set") are dropped. A member set in both spellings is a ConfigError naming
 * it.
 */
function engineKeys(config) {
  const out = {};
  const from = {};
  for (const [key, value] of Object.entries(config)) {
    if (value === undefined || value === null) continue;
    const name = hasOwn(CAMEL_KEYS, key) ? CAMEL_KEYS[key] : key;
    if (hasOwn(out, name)) {
      throw errorOf(Status.CONFIG,
        `mcp-oauth: the configuration sets ${name} twice, as ${from[name]} and as ${key}: give one`, { field: name });
    }
    out[name] = value;
    from[name] = key;
  }
  return out;
}

module.exports = { CAMEL_KEYS, engineKeys };
