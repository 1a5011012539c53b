import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { flatten } from '../src/_batches.js'

// The watch's batches handed over one by one: the same items, in order, whatever the batches;
// `return()` and `throw()` reach the generator (a `break` closes the connection it holds). A
// batch may be any iterable: the watch's decodes each event when it is asked for.
async function* batches<T>(given: T[][], log: string[] = []): AsyncGenerator<T[], void, undefined> {
  try {
    for (const batch of given) yield await Promise.resolve(batch)
  } finally {
    log.push('closed')
  }
}

async function all<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const item of iterable) out.push(item)
  return out
}

describe('flatten', () => {
  it.each([
    { given: [[1, 2], [3]], want: [1, 2, 3] },
    { given: [[], [1], [], [2, 3]], want: [1, 2, 3] },
    { given: [], want: [] },
  ])('$given → $want', async ({ given, want }) => {
    expect(await all(flatten(batches(given)))).toEqual(want)
  })

  it('any batches give their items in order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.integer(), { maxLength: 5 }), { maxLength: 6 }),
        async (given) => {
          expect(await all(flatten(batches(given)))).toEqual(given.flat())
        },
      ),
    )
  })

  it('a break in the middle of a batch closes the generator', async () => {
    const log: string[] = []
    for await (const item of flatten(batches([[1, 2, 3], [4]], log))) {
      log.push(String(item))
      if (item === 2) break
    }
    expect(log).toEqual(['1', '2', 'closed'])
  })

  it('calls made before a batch arrives are answered in order', async () => {
    const flat = flatten(batches([[1], [2, 3]]))
    const results = await Promise.all([flat.next(), flat.next(), flat.next(), flat.next()])
    expect(results).toEqual([
      { done: false, value: 1 },
      { done: false, value: 2 },
      { done: false, value: 3 },
      { done: true, value: undefined },
    ])
  })

  it('an error of the generator comes after the items of the batches before it', async () => {
    async function* failing(): AsyncGenerator<number[], void, undefined> {
      yield await Promise.resolve([1, 2])
      throw new Error('broken')
    }
    const seen: number[] = []
    await expect(
      (async () => {
        for await (const item of flatten(failing())) seen.push(item)
      })(),
    ).rejects.toThrow('broken')
    expect(seen).toEqual([1, 2])
  })

  it('throw() reaches the generator and ends the iteration', async () => {
    const log: string[] = []
    const flat = flatten(batches([[1], [2]], log))
    await flat.next()
    await expect(flat.throw(new Error('stop'))).rejects.toThrow('stop')
    expect(log).toEqual(['closed'])
    expect(await flat.next()).toEqual({ done: true, value: undefined })
  })

  it('an item of a batch is made only when it is asked for', async () => {
    const log: string[] = []
    function* lazy(items: number[]): Generator<number, void, undefined> {
      for (const item of items) {
        log.push(`made ${item}`)
        yield item
      }
    }
    async function* lazyBatches(): AsyncGenerator<Iterable<number>, void, undefined> {
      yield await Promise.resolve(lazy([1, 2, 3]))
    }
    const flat = flatten(lazyBatches())
    expect(await flat.next()).toEqual({ done: false, value: 1 })
    expect(log).toEqual(['made 1'])
    expect(await flat.next()).toEqual({ done: false, value: 2 })
    expect(log).toEqual(['made 1', 'made 2'])
  })

  it.each([
    {
      given: 'a batch that throws after 2 of its items',
      want: { seen: [0, 1, 2], log: ['closed'] },
    },
  ])('$given: its items, then its error, and the generator is closed', async ({ want }) => {
    const log: string[] = []
    function* failing(): Generator<number, void, undefined> {
      yield 1
      yield 2
      throw new Error('broken')
    }
    async function* source(): AsyncGenerator<Iterable<number>, void, undefined> {
      try {
        yield await Promise.resolve([0])
        yield failing()
        yield [3]
      } finally {
        log.push('closed')
      }
    }
    const seen: number[] = []
    const flat = flatten(source())
    await expect(
      (async () => {
        for await (const item of flat) seen.push(item)
      })(),
    ).rejects.toThrow('broken')
    expect({ seen, log }).toEqual(want)
    expect(await flat.next()).toEqual({ done: true, value: undefined })
  })
})
