import { createHash } from 'node:crypto'

/**
 * A document as the server serves it: compact JSON bytes, serialized once, and their hash,
 * the uppercase hex SHA-512 of exactly those bytes (kube-openapi `pkg/handler3/handler.go`
 * `computeETag`: `fmt.Sprintf("%X", sha512.Sum512(data))`).
 */
export class ServedDocument {
  readonly lastModified: Date
  #document: { value: unknown } | undefined
  #build: (() => unknown) | undefined
  #bytes: Buffer | undefined
  #hash: string | undefined

  constructor(document: unknown, bytes?: Buffer) {
    this.#document = { value: document }
    this.lastModified = new Date()
    this.#bytes = bytes
  }

  /**
   * A document built on first use (a CRD's, converted only when a client asks for it or for
   * the hashes of the `/openapi/v3` root).
   *
   * @example
   * const served = ServedDocument.deferred(() => ({ openapi: '3.0.0', paths: {} }))
   * served.hash // builds, serializes and hashes it
   */
  static deferred(build: () => unknown): ServedDocument {
    const served = new ServedDocument(undefined)
    served.#document = undefined
    served.#build = build
    return served
  }

  get document(): unknown {
    if (this.#document === undefined) {
      this.#document = { value: this.#build?.() }
      this.#build = undefined
    }
    return this.#document.value
  }

  get bytes(): Buffer {
    this.#bytes ??= Buffer.from(JSON.stringify(this.document))
    return this.#bytes
  }

  get hash(): string {
    this.#hash ??= sha512Hex(this.bytes)
    return this.#hash
  }
}

/** Uppercase hex SHA-512, the apiserver's OpenAPI hash and ETag format. */
export function sha512Hex(bytes: Uint8Array): string {
  return createHash('sha512').update(bytes).digest('hex').toUpperCase()
}
