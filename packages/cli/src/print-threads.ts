// How many threads print a generation (print-pool.ts), decided without loading the pool: a run
// that generates nothing, or prints on one thread, never loads it.
import { existsSync } from 'node:fs'
import { availableParallelism, loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'

import { CliError } from './errors.js'

/**
 * The print pool's worker entry point beside the built CLI's chunks (dist/generation-worker.js);
 * absent when the CLI runs from its TypeScript sources (tests), which then print on one thread.
 *
 * @example
 * new Worker(WORKER, { workerData })
 */
export const WORKER = fileURLToPath(new URL('../generation-worker.js', import.meta.url))

// Two threads at most: each worker holds its own plan and the documents being printed
// (RSS grows with each: +65-90 MB at 1,000 CRDs).
const MAX_THREADS = 2
// A worker pays only beside cores left for V8's parallel GC helpers and libuv's I/O threads: on
// two cores, with the second one idle, a cold generate of 1,000 CRDs took 17.0-18.7 s on two
// threads against 17.5 s on one (the run's own thread 13 s of CPU instead of 16, the helpers
// then waiting for a core), and 30 % more CPU.
const MIN_CORES = 4
// Fewer modules than this to print are done before a worker would have planned them.
const MIN_GROUP_VERSIONS = 16

/**
 * How many threads print a generation of `groupVersions` group-versions (undefined: not known
 * yet, as before a first `--crds` run), of which the last record holds `recorded` modules that
 * may not need printing: `K8S_CODEGEN_THREADS` when set (1 to 999; anything else is a usage
 * error), else one when the CLI runs from its sources, few group-versions or most modules were
 * recorded (a generation after an edit prints few), fewer than four cores or fewer than two of them idle (the load average
 * over the last minute; at load 8 on two cores a worker added 29 % CPU, planning a second time,
 * and no shorter wall), else two.
 *
 * @example
 * printThreads(433, 0) // 2 on a machine of four cores or more, two of them idle
 */
export function printThreads(groupVersions: number | undefined, recorded: number): number {
  const given = process.env.K8S_CODEGEN_THREADS
  if (given !== undefined && given !== '') {
    // A typo is refused, not read as "decide for me".
    if (!/^[1-9][0-9]{0,2}$/.test(given))
      throw new CliError(
        'K8S_CODEGEN_CLI_USAGE',
        `K8S_CODEGEN_THREADS must be a whole number of threads from 1 to 999, not ${JSON.stringify(given)}`,
      )
    return existsSync(WORKER) ? Number(given) : 1
  }
  const expected = groupVersions ?? Number.POSITIVE_INFINITY
  if (!existsSync(WORKER) || expected < MIN_GROUP_VERSIONS || recorded * 2 >= expected) return 1
  const cores = availableParallelism()
  const [load = 0] = loadavg()
  if (cores < MIN_CORES || load > cores - MIN_CORES / 2) return 1
  return Math.min(cores, MAX_THREADS)
}
