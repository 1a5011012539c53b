// Internal: the items of a generator of batches, as one async generator. A `for await` over an
// async generator pays a generator step (promises, a resumption) per item; the watch reads a
// chunk of events in one async step and yields it as one batch, and this hands the items over
// one by one, a batch at hand without a step (one resolved promise per item). A batch is any
// iterable: the watch's is a generator that decodes each event only when it is asked for, so
// the events of a chunk do not all sit in memory, unread, while the garbage collector runs.

/**
 * `batches` flattened. `return()` and `throw()` reach `batches` (a `break` closes what it holds
 * open), and so does a batch that throws: `batches` is closed, then the error is the caller's.
 * Calls made while a batch is awaited are answered in order.
 */
export function flatten<T>(
  batches: AsyncGenerator<Iterable<T>, void, undefined>,
): AsyncGenerator<T, void, undefined> {
  // The batch at hand (undefined between batches: the items handed over are the caller's now).
  let batch: Iterator<T> | undefined
  let finished = false
  let queued = 0
  let tail: Promise<unknown> = Promise.resolve()
  const end: IteratorReturnResult<void> = { done: true, value: undefined }

  const close = (): void => {
    finished = true
    batch = undefined
  }
  // A batch that throws ends everything.
  const fail = async (error: unknown): Promise<never> => {
    close()
    await batches.return(undefined)
    throw error
  }
  // The next item of the batch at hand; undefined (and no batch) when it has no more.
  const take = (): IteratorYieldResult<T> | undefined => {
    const item = batch?.next()
    if (item === undefined || item.done !== true) return item
    batch = undefined
    return undefined
  }
  const step = async (): Promise<IteratorResult<T, void>> => {
    for (;;) {
      let item
      try {
        item = take()
      } catch (error) {
        return fail(error)
      }
      if (item !== undefined) return item
      if (finished) return end
      const next = await batches.next()
      if (next.done === true) {
        finished = true
        return end
      }
      batch = next.value[Symbol.iterator]()
    }
  }
  // Anything but an item of the batch at hand waits for the calls before it.
  const inOrder = <R>(run: () => Promise<R>): Promise<R> => {
    queued++
    const result = tail.then(run).finally(() => queued--)
    tail = result.catch(() => undefined)
    return result
  }

  const flat: AsyncGenerator<T, void, undefined> = {
    next: () => {
      if (queued > 0) return inOrder(step)
      let item
      try {
        item = take()
      } catch (error) {
        return inOrder(() => fail(error))
      }
      return item === undefined ? inOrder(step) : Promise.resolve(item)
    },
    return: () =>
      inOrder(async () => {
        close()
        await batches.return(undefined)
        return end
      }),
    throw: (error: unknown) =>
      inOrder(async () => {
        close()
        await batches.throw(error)
        return end
      }),
    [Symbol.asyncIterator]: () => flat,
  }
  return flat
}
