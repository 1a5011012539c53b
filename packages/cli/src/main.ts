import yargs from 'yargs'
import packageJson from '../package.json' with { type: 'json' }
import { checkCommand } from './commands/check.js'
import { connectionCommand } from './commands/connection.js'
import { fetchCommand } from './commands/fetch.js'
import { generateCommand } from './commands/generate.js'
import { proxyUrlCommand } from './commands/proxy-url.js'
import { validateCommand } from './commands/validate.js'
import { processContext, type CliContext } from './context.js'
import { CliError } from './errors.js'
import { exitCodeHelp } from './exit-codes.js'
import { reportFailure } from './report.js'
import { withSuggestions } from './suggest.js'
import { STDIN, STDIN_ARG } from './validate-inputs.js'

// Bundled into the CLI at build time, so it is the version of the code that runs.
const { version } = packageJson

// With --json a run prints exactly one JSON document, also when yargs rejects the command line
// before any handler runs (an unknown flag, a missing command).
function wantsJson(argv: readonly string[]): boolean {
  let json = false
  for (const arg of argv) {
    if (arg === '--') break
    if (arg === '--json' || arg === '--json=true') json = true
    else if (arg === '--no-json' || arg === '--json=false') json = false
  }
  return json
}

/**
 * Runs the CLI with `argv` (without `node` and the script) and resolves to the exit code.
 * Never exits the process: `bin.ts` does.
 *
 * @example
 * process.exitCode = await main(['fetch', '--json'])
 */
export async function main(
  argv: readonly string[],
  ctx: CliContext = processContext(),
): Promise<number> {
  // Every command, registered explicitly (no commandDir).
  const commands = [
    fetchCommand(ctx),
    generateCommand(ctx),
    checkCommand(ctx),
    validateCommand(ctx),
    connectionCommand(ctx),
    proxyUrlCommand(ctx),
  ]
  // A lone `-` (stdin, for validate) survives yargs only as STDIN_ARG; after `--` args are kept.
  const end = argv.indexOf('--')
  const args = argv.map((a, i) => (a === STDIN && (end === -1 || i < end) ? STDIN_ARG : a))
  const cli = yargs(args)
    .scriptName('k8s-codegen')
    .usage(
      "$0 <command> [options]\n\nGenerate typed Kubernetes bindings from your cluster's own OpenAPI documents.",
    )
    .version(version)
    .help()
    .alias('h', 'help')
    .strict()
    .demandCommand(
      1,
      'give a command: fetch, generate, check, validate, connection or proxy-url (see --help)',
    )
    .recommendCommands()
    // Flags are kebab-case only: no camelCase twin is parsed, and none shows up in an error.
    .parserConfiguration({ 'camel-case-expansion': false })
    .wrap(Math.min(110, process.stdout.columns || 100))
    .exitProcess(false)
    .epilog(exitCodeHelp)
    .fail((message, error) => {
      if (error !== undefined && error !== null) throw error
      // The options of the command being parsed (yargs' getOptions, missing from its typings).
      const known = Object.keys(
        (cli as unknown as { getOptions(): { key: Record<string, unknown> } }).getOptions().key,
      )
      throw new CliError('K8S_CODEGEN_CLI_USAGE', withSuggestions(message, known))
    })
  // A command line that starts with a command's name runs that command: only it is registered, so
  // yargs builds nothing for the others. Anything else (--help, --version, a typo, flags first)
  // registers them all, for the command list and the suggestions.
  const named = commands.filter((c) => String(c.command).split(' ')[0] === argv[0])
  // Each module is typed against its own arguments; yargs' overloads cannot take their union.
  for (const command of named.length === 1 ? named : commands) cli.command(command as never)
  // yargs renders the help of the command it runs as the handler starts (command.js runCommand →
  // usage.cacheHelpMessage), for a showHelp() after the command; none comes here (a failure is
  // thrown to the one reporter, --help is rendered before any handler runs), so that rendering
  // of every option, most of yargs' cost on a warm fetch, is skipped (yargs' internal methods
  // are not in its typings; the bundled version is the one built against).
  const internal = cli as unknown as {
    getInternalMethods(): { getUsageInstance(): { cacheHelpMessage(): void } }
  }
  internal.getInternalMethods().getUsageInstance().cacheHelpMessage = () => undefined
  let output = ''
  try {
    await cli.parseAsync(args, {}, (_error, _argv, text) => {
      output = text
    })
  } catch (error) {
    // yargs' own validation errors (YError) and a builder's .check() are usage errors too.
    const usage =
      (error as { name?: string }).name === 'YError' ||
      (error instanceof Error && !('code' in error))
        ? new CliError(
            'K8S_CODEGEN_CLI_USAGE',
            `${(error as Error).message}; run 'k8s-codegen --help' for usage`,
            { cause: error },
          )
        : error
    reportFailure(ctx, undefined, wantsJson(argv), usage)
    return ctx.exitCode
  }
  if (output) ctx.stdout(`${output}\n`)
  return ctx.exitCode
}
