// One CRD file's bytes, read as a stream under the per-file and total byte limits: a file that
// grows while it is read, a FIFO or `/dev/zero` stops at the limit instead of filling memory.
// Read synchronously: a run reads nothing else meanwhile, and each asynchronous open, read and
// close is a thread-pool round trip (thousands of them for a no-op over 1,000 CRD files, most of
// its wall time on a busy machine).
import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import { OpenApiError } from '../errors.js'
import { overLimit, type CrdReadLimits } from './read-limits.js'

const CHUNK = 1024 * 1024

/**
 * What is left of the run's total byte limit; each file read takes its bytes from it.
 *
 * @example
 * const budget: ReadBudget = { remaining: limits.totalBytes }
 */
export interface ReadBudget {
  remaining: number
}

/**
 * Reads the bytes of `path` (named `name` in messages), at most `limits.fileBytes` and what is
 * left of `budget`; over either, `K8S_CODEGEN_OPENAPI_CRD_TOO_LARGE` before more is read.
 *
 * @example
 * const bytes = readCrdBytes('/repo/crds/a.yaml', 'crds/a.yaml', DEFAULT_CRD_READ_LIMITS, { remaining: 1 << 30 })
 */
export function readCrdBytes(
  path: string,
  name: string,
  limits: CrdReadLimits,
  budget: ReadBudget,
): Buffer {
  const cap = Math.min(limits.fileBytes, budget.remaining)
  const chunks: Buffer[] = []
  let total = 0
  const fd = openSync(path, 'r')
  try {
    // A regular file is read in one buffer of its size (and one byte more, to see that it did
    // not grow): thousands of files read in 1 MiB chunks left as many 1 MiB buffers to collect.
    const stat = fstatSync(fd)
    const size = stat.isFile() ? stat.size : 0
    for (;;) {
      // One byte past the cap is enough to know the file is over it.
      const want = Math.min(total < size ? size - total + 1 : CHUNK, cap + 1 - total)
      const buffer = Buffer.allocUnsafe(want)
      const bytesRead = readSync(fd, buffer, 0, want, null)
      if (bytesRead === 0) break
      chunks.push(bytesRead === want ? buffer : buffer.subarray(0, bytesRead))
      total += bytesRead
      if (total > cap) {
        throw overLimit(name, total > limits.fileBytes ? 'fileBytes' : 'totalBytes', limits)
      }
      // A short read of a regular file is its end.
      if (stat.isFile() && bytesRead < want) break
    }
  } finally {
    closeSync(fd)
  }
  budget.remaining -= total
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total)
}

/**
 * {@link readCrdBytes} as UTF-8 text; bytes that are not UTF-8 are
 * `K8S_CODEGEN_OPENAPI_CRD_INVALID`.
 *
 * @example
 * const text = decodeCrdText(readCrdBytes(path, name, limits, budget), name)
 */
export function decodeCrdText(bytes: Uint8Array, name: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw new OpenApiError('K8S_CODEGEN_OPENAPI_CRD_INVALID', `${name}: not UTF-8 text`)
  }
}
