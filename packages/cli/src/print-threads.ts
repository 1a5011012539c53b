// How many threads print a generation (print-pool.ts), decided without loading the pool: a run
// that generates nothing, or prints on one thread, never loads it.
import { existsSync } from 'node:fs'
import { availableParallelism, loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'

/**
 * The print pool's worker entry point beside the built CLI's chunks (dist/generation-worker.js);
 * absent when the CLI runs from its TypeScript sources (tests), which then print on one thread.
 *
 * @example
 * new Worker(WORKER, { workerData })
 */
export const WORKER = fileURLToPath(new URL('../generation-worker.js', import.meta.url))

// Two threads at most: each worker holds its own plan, compiler and documents being printed
// (RSS grows with each), and a machine of two cores is the common CI runner.
const MAX_THREADS = 2
// Fewer modules than this to print are done before a worker would have planned them.
const MIN_GROUP_VERSIONS = 16

/**
 * How many threads print a generation of `groupVersions` group-versions (undefined: not known
 * yet, as before a first `--crds` run), of which the last record holds `recorded` modules that
 * may not need printing: `K8S_CODEGEN_THREADS` when set (a positive integer), else one when the
 * CLI runs from its sources, there is one core, few group-versions or most modules were recorded
 * (a generation after an edit prints few), or when the machine has no idle core (its load average
 * over the last minute is above the cores but half a one: a worker would wait for a core and only
 * add the work of planning a second time, measured +29 % CPU and no shorter wall at load 8 on two
 * cores), else the available parallelism up to two.
 *
 * @example
 * printThreads(433, 0) // 2 on a machine of two cores or more
 */
export function printThreads(groupVersions: number | undefined, recorded: number): number {
  const given = process.env.K8S_CODEGEN_THREADS
  if (given !== undefined && /^[1-9][0-9]*$/.test(given))
    return existsSync(WORKER) ? Number(given) : 1
  const expected = groupVersions ?? Number.POSITIVE_INFINITY
  if (!existsSync(WORKER) || expected < MIN_GROUP_VERSIONS || recorded * 2 >= expected) return 1
  const cores = availableParallelism()
  const [load = 0] = loadavg()
  if (load > cores - 0.5) return 1
  return Math.max(1, Math.min(cores, MAX_THREADS))
}
