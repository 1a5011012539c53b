import type { CommandModule } from 'yargs'

import type { CliContext } from '../context.js'
import { ExitCode, exitCodeHelp } from '../exit-codes.js'
import {
  checkLimitFlags,
  crdsBaseFlag,
  generationFlags,
  generationJson,
  generationText,
  generationWarnings,
  resolvePlan,
  runGeneration,
  writeTargets,
  type GenerationArgs,
} from '../generation.js'
import { report, reportFailure } from '../report.js'
import { assertWritable } from '../writable.js'

/**
 * `k8s-codegen generate`: regenerate `--out` offline from the lockfile and the cache (or
 * `--specs-dir`), with the options the lockfile recorded unless a flag or the config file says
 * otherwise (then those are applied and recorded).
 *
 * @example
 * commands.push(generateCommand(ctx))
 */
export function generateCommand(
  ctx: CliContext,
): CommandModule<object, GenerationArgs & { strict?: boolean | undefined }> {
  return {
    command: 'generate',
    describe: 'Generate TypeScript from the locked specs, offline (no cluster needed)',
    builder: (yargs) =>
      yargs
        .options(generationFlags)
        .options(crdsBaseFlag)
        .options({
          strict: {
            type: 'boolean',
            describe: 'Exit 3 when any group-version could not be generated',
          },
        })
        .check(checkLimitFlags)
        .example('$0 generate', 'Regenerate ./generated from ./k8s-codegen.lock.json and the cache')
        .example(
          '$0 generate --specs-dir specs --out src/k8s --no-docs',
          'In CI, from committed specs (--no-docs is recorded in the lockfile for check)',
        )
        .example(
          '$0 generate --crds ./crds --out src/k8s',
          'From CRD files alone: no cluster, kubeconfig or lockfile needed',
        )
        .epilog(exitCodeHelp),
    handler: async (args) => {
      let cacheDir: string | undefined
      try {
        const plan = await resolvePlan(args, ctx)
        cacheDir = plan.cacheDir
        await assertWritable(writeTargets(plan, { fetches: false, generates: true }))
        const outcome = await runGeneration(plan)
        await (await import('../cache-trim-step.js')).trimCacheAfterRun(plan)
        const partial = args.strict === true && outcome.skipped.length > 0
        const warnings = generationWarnings(outcome)
        if (partial)
          warnings.push(`${outcome.skipped.length} group-versions not generated (--strict)`)
        report(ctx, 'generate', args.json, {
          exitCode: partial ? ExitCode.partial : ExitCode.ok,
          summary: generationJson(outcome),
          text: generationText(outcome),
          warnings,
        })
      } catch (error) {
        reportFailure(ctx, 'generate', args.json, error)
      } finally {
        if (cacheDir !== undefined)
          await (await import('../cache-trim-step.js')).leaveCacheAfterRun(cacheDir)
      }
    },
  }
}
