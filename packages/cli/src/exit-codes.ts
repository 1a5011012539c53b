import type { ClusterErrorCode } from '@k8s-codegen/cluster'
import type { CodegenErrorCode } from '@k8s-codegen/codegen'
import type { KubeSchemasErrorCode } from '@k8s-codegen/kube-schemas'
import type { OpenApiErrorCode } from '@k8s-codegen/openapi'
import { isK8sCodegenError, type ProxyUrlErrorCode } from '@k8s-codegen/proxy-url'
import type { ValidationErrorCode } from '@k8s-codegen/validation'

import type { CliErrorCode } from './errors.js'

/**
 * The CLI's exit codes. Every command documents the ones it can return in its `--help`.
 *
 * | code | meaning |
 * |---|---|
 * | 0 | success |
 * | 1 | usage, configuration or local file error (bad flag, kubeconfig, lockfile, unwritable dir, a file of yours where a generated file goes, filter matching nothing; for `validate`, a manifest that cannot be read or parsed, a kind no schema describes, an unknown `--kube-version`), or (`check`) the output is stale |
 * | 2 | connection or authentication error (unreachable, TLS, timeout, 401/403, server lacks the API) |
 * | 3 | partial: some group-versions unavailable, with `--strict` |
 * | 4 | verification failure: a document's SHA-512 or content is not what the server advertised or the lockfile records |
 * | 5 | (`validate`) an object is invalid: the apiserver would refuse it |
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
  invalid: 5,
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
  '  1  usage, configuration or local file error (a file of yours where a generated file goes:',
  '     nothing written), or (check) the output is stale, or (validate)',
  '     a manifest that cannot be read or parsed, a kind without schema, an unknown --kube-version',
  '  2  connection or authentication error (unreachable, TLS, timeout, 401/403, API not served)',
  '  3  partial: some group-versions unavailable (only with --strict)',
  '  4  verification failure (SHA-512 mismatch, truncated or invalid document, edited spec)',
  '  5  (validate) an object is invalid: the apiserver would refuse it',
  '  130/143  ended by SIGINT/SIGTERM (stderr says what was kept)',
].join('\n')

/**
 * Every error code a command can fail with: the CLI's and those of the packages it drives.
 *
 * @example
 * const code: ErrorCode = 'K8S_CODEGEN_OPENAPI_HASH_MISMATCH'
 */
export type ErrorCode =
  | CliErrorCode
  | ClusterErrorCode
  | OpenApiErrorCode
  | CodegenErrorCode
  | ProxyUrlErrorCode
  | ValidationErrorCode
  // An unknown version is reported as the CLI's K8S_CODEGEN_CLI_KUBE_VERSION_UNKNOWN
  // (built-in-schemas.ts), the one code for it.
  | Exclude<KubeSchemasErrorCode, 'K8S_CODEGEN_KUBE_SCHEMAS_UNKNOWN_VERSION'>

const { usage, connection, partial, verification } = ExitCode

/**
 * The exit code of every error code. The compiler checks that it is complete: a package that adds
 * a code does not build until the code has an exit code here (and a row in the CLI README, which
 * a test checks).
 *
 * @example
 * EXIT_CODES.K8S_CODEGEN_CLUSTER_TLS // 2
 */
export const EXIT_CODES = {
  K8S_CODEGEN_CLI_USAGE: usage,
  K8S_CODEGEN_CLI_CONFIG_INVALID: usage,
  K8S_CODEGEN_CLI_LOCKED: usage,
  K8S_CODEGEN_CLI_LOCK_FAILED: usage,
  K8S_CODEGEN_CLI_DEADLINE: connection,
  K8S_CODEGEN_CLI_OUTPUT_WRITE: usage,
  K8S_CODEGEN_CLI_NOT_WRITABLE: usage,
  K8S_CODEGEN_CLI_OUTPUT_PATH: usage,
  // A file of yours where a generated one goes: a local file error, as an unwritable --out.
  K8S_CODEGEN_CLI_OUTPUT_CONFLICT: usage,
  K8S_CODEGEN_CLI_INTERNAL: usage,
  K8S_CODEGEN_CLI_KUBE_VERSION_UNKNOWN: usage,

  K8S_CODEGEN_CLUSTER_CONFIG_NOT_FOUND: usage,
  K8S_CODEGEN_CLUSTER_CONFIG_PARSE: usage,
  K8S_CODEGEN_CLUSTER_CONFIG_DUPLICATE_NAME: usage,
  K8S_CODEGEN_CLUSTER_CONFIG_CONTEXT_NOT_FOUND: usage,
  K8S_CODEGEN_CLUSTER_CONFIG_CLUSTER_NOT_FOUND: usage,
  K8S_CODEGEN_CLUSTER_CONFIG_USER_NOT_FOUND: usage,
  K8S_CODEGEN_CLUSTER_CONFIG_INVALID: usage,
  K8S_CODEGEN_CLUSTER_CONFIG_FILE_UNREADABLE: usage,
  K8S_CODEGEN_CLUSTER_AUTH_PROVIDER_UNSUPPORTED: usage,
  K8S_CODEGEN_CLUSTER_INSECURE_CREDENTIALS: usage,
  K8S_CODEGEN_CLUSTER_USAGE: usage,
  K8S_CODEGEN_CLUSTER_CLOSED: usage,
  K8S_CODEGEN_CLUSTER_EXEC_FAILED: connection,
  K8S_CODEGEN_CLUSTER_UNREACHABLE: connection,
  K8S_CODEGEN_CLUSTER_TLS: connection,
  K8S_CODEGEN_CLUSTER_TIMEOUT: connection,
  K8S_CODEGEN_CLUSTER_UNAUTHORIZED: connection,
  K8S_CODEGEN_CLUSTER_FORBIDDEN: connection,
  K8S_CODEGEN_CLUSTER_BODY_TOO_LARGE: connection,
  K8S_CODEGEN_CLUSTER_ABORTED: connection,
  K8S_CODEGEN_CLUSTER_BODY_INCOMPLETE: verification,
  K8S_CODEGEN_CLUSTER_BAD_RESPONSE: verification,

  K8S_CODEGEN_OPENAPI_NOT_SERVED: connection,
  K8S_CODEGEN_OPENAPI_UNEXPECTED_STATUS: connection,
  K8S_CODEGEN_OPENAPI_ROOT_INVALID: verification,
  K8S_CODEGEN_OPENAPI_HASH_MISMATCH: verification,
  K8S_CODEGEN_OPENAPI_DOCUMENT_INCOMPLETE: verification,
  K8S_CODEGEN_OPENAPI_DOCUMENT_INVALID: verification,
  K8S_CODEGEN_OPENAPI_HASH_STALE: verification,
  K8S_CODEGEN_OPENAPI_V2_INVALID: verification,
  K8S_CODEGEN_OPENAPI_SPEC_TAMPERED: verification,
  K8S_CODEGEN_OPENAPI_FILTER_INVALID: usage,
  K8S_CODEGEN_OPENAPI_FILTER_UNMATCHED: usage,
  K8S_CODEGEN_OPENAPI_NOTHING_SELECTED: usage,
  K8S_CODEGEN_OPENAPI_CRDS_FILTERED: usage,
  K8S_CODEGEN_OPENAPI_LOCKFILE_INVALID: usage,
  // A file of yours at --lockfile or in --specs-dir: as K8S_CODEGEN_CLI_OUTPUT_CONFLICT.
  K8S_CODEGEN_OPENAPI_LOCKFILE_CONFLICT: usage,
  K8S_CODEGEN_OPENAPI_SPECS_DIR_CONFLICT: usage,
  K8S_CODEGEN_OPENAPI_LOCKFILE_MISSING: usage,
  K8S_CODEGEN_OPENAPI_SPEC_MISSING: usage,
  K8S_CODEGEN_OPENAPI_WRITE_FAILED: usage,
  // CRD files are local input: a missing or invalid one is a usage error, like a bad config file.
  K8S_CODEGEN_OPENAPI_CRD_MISSING: usage,
  K8S_CODEGEN_OPENAPI_CRD_PATTERN_INVALID: usage,
  K8S_CODEGEN_OPENAPI_CRD_INVALID: usage,
  K8S_CODEGEN_OPENAPI_CRD_TOO_LARGE: usage,
  K8S_CODEGEN_OPENAPI_CRD_CONFLICT: usage,
  K8S_CODEGEN_OPENAPI_BASE_INVALID: usage,

  // A group-version that cannot be generated is skipped with its code; --strict exits 3.
  K8S_CODEGEN_CODEGEN_INVALID_DOCUMENT: partial,
  K8S_CODEGEN_CODEGEN_UNRESOLVED_REF: partial,
  K8S_CODEGEN_CODEGEN_FIXUP_STALE: partial,
  K8S_CODEGEN_CODEGEN_LIMIT_EXCEEDED: partial,
  K8S_CODEGEN_CODEGEN_INVALID_NAME: partial,
  K8S_CODEGEN_CODEGEN_EMIT_FAILED: usage,

  K8S_CODEGEN_PROXY_SEGMENT_INVALID: usage,
  K8S_CODEGEN_PROXY_SERVER_INVALID: usage,
  K8S_CODEGEN_PROXY_KIND_INVALID: usage,
  K8S_CODEGEN_PROXY_NAMESPACE_INVALID: usage,
  K8S_CODEGEN_PROXY_NAME_INVALID: usage,
  K8S_CODEGEN_PROXY_SCHEME_INVALID: usage,
  K8S_CODEGEN_PROXY_PORT_INVALID: usage,
  K8S_CODEGEN_PROXY_PATH_INVALID: usage,
  K8S_CODEGEN_PROXY_QUERY_INVALID: usage,
  K8S_CODEGEN_PROXY_DRY_RUN_UNSUPPORTED: usage,
  K8S_CODEGEN_PROXY_URL_INVALID: usage,

  // `validate` reports these per document (not validated: exit 1), never as the run's error.
  K8S_CODEGEN_VALIDATION_NOT_AN_OBJECT: usage,
  K8S_CODEGEN_VALIDATION_KIND_NOT_FOUND: usage,
  K8S_CODEGEN_VALIDATION_BAD_REF: usage,
  K8S_CODEGEN_VALIDATION_TOO_DEEP: usage,

  // The installed @k8s-codegen/kube-schemas is missing a file: a local file error.
  K8S_CODEGEN_KUBE_SCHEMAS_DAMAGED: usage,
} as const satisfies Record<ErrorCode, ExitCodeValue>

/**
 * The stable code of any error a command failed with: its own for the toolkit's errors,
 * `K8S_CODEGEN_CLI_INTERNAL` for anything else (a bug).
 *
 * @example
 * errorCodeOf(new Error('x')) // 'K8S_CODEGEN_CLI_INTERNAL'
 */
export function errorCodeOf(error: unknown): string {
  return isK8sCodegenError(error) ? error.code : 'K8S_CODEGEN_CLI_INTERNAL'
}

/**
 * The exit code for an error a command failed with: by its stable `code`, never its message.
 * Unknown errors (bugs) are usage errors (1) so scripts never mistake them for success.
 *
 * @example
 * exitCodeFor(new ClusterError('K8S_CODEGEN_CLUSTER_TLS', '…')) // 2
 */
export function exitCodeFor(error: unknown): ExitCodeValue {
  const code = errorCodeOf(error)
  return Object.hasOwn(EXIT_CODES, code) ? EXIT_CODES[code as ErrorCode] : ExitCode.usage
}
