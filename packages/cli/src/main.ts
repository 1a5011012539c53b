import { readFileSync } from 'node:fs'
import yargs from 'yargs'
import { checkCommand } from './commands/check.js'
import { connectionCommand } from './commands/connection.js'
import { fetchCommand } from './commands/fetch.js'
import { generateCommand } from './commands/generate.js'
import { proxyUrlCommand } from './commands/proxy-url.js'
import { processContext, type CliContext } from './context.js'
import { ExitCode, exitCodeFor, exitCodeHelp } from './exit-codes.js'

const version = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string
  }
).version

class UsageError extends Error {
  readonly code = 'K8S_CODEGEN_CLI_USAGE'
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
    connectionCommand(ctx),
    proxyUrlCommand(ctx),
  ]
  const cli = yargs([...argv])
    .scriptName('k8s-codegen')
    .usage(
      "$0 <command> [options]\n\nGenerate typed Kubernetes bindings from your cluster's own OpenAPI documents.",
    )
    .version(version)
    .help()
    .alias('h', 'help')
    .strict()
    .demandCommand(1, 'give a command: fetch, connection or proxy-url (see --help)')
    .recommendCommands()
    // yargs renders the help of the command it runs on every run, shown or not (command.js
    // handleValidationAndGetResult → cacheHelpMessage); wrapping it to the terminal width is most
    // of that cost (string-width per word), so only a run that shows help wraps it.
    .wrap(
      argv.some((a) => a === '--help' || a === '-h')
        ? Math.min(110, process.stdout.columns || 100)
        : null,
    )
    .exitProcess(false)
    .epilog(exitCodeHelp)
    .fail((message, error) => {
      throw error ?? new UsageError(message)
    })
  // Each module is typed against its own arguments; yargs' overloads cannot take their union.
  for (const command of commands) cli.command(command as never)
  let output = ''
  try {
    await cli.parseAsync([...argv], {}, (_error, _argv, text) => {
      output = text
    })
  } catch (error) {
    if (error instanceof UsageError || (error as { name?: string }).name === 'YError') {
      ctx.stderr(`k8s-codegen: ${(error as Error).message}\nRun 'k8s-codegen --help' for usage.\n`)
      return ExitCode.usage
    }
    const { code, message } = error as { code?: string; message?: string }
    ctx.stderr(`k8s-codegen: error: ${message ?? String(error)}${code ? ` [${code}]` : ''}\n`)
    return exitCodeFor(error)
  }
  if (output) ctx.stdout(`${output}\n`)
  return ctx.exitCode
}
