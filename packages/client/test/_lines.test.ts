import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { LineTooLongError, lines } from '../src/_lines.js'

// The line framer under watch events and log lines: any chunking gives the same lines.
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text)

async function* chunked(parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield await Promise.resolve(part)
}

async function collect(parts: Uint8Array[], max = 1024): Promise<string[]> {
  const out: string[] = []
  for await (const line of lines(chunked(parts), max)) out.push(line)
  return out
}

// `all` cut at the byte offsets `cuts` (any order, past the end meaning the end).
function splitAt(all: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => Math.min(c, all.length)))].sort((a, b) => a - b)
  const parts: Uint8Array[] = []
  let start = 0
  for (const point of [...points, all.length]) {
    parts.push(all.subarray(start, point))
    start = point
  }
  return parts
}

describe('lines', () => {
  it.each([
    { given: ['a\nb\n'], want: ['a', 'b'] },
    { given: ['a', '\nb', '\n'], want: ['a', 'b'] },
    { given: ['a\n\nb'], want: ['a', '', 'b'] },
    { given: ['no newline'], want: ['no newline'] },
    { given: [], want: [] },
    { given: ['\n'], want: [''] },
  ])('$given → $want', async ({ given, want }) => {
    expect(await collect(given.map(bytes))).toEqual(want)
  })

  it('a multi-byte character split across chunks stays one character', async () => {
    const encoded = bytes('é\n')
    expect(await collect([encoded.subarray(0, 1), encoded.subarray(1)])).toEqual(['é'])
  })

  it.each([
    { given: [0xef, 0xbb, 0xbf, 0x61, 0x0a], want: ['\ufeffa'] },
    { given: [0x61, 0xff, 0x0a, 0xe2, 0x82, 0x0a], want: ['a\ufffd', '\ufffd'] },
  ])(
    'bytes $given: a byte-order mark stays (kubectl copies the bytes), invalid UTF-8 is U+FFFD',
    async ({ given, want }) => {
      expect(await collect([new Uint8Array(given)])).toEqual(want)
    },
  )

  it('a producer that reuses one buffer for every chunk still gets its lines', async () => {
    const buffer = new Uint8Array(4)
    async function* reused(): AsyncGenerator<Uint8Array> {
      for (const text of ['ab', 'cd', '\nef', 'g\n']) {
        buffer.fill(0)
        buffer.set(bytes(text))
        yield await Promise.resolve(buffer.subarray(0, text.length))
      }
    }
    const out: string[] = []
    for await (const line of lines(reused(), 1024)) out.push(line)
    expect(out).toEqual(['abcd', 'efg'])
  })

  it.each([
    { given: ['x'.repeat(11) + '\n'], want: 10 },
    { given: ['x'.repeat(6), 'x'.repeat(6)], want: 10 },
  ])(
    'a line over the limit is a LineTooLongError, without buffering the rest',
    async ({ given, want }) => {
      await expect(collect(given.map(bytes), want)).rejects.toBeInstanceOf(LineTooLongError)
    },
  )

  it('any split of any text yields the lines of the whole text', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ unit: 'grapheme', maxLength: 8 }), { maxLength: 6 }),
        fc.array(fc.nat(40), { maxLength: 6 }),
        async (lineTexts, cuts) => {
          const text = lineTexts.map((l) => `${l.replaceAll('\n', '')}\n`).join('')
          expect(await collect(splitAt(bytes(text), cuts), 1 << 16)).toEqual(
            lineTexts.map((l) => l.replaceAll('\n', '')),
          )
        },
      ),
    )
  })

  it('any split refuses a text exactly when one of its lines is over the limit', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ unit: 'grapheme', maxLength: 12 }), { maxLength: 6 }),
        fc.array(fc.nat(60), { maxLength: 6 }),
        fc.integer({ min: 1, max: 24 }),
        async (lineTexts, cuts, max) => {
          const texts = lineTexts.map((l) => l.replaceAll('\n', ''))
          const parts = splitAt(bytes(texts.map((l) => `${l}\n`).join('')), cuts)
          const tooLong = texts.some((l) => bytes(l).length > max)
          const result = collect(parts, max)
          if (tooLong) await expect(result).rejects.toBeInstanceOf(LineTooLongError)
          else expect(await result).toEqual(texts)
        },
      ),
    )
  })
})
