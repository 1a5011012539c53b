// Splits a byte stream into lines, incrementally and bounded, as the watch decoder's framer
// (apimachinery `pkg/util/framer` + `pkg/runtime/serializer/streaming`, under client-go
// `rest/watch/decoder.go`) and kubectl's log reader do: a line longer than `maxLineBytes` is an
// error, not a growing buffer. The splitting is synchronous per chunk (`LineSplitter`), so a
// reader pays one async step per chunk, not one per line.
import { Buffer } from 'node:buffer'

/** A line longer than the limit (the caller turns it into its coded error). */
export class LineTooLongError extends Error {
  constructor(readonly limit: number) {
    super(`a line is longer than ${limit} bytes`)
  }
}

/**
 * The `\n`-terminated lines of chunks pushed one after the other, as UTF-8 text (without the
 * `\n`; invalid bytes become U+FFFD, a byte-order mark stays, as kubectl copies the bytes).
 * Bytes are buffered only up to `maxLineBytes` per line.
 */
export class LineSplitter {
  readonly #max: number
  #pending: Buffer[] = []
  #pendingBytes = 0

  constructor(maxLineBytes: number) {
    this.#max = maxLineBytes
  }

  /** The lines `chunk` completes; throws {@link LineTooLongError} past the limit. */
  push(chunk: Uint8Array): string[] {
    const bytes = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    const lines: string[] = []
    let start = 0
    let newline = bytes.indexOf(10)
    if (newline !== -1 && this.#pendingBytes > 0) {
      if (this.#pendingBytes + newline > this.#max) throw new LineTooLongError(this.#max)
      lines.push(this.#take(bytes.subarray(0, newline)))
      start = newline + 1
      newline = bytes.indexOf(10, start)
    }
    // Each line decoded from the bytes on its own (a `\n` byte is never inside a multi-byte
    // character): a flat string holding just that line, where a slice of the chunk's decoded
    // text would keep the whole chunk alive for as long as the line is kept.
    for (; newline !== -1; newline = bytes.indexOf(10, start)) {
      if (newline - start > this.#max) throw new LineTooLongError(this.#max)
      lines.push(bytes.toString('utf8', start, newline))
      start = newline + 1
    }
    if (start < bytes.length) this.#keep(bytes.subarray(start))
    return lines
  }

  // Bytes of a line not complete yet.
  #keep(rest: Buffer): void {
    this.#pendingBytes += rest.length
    if (this.#pendingBytes > this.#max) throw new LineTooLongError(this.#max)
    // The chunk's buffer may be reused by the producer: keep a copy.
    this.#pending.push(Buffer.from(rest))
  }

  /** The last line when the stream ended without a `\n`. */
  end(): string | undefined {
    return this.#pendingBytes > 0 ? this.#take(Buffer.alloc(0)) : undefined
  }

  #take(tail: Buffer): string {
    const parts = this.#pending
    this.#pending = []
    this.#pendingBytes = 0
    parts.push(tail)
    return Buffer.concat(parts).toString('utf8')
  }
}

/**
 * The lines of `chunks` (see {@link LineSplitter}); a last line without a `\n` is yielded at
 * the end.
 */
export async function* lines(
  chunks: AsyncIterable<Uint8Array>,
  maxLineBytes: number,
): AsyncGenerator<string> {
  const splitter = new LineSplitter(maxLineBytes)
  for await (const chunk of chunks) yield* splitter.push(chunk)
  const last = splitter.end()
  if (last !== undefined) yield last
}
