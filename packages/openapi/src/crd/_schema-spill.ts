// Where a conversion keeps the schemas of the CRDs it has read until it converts them: a file
// of their JSON, not the heap. Every file is read (and validated) before the first group-version
// is converted, since any file may add a CRD to any group-version; thousands of CRDs hold
// hundreds of MB of schemas, which in the heap also set the collector's limits for the rest of
// the run. The file is unlinked as soon as it is open where the system allows it (POSIX), so
// even a killed run leaves nothing behind; elsewhere `close()` removes it.
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { OpenApiError } from '../errors.js'
import type { JsonObject } from '../types.js'
import type { SchemaHolder } from './load.js'

/** A {@link SchemaHolder} writing each schema to a temporary file and reading it back. */
export class SchemaSpill implements SchemaHolder {
  readonly #dir: string
  readonly #fd: number
  #end = 0

  constructor() {
    try {
      this.#dir = mkdtempSync(join(tmpdir(), 'k8s-codegen-crds-'))
      this.#fd = openSync(join(this.#dir, 'schemas.json'), 'w+', 0o600)
    } catch (cause) {
      throw failed(cause)
    }
    try {
      rmSync(this.#dir, { recursive: true })
    } catch {
      // An open file cannot be removed here (Windows): close() removes it.
    }
  }

  hold(schema: JsonObject): () => JsonObject {
    const bytes = Buffer.from(JSON.stringify(schema))
    const at = this.#end
    try {
      for (let done = 0; done < bytes.length;)
        done += writeSync(this.#fd, bytes, done, bytes.length - done, at + done)
    } catch (cause) {
      throw failed(cause)
    }
    this.#end += bytes.length
    // The length only: the closure must not keep the bytes it wrote.
    const length = bytes.length
    return () => {
      const read = Buffer.allocUnsafe(length)
      for (let done = 0; done < read.length;) {
        const n = readSync(this.#fd, read, done, read.length - done, at + done)
        if (n === 0)
          throw new OpenApiError(
            'K8S_CODEGEN_OPENAPI_SPEC_TAMPERED',
            `the temporary file of CRD schemas in ${tmpdir()} was cut short while converting them`,
          )
        done += n
      }
      return JSON.parse(read.toString('utf8')) as JsonObject
    }
  }

  close(): void {
    closeSync(this.#fd)
    rmSync(this.#dir, { recursive: true, force: true })
  }
}

function failed(cause: unknown): OpenApiError {
  const code = (cause as { code?: unknown }).code
  return new OpenApiError(
    'K8S_CODEGEN_OPENAPI_WRITE_FAILED',
    `cannot hold the CRD schemas read in a temporary file in ${tmpdir()} (${typeof code === 'string' ? code : 'write failed'})`,
    { cause },
  )
}
