import { randomBytes } from 'node:crypto'
import { closeSync, openSync, renameSync, rmdirSync, unlinkSync, writeSync } from 'node:fs'
import { readdir, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { OpenApiError } from './errors.js'

// Writes go to a temp file in the target's own directory, then rename(2) over the target: a
// reader (or a process killed at any instant) sees either the old file or the complete new one.
// Temp names carry the writer's pid so a later run can remove the leftovers of a killed one.
const tempPattern = /^\.(.+)\.(\d+)\.[0-9a-f]{8}\.tmp$/

function fsCode(error: unknown): string {
  return (error as NodeJS.ErrnoException | undefined)?.code ?? 'unknown error'
}

/** Wraps a file-system failure in an OpenApiError naming the path, the action and the errno. */
export function writeFailed(path: string, action: string, error: unknown): OpenApiError {
  return new OpenApiError(
    'K8S_CODEGEN_OPENAPI_WRITE_FAILED',
    `cannot ${action} ${path}: ${fsCode(error)} (${(error as Error).message ?? String(error)})`,
    { cause: error },
  )
}

// A promise for the callers that await it; the work itself is synchronous (see below), and a
// failure is a rejection, never a throw.
export function writeFileAtomic(
  path: string,
  bytes: Uint8Array | string,
  mode = 0o600,
): Promise<void> {
  return new Promise((resolve) => {
    writeFileAtomicSync(path, bytes, mode)
    resolve()
  })
}

/** {@link writeFileAtomic}, throwing: for a step that must not yield to the event loop. */
export function writeFileAtomicSync(path: string, bytes: Uint8Array | string, mode = 0o600): void {
  const temp = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  )
  // Synchronous calls: a few hundred kB into the page cache take microseconds, far less than the
  // thread-pool round trips of four promise-based calls per file.
  try {
    const data = typeof bytes === 'string' ? Buffer.from(bytes) : bytes
    // Cache entries are 0600 (owner only); umask can remove bits, never add them.
    const fd = openSync(temp, 'wx', mode)
    try {
      for (let offset = 0; offset < data.byteLength;) {
        offset += writeSync(fd, data, offset, data.byteLength - offset)
      }
    } finally {
      closeSync(fd)
    }
    renameSync(temp, path)
  } catch (error) {
    try {
      unlinkSync(temp)
    } catch {
      // the temp file was never created
    }
    throw writeFailed(path, 'write', error)
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return fsCode(error) === 'EPERM'
  }
}

/** Removes temp files left in `dir` by writers that no longer run (e.g. killed with SIGKILL). */
export async function removeStaleTempFiles(dir: string): Promise<void> {
  let names: string[]
  try {
    names = await readdir(dir)
  } catch {
    return
  }
  await Promise.all(
    names.map(async (name) => {
      const match = tempPattern.exec(name)
      if (match && !isAlive(Number(match[2]))) await unlink(join(dir, name)).catch(() => undefined)
    }),
  )
}

/**
 * Removes `dir` and its parents up to `first` (the outermost directory a recursive mkdir
 * created) while each is empty; nothing when `first` is undefined (nothing was created).
 */
export function removeEmptyDirectories(dir: string, first: string | undefined): void {
  if (first === undefined) return
  for (let at = dir; ; at = dirname(at)) {
    try {
      rmdirSync(at)
    } catch {
      return
    }
    if (at === first || dirname(at) === at) return
  }
}
