import { K8sCodegenError } from '@k8s-codegen/proxy-url'

/**
 * Every code a {@link ClusterError} can carry. Codes are stable; messages are for humans, name the
 * file / field / context / URL and the rule that failed, and never contain a secret.
 *
 * | code | when |
 * | --- | --- |
 * | `K8S_CODEGEN_CLUSTER_CONFIG_NOT_FOUND` | `--kubeconfig` names a missing file, or no kubeconfig and no in-cluster config |
 * | `K8S_CODEGEN_CLUSTER_CONFIG_PARSE` | a kubeconfig file is not YAML/JSON, or a field has the wrong type |
 * | `K8S_CODEGEN_CLUSTER_CONFIG_DUPLICATE_NAME` | one file defines a cluster, user or context name twice |
 * | `K8S_CODEGEN_CLUSTER_CONFIG_CONTEXT_NOT_FOUND` | the chosen context does not exist, or none is chosen |
 * | `K8S_CODEGEN_CLUSTER_CONFIG_CLUSTER_NOT_FOUND` | `--cluster` or the context's cluster does not exist |
 * | `K8S_CODEGEN_CLUSTER_CONFIG_USER_NOT_FOUND` | `--user` or the context's user does not exist |
 * | `K8S_CODEGEN_CLUSTER_CONFIG_INVALID` | a validation rule failed (conflicting fields, bad server / proxy-url, …) |
 * | `K8S_CODEGEN_CLUSTER_CONFIG_FILE_UNREADABLE` | a file the config points at (CA, cert, key, tokenFile) cannot be read |
 * | `K8S_CODEGEN_CLUSTER_AUTH_PROVIDER_UNSUPPORTED` | `gcp` / `azure` (removed) or an unknown auth-provider |
 * | `K8S_CODEGEN_CLUSTER_INSECURE_CREDENTIALS` | credentials would be sent over plain `http://` to a non-loopback host |
 * | `K8S_CODEGEN_CLUSTER_EXEC_FAILED` | an exec credential plugin could not run or returned bad output |
 * | `K8S_CODEGEN_CLUSTER_USAGE` | `request()` was called with a path that is not an absolute API path |
 * | `K8S_CODEGEN_CLUSTER_UNREACHABLE` | connection refused / reset / DNS / proxy failure (after retries) |
 * | `K8S_CODEGEN_CLUSTER_TLS` | the server certificate could not be verified, or the TLS handshake failed |
 * | `K8S_CODEGEN_CLUSTER_TIMEOUT` | connect, headers or body did not arrive in time |
 * | `K8S_CODEGEN_CLUSTER_UNAUTHORIZED` | 401: the server rejected the user's credentials |
 * | `K8S_CODEGEN_CLUSTER_FORBIDDEN` | 403: the user may not read the path |
 * | `K8S_CODEGEN_CLUSTER_BODY_INCOMPLETE` | the response headers arrived but the body ended early (fewer bytes than Content-Length, or a reset mid-body), after retries |
 * | `K8S_CODEGEN_CLUSTER_BODY_TOO_LARGE` | the response body exceeded `maxBodyBytes` |
 * | `K8S_CODEGEN_CLUSTER_BAD_RESPONSE` | the body could not be content-decoded |
 * | `K8S_CODEGEN_CLUSTER_ABORTED` | the caller's `AbortSignal` fired |
 * | `K8S_CODEGEN_CLUSTER_CLOSED` | `request()` after `close()` |
 *
 * @example
 * const retryable = (code: ClusterErrorCode) => code === 'K8S_CODEGEN_CLUSTER_UNREACHABLE'
 */
export type ClusterErrorCode =
  | 'K8S_CODEGEN_CLUSTER_CONFIG_NOT_FOUND'
  | 'K8S_CODEGEN_CLUSTER_CONFIG_PARSE'
  | 'K8S_CODEGEN_CLUSTER_CONFIG_DUPLICATE_NAME'
  | 'K8S_CODEGEN_CLUSTER_CONFIG_CONTEXT_NOT_FOUND'
  | 'K8S_CODEGEN_CLUSTER_CONFIG_CLUSTER_NOT_FOUND'
  | 'K8S_CODEGEN_CLUSTER_CONFIG_USER_NOT_FOUND'
  | 'K8S_CODEGEN_CLUSTER_CONFIG_INVALID'
  | 'K8S_CODEGEN_CLUSTER_CONFIG_FILE_UNREADABLE'
  | 'K8S_CODEGEN_CLUSTER_AUTH_PROVIDER_UNSUPPORTED'
  | 'K8S_CODEGEN_CLUSTER_INSECURE_CREDENTIALS'
  | 'K8S_CODEGEN_CLUSTER_EXEC_FAILED'
  | 'K8S_CODEGEN_CLUSTER_USAGE'
  | 'K8S_CODEGEN_CLUSTER_UNREACHABLE'
  | 'K8S_CODEGEN_CLUSTER_TLS'
  | 'K8S_CODEGEN_CLUSTER_TIMEOUT'
  | 'K8S_CODEGEN_CLUSTER_UNAUTHORIZED'
  | 'K8S_CODEGEN_CLUSTER_FORBIDDEN'
  | 'K8S_CODEGEN_CLUSTER_BODY_INCOMPLETE'
  | 'K8S_CODEGEN_CLUSTER_BODY_TOO_LARGE'
  | 'K8S_CODEGEN_CLUSTER_BAD_RESPONSE'
  | 'K8S_CODEGEN_CLUSTER_ABORTED'
  | 'K8S_CODEGEN_CLUSTER_CLOSED'

/**
 * The one error class `@k8s-codegen/cluster` throws. Branch on `code`, never on the message.
 * Messages and causes pass through the connection's redactor, so they never contain a token,
 * password or key.
 *
 * @example
 * try {
 *   await loadConnection({ context: 'prod' })
 * } catch (error) {
 *   if (error instanceof ClusterError && error.code === 'K8S_CODEGEN_CLUSTER_CONFIG_CONTEXT_NOT_FOUND') {
 *     // error.message lists the contexts that do exist
 *   }
 * }
 */
export class ClusterError extends K8sCodegenError<ClusterErrorCode> {}
