import { isK8sCodegenError } from '@k8s-codegen/proxy-url'

/**
 * The CLI's exit codes. Every command documents the ones it can return in its `--help`.
 *
 * | code | meaning |
 * |---|---|
 * | 0 | success |
 * | 1 | usage, configuration or local file error (bad flag, kubeconfig, lockfile, unwritable dir), or (`check`) the output is stale |
 * | 2 | connection or authentication error (unreachable, TLS, timeout, 401/403, server lacks the API) |
 * | 3 | partial: some group-versions unavailable, with `--strict` |
 * | 4 | verification failure: a document's SHA-512 or content is not what the server advertised |
 *
 * @example
 * ctx.exitCode = ExitCode.partial // 3
 */
export const ExitCode = {
  ok: 0,
  usage: 1,
  connection: 2,
  partial: 3,
  verification: 4,
  stale: 1,
} as const

/**
 * One of {@link ExitCode}'s values.
 *
 * @example
 * const code: ExitCodeValue = 4
 */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode]

/**
 * The table above as help text.
 *
 * @example
 * yargs.epilog(exitCodeHelp)
 */
export const exitCodeHelp = [
  'Exit codes:',
  '  0  success',
  '  1  usage, configuration or local file error, or (check) the output is stale',
  '  2  connection or authentication error (unreachable, TLS, timeout, 401/403, API not served)',
  '  3  partial: some group-versions unavailable (only with --strict)',
  '  4  verification failure (SHA-512 mismatch, truncated or invalid document)',
].join('\n')

const verification = new Set([
  'K8S_CODEGEN_OPENAPI_HASH_MISMATCH',
  'K8S_CODEGEN_OPENAPI_HASH_STALE',
  'K8S_CODEGEN_OPENAPI_DOCUMENT_INVALID',
  'K8S_CODEGEN_OPENAPI_DOCUMENT_INCOMPLETE',
  'K8S_CODEGEN_OPENAPI_ROOT_INVALID',
  'K8S_CODEGEN_OPENAPI_V2_INVALID',
  'K8S_CODEGEN_CLUSTER_BAD_RESPONSE',
  'K8S_CODEGEN_CLUSTER_BODY_INCOMPLETE',
])
const connection = new Set([
  'K8S_CODEGEN_OPENAPI_NOT_SERVED',
  'K8S_CODEGEN_OPENAPI_UNEXPECTED_STATUS',
  'K8S_CODEGEN_CLUSTER_EXEC_FAILED',
  'K8S_CODEGEN_CLUSTER_UNREACHABLE',
  'K8S_CODEGEN_CLUSTER_TLS',
  'K8S_CODEGEN_CLUSTER_TIMEOUT',
  'K8S_CODEGEN_CLUSTER_UNAUTHORIZED',
  'K8S_CODEGEN_CLUSTER_FORBIDDEN',
  'K8S_CODEGEN_CLUSTER_BODY_TOO_LARGE',
  'K8S_CODEGEN_CLUSTER_ABORTED',
])

/**
 * The exit code for an error a command failed with: by its stable `code`, never its message.
 * Unknown errors (bugs) are usage errors (1) so scripts never mistake them for success.
 *
 * @example
 * exitCodeFor(new ClusterError('K8S_CODEGEN_CLUSTER_TLS', '…')) // 2
 */
export function exitCodeFor(error: unknown): ExitCodeValue {
  if (!isK8sCodegenError(error)) return ExitCode.usage
  if (verification.has(error.code)) return ExitCode.verification
  if (connection.has(error.code)) return ExitCode.connection
  return ExitCode.usage
}
