// Before a run downloads or generates anything, every place it will write is tried: a run that
// would fail at its last step (or, for a path under /proc, spin forever in Node's recursive
// mkdir, which retries ENOENT on a parent that exists) fails at once, naming the flag.
import { access, constants, mkdir, rmdir, stat } from 'node:fs/promises'
import { dirname } from 'node:path'

import { CliError } from './errors.js'

/**
 * A place a run writes: a directory (`--out`, the cache) or a file (the lockfile).
 *
 * @example
 * const target: WriteTarget = { kind: 'directory', path: '/repo/generated', what: '--out' }
 */
export interface WriteTarget {
  kind: 'directory' | 'file'
  path: string
  /** Names the target in messages: '--out', 'the lockfile', 'the spec cache'. */
  what: string
}

function notWritable(target: WriteTarget, reason: string, cause?: unknown): CliError {
  return new CliError(
    'K8S_CODEGEN_CLI_NOT_WRITABLE',
    `${target.what} ${target.path} cannot be written: ${reason}; nothing was fetched or written`,
    cause === undefined ? undefined : { cause },
  )
}

async function kindOf(path: string): Promise<'directory' | 'other' | undefined> {
  try {
    return (await stat(path)).isDirectory() ? 'directory' : 'other'
  } catch (error) {
    // ENOTDIR: an ancestor is a file, which the walk up then names.
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined
    throw error
  }
}

// The directory that must hold (or become) `path`: writable, or creatable from its nearest
// existing ancestor. A directory it creates to find out is removed again.
async function probeDirectory(target: WriteTarget, path: string): Promise<void> {
  let existing = path
  const missing: string[] = []
  for (;;) {
    const kind = await kindOf(existing)
    if (kind === 'directory') break
    if (kind === 'other') throw notWritable(target, `${existing} exists and is not a directory`)
    missing.unshift(existing)
    const parent = dirname(existing)
    if (parent === existing) throw notWritable(target, 'no ancestor directory exists')
    existing = parent
  }
  try {
    await access(existing, constants.W_OK)
  } catch (error) {
    throw notWritable(target, `${existing} is not writable`, error)
  }
  const first = missing[0]
  if (first === undefined) return
  try {
    await mkdir(first)
  } catch (error) {
    throw notWritable(
      target,
      `cannot create ${first} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      error,
    )
  }
  await rmdir(first)
}

/**
 * Fails with `K8S_CODEGEN_CLI_NOT_WRITABLE`, naming the target, when a run could not write one of
 * `targets`; leaves the file system as it was.
 *
 * @example
 * await assertWritable([{ kind: 'directory', path: plan.out, what: '--out' }])
 */
export async function assertWritable(targets: readonly WriteTarget[]): Promise<void> {
  for (const target of targets) {
    if (target.kind === 'directory') {
      await probeDirectory(target, target.path)
      continue
    }
    const kind = await kindOf(target.path)
    if (kind === 'directory') throw notWritable(target, 'it is a directory')
    if (kind === undefined) {
      await probeDirectory(target, dirname(target.path))
      continue
    }
    try {
      await access(target.path, constants.W_OK)
    } catch (error) {
      throw notWritable(target, 'the file is not writable', error)
    }
  }
}
