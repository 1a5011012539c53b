import { createHash } from 'node:crypto'

/**
 * A document as the server serves it: compact JSON bytes, serialized once, and their hash,
 * the uppercase hex SHA-512 of exactly those bytes (kube-openapi `pkg/handler3/handler.go`
 * `computeETag`: `fmt.Sprintf("%X", sha512.Sum512(data))`).
 */
export class ServedDocument {
  readonly document: unknown
  readonly lastModified: Date
  #bytes: Buffer | undefined
  #hash: string | undefined

  constructor(document: unknown, bytes?: Buffer) {
    this.document = document
    this.lastModified = new Date()
    this.#bytes = bytes
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
