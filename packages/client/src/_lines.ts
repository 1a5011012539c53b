// Splits a byte stream into lines, incrementally and bounded, as the watch decoder's framer
// (apimachinery `pkg/util/framer` + `pkg/runtime/serializer/streaming`, under client-go
// `rest/watch/decoder.go`) and kubectl's log reader do: a line longer than `maxLineBytes` is an
// error, not a growing buffer. The splitting is synchronous per chunk (`LineSplitter`), so a
// reader pays one async step per chunk, not one per line.

/** A line longer than the limit (the caller turns it into its coded error). */
export class LineTooLongError extends Error {
  constructor(readonly limit: number) {
    super(`a line is longer than ${limit} bytes`)
  }
}

/**
 * The `\n`-terminated lines of chunks pushed one after the other, as UTF-8 text (without the
 * `\n`). Bytes are buffered only up to `maxLineBytes` per line.
 */
export class LineSplitter {
  readonly #max: number
  readonly #decoder = new TextDecoder('utf-8', { fatal: false })
  #pending: Uint8Array[] = []
  #pendingBytes = 0

  constructor(maxLineBytes: number) {
    this.#max = maxLineBytes
  }

  /** The lines `chunk` completes; throws {@link LineTooLongError} past the limit. */
  push(chunk: Uint8Array): string[] {
    const last = chunk.lastIndexOf(10)
    if (last === -1) {
      this.#keep(chunk)
      return []
    }
    // Only a run of complete lines longer than the limit can hold a line over it.
    if (this.#pendingBytes + last > this.#max) {
      let start = 0
      let carried = this.#pendingBytes
      for (let newline = chunk.indexOf(10); newline !== -1; newline = chunk.indexOf(10, start)) {
        if (carried + newline - start > this.#max) throw new LineTooLongError(this.#max)
        carried = 0
        start = newline + 1
      }
    }
    // The complete lines decoded as one text and cut at its `\n`s: one decode per chunk, and
    // each line a slice of it (a `\n` byte is never inside a multi-byte character).
    const lines = this.#take(chunk.subarray(0, last)).split('\n')
    if (last + 1 < chunk.length) this.#keep(chunk.subarray(last + 1))
    return lines
  }

  // Bytes of a line not complete yet.
  #keep(rest: Uint8Array): void {
    this.#pendingBytes += rest.length
    if (this.#pendingBytes > this.#max) throw new LineTooLongError(this.#max)
    // The chunk's buffer may be reused by the producer: keep a copy.
    this.#pending.push(rest.slice())
  }

  /** The last line when the stream ended without a `\n`. */
  end(): string | undefined {
    return this.#pendingBytes > 0 ? this.#take(new Uint8Array(0)) : undefined
  }

  #take(tail: Uint8Array): string {
    const parts = this.#pending
    if (parts.length === 0) return this.#decoder.decode(tail)
    this.#pending = []
    this.#pendingBytes = 0
    const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, tail.length))
    let offset = 0
    for (const part of parts) {
      joined.set(part, offset)
      offset += part.length
    }
    joined.set(tail, offset)
    return this.#decoder.decode(joined)
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
