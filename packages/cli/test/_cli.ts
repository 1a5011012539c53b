import { spawn, type ChildProcess } from 'node:child_process'
import { tmpdir } from 'node:os'
import { fileURLToPath } from 'node:url'

/** The built bin the tests drive (turbo builds it before `test`). */
export const binPath = fileURLToPath(new URL('../dist/bin.js', import.meta.url))

export interface CliRun {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/**
 * Spawns `node dist/bin.js …args` asynchronously (the emulator runs in this process, so a
 * synchronous spawn would starve it) and kills it after `timeoutMs`.
 */
export function runCli(
  args: string[],
  options: {
    env?: Record<string, string>
    timeoutMs?: number
    /** working directory; tests pass their temp dir so nothing lands in the repository */
    cwd?: string
    onSpawn?: (child: ChildProcess) => void
    /** Node options before the bin (`--import …`). */
    nodeArgs?: string[]
  } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), binPath, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: options.cwd ?? tmpdir(),
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
    options.onSpawn?.(child)
  })
}

/** Parses the single JSON document `--json` prints on stdout. */
export function summaryOf(run: CliRun): Record<string, unknown> & {
  exitCode: number
  fetched: number
  reused: number
  requests: number
  unavailable: string[]
  error: { code: string; message: string } | null
} {
  const lines = run.stdout.trim().split('\n')
  if (lines.length !== 1)
    throw new Error(
      `expected exactly one JSON line on stdout, got:\n${run.stdout}\nstderr:\n${run.stderr}`,
    )
  return JSON.parse(lines[0] ?? '') as ReturnType<typeof summaryOf>
}

/**
 * Runs `main()` in this process with its own streams, working directory and environment
 * (`cacheDir` as K8S_CODEGEN_CACHE_DIR): faster than a spawned bin, for tests that run many
 * commands.
 */
export async function runMain(
  args: string[],
  options: {
    cwd: string
    cacheDir?: string
    env?: Record<string, string | undefined>
    /** What the command reads from stdin (`validate -`). */
    stdin?: AsyncIterable<Uint8Array> | undefined
  },
): Promise<{ code: number; stdout: string; stderr: string }> {
  const { main } = await import('../src/main.js')
  let stdout = ''
  let stderr = ''
  const code = await main(args, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    stderrIsTTY: false,
    env: {
      ...(options.cacheDir === undefined ? {} : { K8S_CODEGEN_CACHE_DIR: options.cacheDir }),
      ...options.env,
    },
    cwd: options.cwd,
    stdin: options.stdin,
    exitCode: 0,
  })
  return { code, stdout, stderr }
}
