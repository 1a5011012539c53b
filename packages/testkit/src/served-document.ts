import { createHash } from 'node:crypto'

/**
 * A document as the server serves it: compact JSON, serialized once, and its hash, the
 * uppercase hex SHA-512 of exactly those bytes (kube-openapi `pkg/handler3/handler.go`
 * `computeETag`: `fmt.Sprintf("%X", sha512.Sum512(data))`).
 *
 * The JSON is kept as text (or as the parts it is joined from) until the document is first
 * served, then as the bytes sent: the `/openapi/v3` root hashes every document, and hashing a
 * string or its parts is several times cheaper than first copying it into a Buffer of its own
 * (at 1,000 CRDs, ~175 MB of documents).
 */
export class ServedDocument {
  readonly lastModified: Date
  #document: { value: unknown } | undefined
  #build: (() => string | readonly (string | Uint8Array)[]) | undefined
  #text: string | undefined
  #parts: readonly (string | Uint8Array)[] | undefined
  #bytes: Buffer | undefined
  #hash: string | undefined

  constructor(document: unknown) {
    this.#document = { value: document }
    this.lastModified = new Date()
  }

  /**
   * A document built on first use as its JSON text, or as the parts (texts or UTF-8 bytes) whose
   * concatenation it is (a CRD group-version's, converted only when a client asks for it or for
   * the hashes of the `/openapi/v3` root). It keeps only its JSON: the object is read back from
   * it when a handler needs it, so a server with a thousand CRDs does not hold every converted
   * document twice (the root hashes them all), and parts are joined only when served.
   *
   * @example
   * const served = ServedDocument.deferred(() => ['{"openapi":"3.0.0",', '"paths":{}}'])
   * served.hash // builds and hashes it
   */
  static deferred(build: () => string | readonly (string | Uint8Array)[]): ServedDocument {
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
    const serialized = this.#serialized()
    if (typeof serialized !== 'string') return serialized
    this.#bytes = Buffer.from(serialized)
    this.#text = undefined
    return this.#bytes
  }

  get hash(): string {
    if (this.#hash === undefined) {
      this.#built()
      this.#hash = sha512Hex(this.#parts ?? this.#serialized())
    }
    return this.#hash
  }

  // Runs the build, once.
  #built(): void {
    const build = this.#build
    if (build === undefined) return
    this.#build = undefined
    const built = build()
    if (typeof built === 'string') this.#text = built
    else this.#parts = built
  }

  // The JSON as it is held: the bytes once served or joined, else the text, serialized on first
  // use.
  #serialized(): string | Buffer {
    this.#built()
    if (this.#parts !== undefined) {
      this.#bytes = Buffer.concat(
        this.#parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : part)),
      )
      this.#parts = undefined
    }
    if (this.#bytes !== undefined) return this.#bytes
    this.#text ??= JSON.stringify(this.#document?.value)
    return this.#text
  }
}

/**
 * Uppercase hex SHA-512 of bytes, or of a string's UTF-8, or of parts' concatenation: the
 * apiserver's OpenAPI hash and ETag format.
 */
export function sha512Hex(data: Uint8Array | string | readonly (string | Uint8Array)[]): string {
  const hash = createHash('sha512')
  if (typeof data === 'string' || data instanceof Uint8Array) hash.update(data)
  else for (const part of data) hash.update(part)
  return hash.digest('hex').toUpperCase()
}
