// A generation's modules printed on more than one thread. Every thread plans the whole output
// (planning is deterministic: the same documents give the same modules in the same order, each
// module the same key), and module i is printed by thread i mod n: thread 0 is the generation
// itself, which writes every file, the others are workers (generation-worker.ts) that read the
// documents from the cache themselves and send back each file they print as text. Workers start
// with the run: each plans the documents `--crds` converts as they are stored, while the run
// converts the rest. Only strings cross threads: paths, hashes, the lockfile's and small lists'
// JSON one way, file texts the other; parsed documents never do (cloning them costs more than
// parsing them again). The generation
// takes a worker's files in module order, exactly where it would have printed them, so the
// output, its messages and its errors are those of one thread. A worker that fails, starts over
// (a document it could not print, codegen `discard`) or ends without a module leaves that module
// to the generation, which prints it itself.
import { Worker } from 'node:worker_threads'

import type { GenerateOptions } from '@k8s-codegen/codegen'

import { WORKER } from './print-threads.js'

/** What a worker is started with: its share, and the limits its plans are made under. */
export interface PrintSetup {
  cacheDir: string
  limits: GenerateOptions['limits']
  /** This worker prints module i when i mod `of` is `share`. */
  share: number
  of: number
}

/**
 * A group-version the run stored in the cache: the worker reads its document by hash and plans
 * it (codegen `DocumentPlans`) while the run converts the next.
 */
export interface StoredMessage {
  stored: {
    key: string
    group: string
    version: string
    hash: string
    bytes: number
    /** The discovery list and CRD facts, as JSON. */
    discovery: string
    crdFacts: string
  }
}

/** What a worker is asked to print: its share of the modules of one generation. */
export interface PrintJob {
  job: {
    /** Absolute lockfile path, and the lockfile to generate from as JSON (what the run holds). */
    lockfile: string
    lock: string
    cacheDir: string
    specsDir: string | undefined
    /** Keys of the group-versions generated. */
    selected: string[]
    options: GenerateOptions
  }
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
  progress: { attempt: number; reached: number }
}

/** How many modules a worker prints beyond the one the generation reached. */
export const AHEAD = 8

// A worker's heap: it holds one or two documents and the module being printed at a time, and
// without bounds V8 lets garbage grow (~170 MB of heap at 1,000 CRDs instead of ~60). One that
// runs out ends, and the generation prints what it did not send.
const WORKER_HEAP = { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 16 }
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
 * const pool = PrintPool.start({ cacheDir, limits }, 2)
 * pool.stored(gv) // as each converted group-version is stored
 * pool.print(job)
 * const texts = await pool.take(1, 0, ['apps/v1.ts']) // undefined: print it yourself
 * await pool.close()
 */
export class PrintPool {
  readonly #workers: Worker[] = []
  readonly #files = new Map<string, string>()
  readonly #waiters: Waiter[] = []
  readonly #done = new Set<number>()
  readonly #threads: number

  private constructor(setup: Omit<PrintSetup, 'share' | 'of'>, threads: number) {
    this.#threads = threads
    for (let share = 1; share < threads; share++) {
      const data: PrintSetup = { ...setup, share, of: threads }
      const worker = new Worker(WORKER, {
        workerData: data,
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

  /** Starts `threads - 1` workers, which plan under `setup.limits` and wait for a job. */
  static start(setup: Omit<PrintSetup, 'share' | 'of'>, threads: number): PrintPool {
    return new PrintPool(setup, threads)
  }

  /** The number of threads, the run's own included. */
  get threads(): number {
    return this.#threads
  }

  /** `gv` was stored in the cache: the workers plan it now. */
  stored(gv: StoredMessage['stored']): void {
    const message: StoredMessage = { stored: gv }
    for (const worker of this.#workers) worker.postMessage(message)
  }

  /** The generation to print (after every {@link stored}). */
  print(job: PrintJob['job']): void {
    const message: PrintJob = { job }
    for (const worker of this.#workers) worker.postMessage(message)
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
    const progress: PoolProgress = { progress: { attempt, reached: index } }
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
