import { resolve } from 'node:path'

import type { CommandModule } from 'yargs'

import type { CliContext } from '../context.js'
import { ExitCode, exitCodeHelp } from '../exit-codes.js'
import {
  generationFlags,
  loadGenerationInput,
  reportFailure,
  resolveGenerationOptions,
  type GenerationArgs,
  type GenerationOptions,
  checkLimitFlags,
} from './generate.js'

/** What `check` found. */
export interface CheckOutcome {
  out: string
  upToDate: boolean
  changed: string[]
  missing: string[]
  extra: string[]
}

/**
 * Generates in memory from the locked specs and compares with `--out`, byte for byte. Writes
 * nothing.
 *
 * @example
 * const { upToDate, changed } = await runCheck({ out: 'generated', docs: true }, ctx)
 */
export async function runCheck(options: GenerationOptions, ctx: CliContext): Promise<CheckOutcome> {
  const out = resolve(ctx.cwd, options.out)
  const [{ generate, generationKey }, { diffOutput, isOutputCurrent }] = await Promise.all([
    import('@k8s-codegen/codegen'),
    import('../write-output.js'),
  ])
  const input = await loadGenerationInput(options, ctx)
  // Same generation key and every file matching its recorded hash: up to date without generating.
  if (await isOutputCurrent(out, generationKey(input))) {
    return { out, upToDate: true, changed: [], missing: [], extra: [] }
  }
  const diff = await diffOutput(out, (await generate(input)).files)
  return {
    out,
    upToDate: diff.changed.length + diff.missing.length + diff.extra.length === 0,
    ...diff,
  }
}

function list(label: string, paths: readonly string[]): string {
  if (paths.length === 0) return ''
  const shown = paths.slice(0, 5).join(', ')
  return `  ${paths.length} ${label}: ${shown}${paths.length > 5 ? `, … (${paths.length - 5} more)` : ''}\n`
}

/**
 * `k8s-codegen check`: exit 0 when `--out` is exactly what `generate` would write, else exit 1
 * with a short summary of what differs (stale or hand-edited). For CI.
 *
 * @example
 * commands.push(checkCommand(ctx))
 */
export function checkCommand(ctx: CliContext): CommandModule<object, GenerationArgs> {
  return {
    command: 'check',
    describe: 'Exit 1 when the generated output is stale or hand-edited (for CI); writes nothing',
    builder: (yargs) =>
      yargs
        .options(generationFlags)
        .check(checkLimitFlags)
        .example(
          '$0 check --specs-dir specs --out src/k8s',
          'In CI, after checking out a committed lockfile and specs',
        )
        .epilog(exitCodeHelp),
    handler: async (args) => {
      try {
        const outcome = await runCheck(await resolveGenerationOptions(args, ctx), ctx)
        ctx.exitCode = outcome.upToDate ? ExitCode.ok : ExitCode.stale
        if (args.json) {
          ctx.stdout(`${JSON.stringify({ ok: outcome.upToDate, ...outcome })}\n`)
        } else if (outcome.upToDate) {
          ctx.stdout(`${outcome.out} is up to date\n`)
        } else {
          ctx.stdout(
            `${outcome.out} is stale or hand-edited:\n${list('changed', outcome.changed)}${list('missing', outcome.missing)}${list('no longer generated', outcome.extra)}` +
              "Run 'k8s-codegen generate' with the same options and commit the result.\n",
          )
        }
      } catch (error) {
        reportFailure('check', error, args.json, ctx)
      }
    },
  }
}
