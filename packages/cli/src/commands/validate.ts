import type { CommandModule } from 'yargs'

import type { CliContext } from '../context.js'
import { ExitCode, exitCodeHelp, type ExitCodeValue } from '../exit-codes.js'
import { checkLimitFlags, generationFlags, resolvePlan } from '../generation.js'
import { ValidateProgress } from '../progress.js'
import { report, reportFailure } from '../report.js'
import type { FileResult } from '../validate-run.js'

interface ValidateArgs {
  files: string[]
  crds?: (string | false)[] | undefined
  lockfile?: string | undefined
  'cache-dir'?: string | undefined
  'specs-dir'?: string | undefined
  'kube-version'?: string | undefined
  strict?: boolean | undefined
  output: 'human' | 'json'
  config?: string | undefined
  'max-crd-file-bytes'?: number | undefined
  'max-crd-total-bytes'?: number | undefined
  'max-crd-documents'?: number | undefined
  'max-crd-expanded-bytes'?: number | undefined
}

const {
  crds,
  lockfile,
  config,
  'cache-dir': cacheDir,
  'specs-dir': specsDir,
  'max-crd-file-bytes': maxFileBytes,
  'max-crd-total-bytes': maxTotalBytes,
  'max-crd-documents': maxDocuments,
  'max-crd-expanded-bytes': maxExpandedBytes,
} = generationFlags

// A document that could not be validated outweighs an invalid one: the run did not check all.
function exitCodeOf(files: readonly FileResult[]): ExitCodeValue {
  const outcomes = new Set(files.flatMap((f) => f.documents.map((d) => d.outcome)))
  if (outcomes.has('unusable')) return ExitCode.usage
  return outcomes.has('invalid') ? ExitCode.invalid : ExitCode.ok
}

/**
 * `k8s-codegen validate <files|dirs|globs|->`: validates manifests offline as kube-apiserver
 * would on create, against CRDs (`--crds`), the lockfile's documents, `--specs-dir` or the
 * built-in schemas of `--kube-version`; `--output json` prints kubectl-validate's document.
 *
 * @example
 * commands.push(validateCommand(ctx))
 */
export function validateCommand(ctx: CliContext): CommandModule<object, ValidateArgs> {
  return {
    command: 'validate <files..>',
    describe:
      'Validate manifests as kube-apiserver would (schemas, ObjectMeta, list types), offline; for CI',
    builder: (yargs) =>
      yargs
        .positional('files', {
          type: 'string',
          array: true,
          demandOption: true,
          describe:
            "Files, directories (recursive *.yaml|*.yml|*.json, as kubectl -f -R), globs, or '-' for stdin",
        })
        .options({
          crds: {
            ...crds,
            describe:
              'CustomResourceDefinition files, directories or globs whose kinds the manifests use (converted in memory, nothing written)',
          },
          lockfile: {
            ...lockfile,
            describe:
              'Lockfile whose documents (cluster and CRD sets) are used when present (default k8s-codegen.lock.json in the project root)',
          },
          'cache-dir': cacheDir,
          'specs-dir': {
            ...specsDir,
            describe:
              'Directory of /openapi/v3 documents (<dir>/api/v1.json, <dir>/apis/<group>/<version>.json, as fetch --specs-dir writes them)',
          },
          'kube-version': {
            type: 'string',
            describe:
              'Kubernetes version (<major>.<minor>) whose shipped built-in schemas validate built-in kinds no other source has, and whose name rules apply (default: the newest shipped, when there is neither a lockfile nor --specs-dir)',
          },
          strict: {
            type: 'boolean',
            describe:
              'Unknown fields are errors (fieldValidation=Strict), not warnings (the server default)',
          },
          output: {
            alias: 'o',
            choices: ['human', 'json'] as const,
            default: 'human' as const,
            describe:
              'json: { "<path>": [Status per object] } exactly as kubectl-validate prints it',
          },
          config,
          'max-crd-file-bytes': {
            ...maxFileBytes,
            describe: 'Refuse an input file (manifest or CRD) larger than this (default 33554432)',
          },
          'max-crd-total-bytes': {
            ...maxTotalBytes,
            describe:
              'Refuse input files larger than this in all, manifests and CRDs each (default 1073741824)',
          },
          'max-crd-documents': {
            ...maxDocuments,
            describe: 'Refuse an input file of more YAML documents than this (default 10000)',
          },
          'max-crd-expanded-bytes': {
            ...maxExpandedBytes,
            describe:
              'Refuse a YAML document (manifest or CRD) larger than this as JSON with its aliases expanded (default 67108864)',
          },
        })
        .check(checkLimitFlags)
        .example(
          '$0 validate ./manifests --crds ./crds',
          'Custom resources against their CRDs, in CI',
        )
        .example(
          'helm template . | $0 validate - --specs-dir specs',
          'Rendered manifests from stdin against committed /openapi/v3 documents',
        )
        .example('$0 validate deploy/ -o json', 'The JSON document kubectl-validate prints')
        .epilog(exitCodeHelp),
    handler: async (args) => {
      const progress = new ValidateProgress(ctx)
      try {
        const [{ DEFAULT_CRD_READ_LIMITS }, { openSchemas }, { runValidate }, output] =
          await Promise.all([
            import('@k8s-codegen/openapi'),
            import('../validate-schemas.js'),
            import('../validate-run.js'),
            import('../validate-output.js'),
          ])
        const plan = await resolvePlan({ ...args, json: false }, ctx, { record: false })
        const schemas = await openSchemas({
          crds: plan.crds?.paths ?? [],
          cwd: plan.crds?.cwd ?? ctx.cwd,
          crdLimits: plan.crdLimits,
          lockfile: plan.lockfile,
          cacheDir: plan.cacheDir,
          specsDir: plan.specsDir,
          kubeVersion: args['kube-version'],
        })
        const files = await runValidate({
          inputs: args.files,
          cwd: ctx.cwd,
          strict: args.strict === true,
          limits: { ...DEFAULT_CRD_READ_LIMITS, ...plan.crdLimits },
          stdin: ctx.stdin,
          schemas,
          onFile: (done, total, failed) => progress.file(done, total, failed),
        })
        progress.finish()
        report(ctx, 'validate', false, {
          exitCode: exitCodeOf(files),
          summary: {},
          text:
            args.output === 'json'
              ? output.kubectlValidateJson(files)
              : output.validateText(files, schemas.sources),
          warnings: output.validateWarnings(files),
        })
      } catch (error) {
        progress.finish()
        reportFailure(ctx, 'validate', false, error)
      }
    },
  }
}
