export { ClusterError, type ClusterErrorCode } from './errors.js'
export {
  loadConnection,
  type Connection,
  type ConnectionDescription,
  type ClusterResponse,
  type ClusterStream,
  type HttpMethod,
  type RequestOptions,
  type SendOptions,
} from './connection.js'
export type { ConnectionOverrides } from './overrides.js'
export {
  resolveKubeconfig,
  type AuthMethod,
  type CaSource,
  type LoadConnectionOptions,
  type ResolvedConfig,
  type ResolvedCredentials,
} from './resolve.js'
export { redact, redactUrl } from './redact.js'
export { stripControl } from './control-characters.js'
export type { KubeconfigAuthProvider, KubeconfigExec } from './kubeconfig-types.js'
export { parseDuration, type RetryPolicy } from './with-retry.js'
export { maskHeader, type RequestLogEntry } from './request-log.js'
