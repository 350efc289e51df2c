// ESM entry point: the CommonJS module is the single implementation, so
// `import` and `require` share one loaded library and one set of classes.
import cjs from './index.js';

export const {
  setLogHandler,
  OAuthTokenManager,
  McpClient,
  MultiServerMcpClient,
  authFetch,
  generateCodeVerifier,
  generateCodeChallenge,
  libraryVersion,
  Status,
  McpOAuthError,
  InvalidArgumentError,
  BadHandleError,
  ConfigError,
  NetworkError,
  McpOAuthTimeoutError,
  OAuthError,
  ProtocolError,
  StateMismatchError,
  AuthorizationDeniedError,
  AuthorizationRequiredError,
  IssuerMismatchError,
  UnsupportedError,
  InternalError,
  ServerError,
  McpError,
  DiscoveryError,
  ResourceMismatchError,
  RegistrationError,
  InsufficientScopeError,
  McpOAuthCancelledError,
  TokenRejectedError,
  TimeoutError, // deprecated: McpOAuthTimeoutError
  CancelledError, // deprecated: McpOAuthCancelledError
} = cjs;

export default cjs;
