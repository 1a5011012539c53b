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
   * the hashes of the `/openapi/v3` root). Serialized first, it keeps only its bytes: the object
   * is read back from them when a handler needs it, so a server with a thousand CRDs does not
   * hold every converted document twice (the root hashes them all).
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
      const value: unknown =
        this.#bytes === undefined ? this.#build?.() : JSON.parse(this.#bytes.toString())
      this.#document = { value }
      this.#build = undefined
    }
    return this.#document.value
  }

  get bytes(): Buffer {
    if (this.#bytes === undefined) {
      const document = this.#document === undefined ? this.#build?.() : this.#document.value
      this.#build = undefined
      this.#bytes = Buffer.from(JSON.stringify(document))
    }
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
