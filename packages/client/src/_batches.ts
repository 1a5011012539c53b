// Internal: the items of a generator of batches, as one async generator. A `for await` over an
// async generator pays a generator step (promises, a resumption) per item; the watch decodes a
// chunk's events in one plain loop, so it yields them as one batch and this hands them over one
// by one, a batch at hand without a step (one resolved promise per item).

/**
 * `batches` flattened. `return()` and `throw()` reach `batches` (a `break` closes what it holds
 * open); calls made while a batch is awaited are answered in order.
 */
export function flatten<T>(
  batches: AsyncGenerator<readonly T[], void, undefined>,
): AsyncGenerator<T, void, undefined> {
  let batch: readonly T[] = []
  let index = 0
  let finished = false
  let queued = 0
  let tail: Promise<unknown> = Promise.resolve()
  const end: IteratorReturnResult<void> = { done: true, value: undefined }

  const step = async (): Promise<IteratorResult<T, void>> => {
    while (index >= batch.length) {
      if (finished) return end
      // The items handed over are the caller's now: holding them while the next batch is made
      // would make the garbage collector copy every one of them it meets.
      batch = []
      index = 0
      const next = await batches.next()
      if (next.done === true) {
        finished = true
        return end
      }
      batch = next.value
      index = 0
    }
    return { done: false, value: batch[index++] as T }
  }
  // Anything but a batch at hand waits for the calls before it.
  const inOrder = <R>(run: () => Promise<R>): Promise<R> => {
    queued++
    const result = tail.then(run).finally(() => queued--)
    tail = result.catch(() => undefined)
    return result
  }
  const close = (): void => {
    finished = true
    batch = []
    index = 0
  }

  const flat: AsyncGenerator<T, void, undefined> = {
    next: () =>
      queued === 0 && index < batch.length
        ? Promise.resolve({ done: false, value: batch[index++] as T })
        : inOrder(step),
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
