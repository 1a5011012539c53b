import type { CommandModule } from 'yargs'

import type { CliContext } from '../context.js'
import { exitCodeHelp } from '../exit-codes.js'
import {
  generationFlags,
  generationJson,
  generationText,
  resolvePlan,
  runGeneration,
  type GenerationArgs,
} from '../generation.js'
import { report, reportFailure } from '../report.js'

/**
 * `k8s-codegen generate`: regenerate `--out` offline from the lockfile and the cache (or
 * `--specs-dir`), with the options the lockfile recorded unless a flag or the config file says
 * otherwise (then those are applied and recorded).
 *
 * @example
 * commands.push(generateCommand(ctx))
 */
export function generateCommand(ctx: CliContext): CommandModule<object, GenerationArgs> {
  return {
    command: 'generate',
    describe: 'Generate TypeScript from the locked specs, offline (no cluster needed)',
    builder: (yargs) =>
      yargs
        .options(generationFlags)
        .example('$0 generate', 'Regenerate ./generated from ./k8s-codegen.lock.json and the cache')
        .example(
          '$0 generate --specs-dir specs --out src/k8s --no-docs',
          'In CI, from committed specs (--no-docs is recorded in the lockfile for check)',
        )
        .epilog(exitCodeHelp),
    handler: async (args) => {
      try {
        const outcome = await runGeneration(await resolvePlan(args, ctx))
        report(ctx, 'generate', args.json, {
          exitCode: 0,
          summary: generationJson(outcome),
          text: generationText(outcome),
          warnings: outcome.warnings,
        })
      } catch (error) {
        reportFailure(ctx, 'generate', args.json, error)
      }
    },
  }
}
