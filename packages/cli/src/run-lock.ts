// Inter-process locks on what a run writes: the lockfile, the spec cache and `--out`. Two runs at
// once used to delete each other's temp directories and the user's files; now the second one
// waits for the first, then fails with a message naming the holder's lock if it never ends.
// proper-lockfile: an mkdir(2)-based lock (atomic on local and network file systems) whose
// holder refreshes its mtime, so the lock of a process killed with SIGKILL goes stale and is
// taken over after `stale` ms; a live holder's lock never is.
// The directories a run creates to hold its locks (`--out`, the cache, the lockfile's directory)
// are removed again when the run fails and they are still empty: a failed run leaves no new
// directory behind. One that holds anything (another run's lock, a file) stays.
import { rmSync, rmdirSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { dirname, join, relative, resolve, sep } from 'node:path'

import { CliError } from './errors.js'
import { onInterrupt } from './interrupt.js'

/**
 * Something a run locks: a directory (`--out`, the cache; the lock lives inside it) or a file
 * (the lockfile; the lock is beside it).
 *
 * @example
 * const target: LockTarget = { kind: 'directory', path: '/repo/generated', what: '--out' }
 */
export interface LockTarget {
  kind: 'directory' | 'file'
  path: string
  /** Names the target in messages: '--out', 'the spec cache', 'the lockfile'. */
  what: string
}

/** Name of the lock directory inside a locked directory. */
export const LOCK_NAME = '.k8s-codegen.lock'

/** How long a run waits for another one, and when a killed holder's lock counts as stale. */
export interface LockTiming {
  /** Total wait for a lock another run holds, in ms (default 30 s). */
  waitMs: number
  /** A lock whose holder stopped refreshing it this long ago was left by a dead run (10 s). */
  staleMs: number
}

const defaultTiming: LockTiming = { waitMs: 30_000, staleMs: 10_000 }

function lockPath(target: LockTarget): string {
  const abs = resolve(target.path)
  return target.kind === 'directory' ? join(abs, LOCK_NAME) : `${abs}.k8s-codegen.lock`
}

// `dir` and the missing ancestors `mkdir` created (`first` down to `dir`), deepest first.
function createdChain(dir: string, first: string): string[] {
  const chain = [first]
  for (const part of relative(first, dir)
    .split(sep)
    .filter((p) => p !== ''))
    chain.unshift(join(chain[0] ?? first, part))
  return chain
}

// Removes what `createdChain` lists while each is empty; stops at the first that is not (or is
// gone): an ancestor of a kept directory is kept.
function removeIfEmpty(chain: readonly string[]): void {
  for (const dir of chain) {
    try {
      rmdirSync(dir)
    } catch {
      return
    }
  }
}

/**
 * Runs `work` holding a lock on every target, taken in the order given (callers keep one order:
 * lockfile, cache, `--out`, so two runs never deadlock) and released afterwards, even when
 * `work` throws. A target another run holds longer than `timing.waitMs` is
 * `K8S_CODEGEN_CLI_LOCKED`, naming it. A target in `held` (what an enclosing
 * {@link withRunLocks} of the same run holds) is not taken again.
 *
 * @example
 * await withLocks([{ kind: 'directory', path: out, what: '--out' }], () => writeOutput(out, files, key))
 */
export function withLocks<T>(
  targets: readonly LockTarget[],
  work: () => Promise<T>,
  timing: LockTiming = defaultTiming,
  held: HeldLocks = new Set(),
): Promise<T> {
  return locked(targets, () => work(), timing, held)
}

/**
 * The locks a run already holds (their lock paths), handed by {@link withRunLocks} to its work and
 * passed on to each {@link withLocks} of that run. Explicit, not an AsyncLocalStorage: that turns
 * on promise hooks for the whole process (~10 ms of a warm fetch on Node 20), and two runs in one
 * process (tests) must still wait for each other.
 */
export type HeldLocks = ReadonlySet<string>

/**
 * {@link withLocks} for a whole run whose steps lock the same targets again: `work` gets the locks
 * held, and a `withLocks` given them takes only the others (as `fetch` holds the lockfile from
 * its download to the end of its generation, so a failing generation can put back what it
 * fetched).
 *
 * @example
 * await withRunLocks([{ kind: 'file', path: lockfile, what: 'the lockfile' }], (held) => fetchThenGenerate(held))
 */
export function withRunLocks<T>(
  targets: readonly LockTarget[],
  work: (held: HeldLocks) => Promise<T>,
  timing: LockTiming = defaultTiming,
): Promise<T> {
  return locked(targets, work, timing, new Set())
}

async function locked<T>(
  targets: readonly LockTarget[],
  work: (held: HeldLocks) => Promise<T>,
  timing: LockTiming,
  outer: HeldLocks,
): Promise<T> {
  // A CommonJS module: its exports are the default export, as Node and the bundle both load it.
  const { lock } = (await import('proper-lockfile')).default
  const releases: (() => Promise<void>)[] = []
  const created: string[][] = []
  const taken: string[] = []
  // A run ended by SIGINT/SIGTERM (interrupt.ts) leaves what a failed run leaves: its locks gone
  // (removed here, before proper-lockfile's own exit handler would) and the directories it
  // created for them removed while empty.
  const settled = onInterrupt(() => {
    for (const path of taken) rmSync(path, { recursive: true, force: true })
    for (const chain of [...created].reverse()) removeIfEmpty(chain)
    return ''
  })
  const held = new Set(outer)
  let compromised: Error | undefined
  let done = false
  try {
    for (const target of targets) {
      const path = lockPath(target)
      if (held.has(path)) continue
      const options = {
        lockfilePath: path,
        realpath: false,
        stale: timing.staleMs,
        update: Math.max(1000, Math.floor(timing.staleMs / 4)),
        retries: {
          retries: Math.max(1, Math.ceil(timing.waitMs / 250)),
          factor: 1,
          minTimeout: 250,
          maxTimeout: 250,
        },
        onCompromised: (error: Error) => {
          compromised = error
        },
      }
      // A run that failed removed the empty directories it created while this one waited: create
      // them again (a removal between two levels of the recursive mkdir is an ENOENT too).
      const acquire = async (attempt: number): Promise<() => Promise<void>> => {
        try {
          const first = await mkdir(dirname(path), { recursive: true })
          if (first !== undefined) created.push(createdChain(dirname(path), first))
          return await lock(target.path, options)
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= 3) throw error
          return acquire(attempt + 1)
        }
      }
      try {
        releases.push(await acquire(1))
        taken.push(path)
        held.add(path)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ELOCKED') {
          throw new CliError(
            'K8S_CODEGEN_CLI_LOCKED',
            `another k8s-codegen run is using ${target.what} (${target.path}); waited ${Math.round(timing.waitMs / 1000)} s. Let it finish and run again (its lock ${path} is taken over automatically ${Math.round(timing.staleMs / 1000)} s after that run dies)`,
            { cause: error },
          )
        }
        throw new CliError(
          'K8S_CODEGEN_CLI_LOCK_FAILED',
          `cannot lock ${target.what} (${target.path}): ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
          { cause: error },
        )
      }
    }
    const result = await work(held)
    if (compromised !== undefined) {
      throw new CliError(
        'K8S_CODEGEN_CLI_LOCKED',
        `lost the lock on ${targets.map((t) => t.what).join(', ')} while running (${compromised.message}); run again`,
        { cause: compromised },
      )
    }
    done = true
    return result
  } finally {
    settled()
    for (const release of releases.reverse()) await release().catch(() => undefined)
    if (!done) for (const chain of created.reverse()) removeIfEmpty(chain)
  }
}
