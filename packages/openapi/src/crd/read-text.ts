// One CRD file's bytes, read as a stream under the per-file and total byte limits: a file that
// grows while it is read, a FIFO or `/dev/zero` stops at the limit instead of filling memory.
import { open } from 'node:fs/promises'
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
 * const bytes = await readCrdBytes('/repo/crds/a.yaml', 'crds/a.yaml', DEFAULT_CRD_READ_LIMITS, { remaining: 1 << 30 })
 */
export async function readCrdBytes(
  path: string,
  name: string,
  limits: CrdReadLimits,
  budget: ReadBudget,
): Promise<Buffer> {
  const cap = Math.min(limits.fileBytes, budget.remaining)
  const chunks: Buffer[] = []
  let total = 0
  const handle = await open(path, 'r')
  try {
    for (;;) {
      // One byte past the cap is enough to know the file is over it.
      const want = Math.min(CHUNK, cap + 1 - total)
      const buffer = Buffer.allocUnsafe(want)
      const { bytesRead } = await handle.read(buffer, 0, want, null)
      if (bytesRead === 0) break
      chunks.push(bytesRead === want ? buffer : buffer.subarray(0, bytesRead))
      total += bytesRead
      if (total > cap) {
        throw overLimit(name, total > limits.fileBytes ? 'fileBytes' : 'totalBytes', limits)
      }
    }
  } finally {
    await handle.close()
  }
  budget.remaining -= total
  return Buffer.concat(chunks, total)
}

/**
 * {@link readCrdBytes} as UTF-8 text; bytes that are not UTF-8 are
 * `K8S_CODEGEN_OPENAPI_CRD_INVALID`.
 *
 * @example
 * const text = decodeCrdText(await readCrdBytes(path, name, limits, budget), name)
 */
export function decodeCrdText(bytes: Uint8Array, name: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw new OpenApiError('K8S_CODEGEN_OPENAPI_CRD_INVALID', `${name}: not UTF-8 text`)
  }
}
