// The one place that turns a command's outcome, success or failure, into what the user sees:
// warnings and errors on stderr, a summary on stdout, or with --json exactly one JSON document on
// stdout, and the exit code from the one compiler-checked map (citty `runMain`).
// The sanitizer alone: the cluster package's index would load its HTTP and YAML stack on every run.
import { stripControl } from '@k8s-codegen/cluster/control-characters'

import type { CliContext } from './context.js'
import { errorCodeOf, exitCodeFor, type ExitCodeValue } from './exit-codes.js'

/** One line: also newlines go, so an error stays on its line. */
function oneLine(text: string): string {
  return stripControl(text.replace(/\s*[\r\n]+\s*/g, ' ').trim())
}

/**
 * What a command did, for {@link report}.
 *
 * @example
 * const outcome: CommandOutcome = { exitCode: 0, summary: { out: '/repo/generated' }, text: 'generated …\n' }
 */
export interface CommandOutcome {
  exitCode: ExitCodeValue
  /** Fields of the `--json` document (`ok`, `exitCode` and `error` are added). */
  summary: Record<string, unknown>
  /** What stdout shows without `--json`. */
  text: string
  warnings?: readonly string[]
  /** Set when the command failed: shown on stderr and as the document's `error`. */
  error?: unknown
}

/**
 * Prints a command's outcome and sets the exit code. Call exactly once per run.
 *
 * @example
 * report(ctx, 'generate', args.json, { exitCode: 0, summary, text })
 */
export function report(
  ctx: CliContext,
  command: string | undefined,
  json: boolean,
  outcome: CommandOutcome,
): void {
  const prefix = command === undefined ? 'k8s-codegen' : `k8s-codegen ${command}`
  for (const warning of outcome.warnings ?? [])
    ctx.stderr(`${prefix}: warning: ${oneLine(warning)}\n`)
  const error = outcome.error === undefined ? undefined : errorInfo(outcome.error)
  if (error !== undefined) ctx.stderr(`${prefix}: error: ${error.message} [${error.code}]\n`)
  if (json) {
    ctx.stdout(
      `${JSON.stringify({
        ok: outcome.exitCode === 0,
        exitCode: outcome.exitCode,
        ...outcome.summary,
        error: error ?? null,
      })}\n`,
    )
  } else if (outcome.text !== '') {
    ctx.stdout(stripControl(outcome.text))
  }
  ctx.exitCode = outcome.exitCode
}

/**
 * Reports a failed command: its error on stderr (and as the `--json` document), its exit code.
 *
 * @example
 * reportFailure(ctx, 'generate', args.json, error)
 */
export function reportFailure(
  ctx: CliContext,
  command: string | undefined,
  json: boolean,
  error: unknown,
  summary: Record<string, unknown> = {},
): void {
  report(ctx, command, json, { exitCode: exitCodeFor(error), summary, text: '', error })
}

/**
 * The stable code and one-line, control-free message of an error, as the `--json` document
 * carries it.
 *
 * @example
 * errorInfo(new Error('x')) // { code: 'K8S_CODEGEN_CLI_INTERNAL', message: 'x' }
 */
export function errorInfo(error: unknown): { code: string; message: string } {
  const message = (error as { message?: unknown } | undefined)?.message
  return {
    code: errorCodeOf(error),
    message: oneLine(typeof message === 'string' ? message : String(error)),
  }
}
