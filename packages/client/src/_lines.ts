// Splits a byte stream into lines, incrementally and bounded, as the watch decoder's framer
// (apimachinery `pkg/util/framer` + `pkg/runtime/serializer/streaming`, under client-go
// `rest/watch/decoder.go`) and kubectl's log reader do: a line longer than `maxLineBytes` is an
// error, not a growing buffer.

/** A line longer than the limit (the caller turns it into its coded error). */
export class LineTooLongError extends Error {
  constructor(readonly limit: number) {
    super(`a line is longer than ${limit} bytes`)
  }
}

/**
 * The `\n`-terminated lines of `chunks` as UTF-8 text (without the `\n`; a last line without
 * one is yielded at the end). Bytes are buffered only up to `maxLineBytes` per line.
 */
export async function* lines(
  chunks: AsyncIterable<Uint8Array>,
  maxLineBytes: number,
): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: false })
  let pending: Uint8Array[] = []
  let pendingBytes = 0
  const take = (tail: Uint8Array): string => {
    const parts = pending
    pending = []
    pendingBytes = 0
    if (parts.length === 0) return decoder.decode(tail)
    const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, tail.length))
    let offset = 0
    for (const part of parts) {
      joined.set(part, offset)
      offset += part.length
    }
    joined.set(tail, offset)
    return decoder.decode(joined)
  }
  for await (const chunk of chunks) {
    let start = 0
    for (let newline = chunk.indexOf(10); newline !== -1; newline = chunk.indexOf(10, start)) {
      if (pendingBytes + newline - start > maxLineBytes) throw new LineTooLongError(maxLineBytes)
      yield take(chunk.subarray(start, newline))
      start = newline + 1
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start)
      pendingBytes += rest.length
      if (pendingBytes > maxLineBytes) throw new LineTooLongError(maxLineBytes)
      // The chunk's buffer may be reused by the producer: keep a copy.
      pending.push(rest.slice())
    }
  }
  if (pendingBytes > 0) yield take(new Uint8Array(0))
}
