import { randomBytes } from 'node:crypto'
import { closeSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs'
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

export async function writeFileAtomic(
  path: string,
  bytes: Uint8Array | string,
  mode = 0o600,
): Promise<void> {
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
  return Promise.resolve()
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
