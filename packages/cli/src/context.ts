/**
 * What a command may touch besides its arguments: the streams, the environment and the working
 * directory. `main()` builds it from the process; tests pass their own.
 *
 * @example
 * const ctx = processContext()
 * ctx.stdout('hello\n')
 */
export interface CliContext {
  stdout(text: string): void
  stderr(text: string): void
  /** stderr is an interactive terminal (live progress allowed) */
  stderrIsTTY: boolean
  env: Record<string, string | undefined>
  cwd: string
  /** What `validate -` reads; absent, stdin is empty. */
  stdin?: AsyncIterable<Uint8Array> | undefined
  /** set by a command's handler; `main()` returns it */
  exitCode: number
}

/**
 * The context of the running process.
 *
 * @example
 * await main(process.argv.slice(2), processContext())
 */
export function processContext(): CliContext {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    stderrIsTTY: process.stderr.isTTY,
    env: process.env,
    cwd: process.cwd(),
    stdin: process.stdin,
    exitCode: 0,
  }
}
