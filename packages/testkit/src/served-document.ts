import { createHash } from 'node:crypto'

/**
 * A document as the server serves it: compact JSON, serialized once, and its hash, the
 * uppercase hex SHA-512 of exactly those bytes (kube-openapi `pkg/handler3/handler.go`
 * `computeETag`: `fmt.Sprintf("%X", sha512.Sum512(data))`).
 *
 * The JSON is kept as text until the document is first served, then as the bytes sent: the
 * `/openapi/v3` root hashes every document, and hashing a string is several times cheaper than
 * first copying it into a Buffer of its own (at 1,000 CRDs, ~175 MB of documents).
 */
export class ServedDocument {
  readonly lastModified: Date
  #document: { value: unknown } | undefined
  #build: (() => string) | undefined
  #text: string | undefined
  #bytes: Buffer | undefined
  #hash: string | undefined

  constructor(document: unknown) {
    this.#document = { value: document }
    this.lastModified = new Date()
  }

  /**
   * A document built on first use as its JSON text (a CRD group-version's, converted only when
   * a client asks for it or for the hashes of the `/openapi/v3` root). It keeps only its JSON:
   * the object is read back from it when a handler needs it, so a server with a thousand CRDs
   * does not hold every converted document twice (the root hashes them all).
   *
   * @example
   * const served = ServedDocument.deferred(() => '{"openapi":"3.0.0","paths":{}}')
   * served.hash // builds and hashes it
   */
  static deferred(build: () => string): ServedDocument {
    const served = new ServedDocument(undefined)
    served.#document = undefined
    served.#build = build
    return served
  }

  get document(): unknown {
    if (this.#document === undefined) {
      const serialized = this.#serialized()
      this.#document = {
        value: JSON.parse(typeof serialized === 'string' ? serialized : serialized.toString()),
      }
    }
    return this.#document.value
  }

  get bytes(): Buffer {
    if (this.#bytes === undefined) {
      this.#bytes = Buffer.from(this.#serialized())
      this.#text = undefined
    }
    return this.#bytes
  }

  get hash(): string {
    this.#hash ??= sha512Hex(this.#serialized())
    return this.#hash
  }

  // The JSON as it is held: the bytes once served, else the text, serialized on first use.
  #serialized(): string | Buffer {
    if (this.#bytes !== undefined) return this.#bytes
    if (this.#text === undefined) {
      const build = this.#build
      this.#text = build === undefined ? JSON.stringify(this.#document?.value) : build()
      this.#build = undefined
    }
    return this.#text
  }
}

/** Uppercase hex SHA-512 of bytes, or of a string's UTF-8: the apiserver's OpenAPI hash and ETag format. */
export function sha512Hex(data: Uint8Array | string): string {
  return createHash('sha512').update(data).digest('hex').toUpperCase()
}
