import { K8sCodegenError } from '@k8s-codegen/proxy-url'

/**
 * Stable codes of the CLI's own errors (the packages it drives have theirs).
 *
 * | code | when |
 * |---|---|
 * | `K8S_CODEGEN_CLI_USAGE` | an unknown command or flag, a missing argument, a flag value out of range |
 * | `K8S_CODEGEN_CLI_CONFIG_INVALID` | the config file cannot be loaded (syntax error with file:line:column), has an unknown key or a wrong type, or is not safe to load (owner, permissions) |
 * | `K8S_CODEGEN_CLI_LOCKED` | another run holds the lockfile, the cache or `--out` |
 * | `K8S_CODEGEN_CLI_LOCK_FAILED` | the lock on the lockfile, the cache or `--out` cannot be created (not a directory, not writable) |
 * | `K8S_CODEGEN_CLI_DEADLINE` | `fetch --timeout` passed before the fetch finished |
 * | `K8S_CODEGEN_CLI_OUTPUT_WRITE` | `--out` cannot be read or written |
 * | `K8S_CODEGEN_CLI_NOT_WRITABLE` | `--out`, the lockfile or the cache cannot be written, found before anything is fetched or written |
 * | `K8S_CODEGEN_CLI_OUTPUT_PATH` | a generated path would leave `--out` |
 * | `K8S_CODEGEN_CLI_OUTPUT_CONFLICT` | a file, symlink or directory k8s-codegen did not write (not in `--out`'s manifest, no generated header) stands where a generated file goes; nothing was written |
 * | `K8S_CODEGEN_CLI_INTERNAL` | a bug: an error that is not one of the toolkit's |
 * | `K8S_CODEGEN_CLI_KUBE_VERSION_UNKNOWN` | `validate --kube-version` names a version whose built-in schemas do not ship |
 */
export type CliErrorCode =
  | 'K8S_CODEGEN_CLI_USAGE'
  | 'K8S_CODEGEN_CLI_CONFIG_INVALID'
  | 'K8S_CODEGEN_CLI_LOCKED'
  | 'K8S_CODEGEN_CLI_LOCK_FAILED'
  | 'K8S_CODEGEN_CLI_DEADLINE'
  | 'K8S_CODEGEN_CLI_OUTPUT_WRITE'
  | 'K8S_CODEGEN_CLI_NOT_WRITABLE'
  | 'K8S_CODEGEN_CLI_OUTPUT_PATH'
  | 'K8S_CODEGEN_CLI_OUTPUT_CONFLICT'
  | 'K8S_CODEGEN_CLI_INTERNAL'
  | 'K8S_CODEGEN_CLI_KUBE_VERSION_UNKNOWN'

/**
 * An error of the CLI itself; `code` is one of {@link CliErrorCode}.
 *
 * @example
 * throw new CliError('K8S_CODEGEN_CLI_USAGE', "give a command: fetch, generate, check, validate, connection or proxy-url")
 */
export class CliError extends K8sCodegenError<CliErrorCode> {}
