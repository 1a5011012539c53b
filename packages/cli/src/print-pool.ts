// A generation's modules printed on more than one thread. Every thread plans the whole output
// (planning is deterministic: the same documents give the same modules in the same order, each
// module the same key), and module i is printed by thread i mod n: thread 0 is the generation
// itself, which writes every file, the others are workers (generation-worker.ts) that read the
// documents from the cache themselves and send back each file they print as text. Only strings
// cross threads: the job (paths, the lockfile's JSON, options) one way, file texts the other;
// parsed documents never do (cloning them costs more than parsing them again). The generation
// takes a worker's files in module order, exactly where it would have printed them, so the
// output, its messages and its errors are those of one thread. A worker that fails, starts over
// (a document it could not print, codegen `discard`) or ends without a module leaves that module
// to the generation, which prints it itself.
import { existsSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'

import type { GenerateOptions } from '@k8s-codegen/codegen'

/** What a worker is asked to print: its share of the modules of one generation. */
export interface PrintJob {
  /** Absolute lockfile path, and the lockfile to generate from as JSON (what the run holds). */
  lockfile: string
  lock: string
  cacheDir: string
  specsDir: string | undefined
  /** Keys of the group-versions generated. */
  selected: string[]
  options: GenerateOptions
  /** This worker prints module i when i mod `of` is `share`. */
  share: number
  of: number
}

/** A file a worker printed, in the attempt of its generation that printed it (0, then 1 after a discard). */
export interface PrintedFile {
  attempt: number
  path: string
  content: string
}

/** What a worker sends: a file, or that it is done (whether or not it printed its whole share). */
export type WorkerMessage = PrintedFile | { done: true }

/**
 * What the generation tells its workers: it reached module `reached` of `attempt`. A worker
 * prints at most {@link AHEAD} modules beyond it, so the files it sent and the generation has
 * not taken yet stay few.
 */
export interface PoolProgress {
  attempt: number
  reached: number
}

/** How many modules a worker prints beyond the one the generation reached. */
export const AHEAD = 8

// The worker's entry point beside the built CLI's chunks (dist/generation-worker.js); absent
// when the CLI runs from its TypeScript sources (tests), which then print on one thread.
const WORKER = fileURLToPath(new URL('../generation-worker.js', import.meta.url))

// Two threads at most: each worker holds its own plan, compiler and documents being printed
// (RSS grows with each), and a machine of two cores is the common CI runner.
const MAX_THREADS = 2
// A worker's heap: it holds one or two documents and the module being printed at a time, and
// without bounds V8 lets garbage grow (~170 MB of heap at 1,000 CRDs instead of ~60). One that
// runs out ends, and the generation prints what it did not send.
const WORKER_HEAP = { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 16 }
// Fewer modules than this to print are done before a worker would have planned them.
const MIN_GROUP_VERSIONS = 16

/**
 * How many threads print a generation of `groupVersions` group-versions, of which the last
 * record holds `recorded` modules that may not need printing: `K8S_CODEGEN_THREADS` when set (a
 * positive integer), else one when the CLI runs from its sources, there is one core, few
 * group-versions or most modules were recorded (a generation after an edit prints few), else the
 * available parallelism up to two.
 *
 * @example
 * printThreads(433, 0) // 2 on a machine of two cores or more
 */
export function printThreads(groupVersions: number, recorded: number): number {
  const given = process.env.K8S_CODEGEN_THREADS
  if (given !== undefined && /^[1-9][0-9]*$/.test(given))
    return existsSync(WORKER) ? Number(given) : 1
  if (!existsSync(WORKER) || groupVersions < MIN_GROUP_VERSIONS || recorded * 2 >= groupVersions)
    return 1
  return Math.max(1, Math.min(availableParallelism(), MAX_THREADS))
}

interface Waiter {
  share: number
  attempt: number
  path: string
  resolve: (content: string | undefined) => void
}

/**
 * Workers printing their share of one generation's modules, and the files they sent until the
 * generation takes them.
 *
 * @example
 * const pool = PrintPool.start(job, 2)
 * const texts = await pool.take(1, 0, ['apps/v1.ts']) // undefined: print it yourself
 * await pool.close()
 */
export class PrintPool {
  readonly #workers: Worker[] = []
  readonly #files = new Map<string, string>()
  readonly #waiters: Waiter[] = []
  readonly #done = new Set<number>()
  readonly #threads: number

  private constructor(job: Omit<PrintJob, 'share' | 'of'>, threads: number) {
    this.#threads = threads
    for (let share = 1; share < threads; share++) {
      const worker = new Worker(WORKER, {
        workerData: { ...job, share, of: threads },
        resourceLimits: WORKER_HEAP,
      })
      const finish = (): void => {
        this.#done.add(share)
        this.#settle()
      }
      worker.on('message', (message: WorkerMessage) => {
        if ('done' in message) finish()
        else {
          this.#files.set(`${message.attempt}\0${message.path}`, message.content)
          this.#settle()
        }
      })
      worker.on('error', finish)
      worker.on('exit', finish)
      this.#workers.push(worker)
    }
  }

  /** Starts `threads - 1` workers on `job`. */
  static start(job: Omit<PrintJob, 'share' | 'of'>, threads: number): PrintPool {
    return new PrintPool(job, threads)
  }

  /**
   * The files of module `index` (its `paths`) as a worker printed them in `attempt`, taken out
   * of the pool; undefined when the module is the generation's own to print, or its worker ended
   * without them. Asked for every module in order, which lets the workers print further.
   */
  async take(
    index: number,
    attempt: number,
    paths: readonly string[],
  ): Promise<[string, string][] | undefined> {
    const progress: PoolProgress = { attempt, reached: index }
    for (const worker of this.#workers) worker.postMessage(progress)
    const share = index % this.#threads
    if (share === 0) return undefined
    const texts: [string, string][] = []
    for (const path of paths) {
      const content = await this.#file(share, attempt, path)
      if (content === undefined) return undefined
      texts.push([path, content])
    }
    return texts
  }

  /** Stops every worker. */
  async close(): Promise<void> {
    await Promise.all(this.#workers.map((worker) => worker.terminate()))
    this.#files.clear()
  }

  #file(share: number, attempt: number, path: string): Promise<string | undefined> {
    return new Promise((resolve) => {
      this.#waiters.push({ share, attempt, path, resolve })
      this.#settle()
    })
  }

  // Answers every waiter whose file arrived, or whose worker is done.
  #settle(): void {
    for (let i = this.#waiters.length - 1; i >= 0; i--) {
      const waiter = this.#waiters[i] as Waiter
      const id = `${waiter.attempt}\0${waiter.path}`
      const content = this.#files.get(id)
      if (content !== undefined) this.#files.delete(id)
      else if (!this.#done.has(waiter.share)) continue
      this.#waiters.splice(i, 1)
      waiter.resolve(content)
    }
  }
}
