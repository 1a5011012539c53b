// A watch that survives the connection, as client-go does it: newline-delimited JSON events
// decoded as they arrive (`rest/watch/decoder.go`, one bounded frame per line, split
// synchronously per chunk); the last resourceVersion (bookmarks included) remembered and a
// dropped or ended connection resumed from it (`tools/watch/retrywatcher.go` doReceive); without
// a resourceVersion to start from, and after a 410 — an HTTP 410 or an ERROR event with code 410,
// "too old resource version" — a list and a watch from the list's resourceVersion
// (`tools/cache/reflector.go` ListAndWatch, `isExpiredError`), the list turned into events (see
// `relist`); failures and relists paced by the reflector's backoff with a budget of failures in
// a row (`_backoff.ts`), but never a 4xx other than 410 and 429 (the connection already retries
// 429 with Retry-After).
import type { ObjectOf, ResourceInfo } from '@k8s-codegen/runtime'

import { Backoff } from './_backoff.js'
import { flatten } from './_batches.js'
import { LineSplitter, LineTooLongError } from './_lines.js'
import { resourceVersionOf } from './_identity.js'
import { LastStates } from './_last-states.js'
import { pathOf, selectionQuery } from './_resolve.js'
import { isTransient, openStream } from './_stream.js'
import { redactOf, serverText, streamFailure, withQuery, type ClientContext } from './_transport.js'
import { ClientError } from './errors.js'
import { listWhole, type ListAllOptions } from './list-all.js'
import type { OperationOptions, Selection } from './options.js'
import { statusError, type Status } from './status.js'
import type { CollectionScope } from './types.js'

/**
 * A watch event, typed by the descriptor: `object` is the resource's type for ADDED, MODIFIED
 * and DELETED (the object's last state), and only carries a resourceVersion for BOOKMARK.
 *
 * @example
 * for await (const e of k8s.watch(Deployment, { namespace: 'web' })) {
 *   if (e.type !== 'BOOKMARK') console.log(e.type, e.object.metadata?.name)
 * }
 */
export type WatchEvent<T> =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: T }
  | { type: 'BOOKMARK'; object: WatchBookmark }

/**
 * The object of a BOOKMARK event: only `metadata.resourceVersion` (and, ending the initial
 * events of `sendInitialEvents`, the annotation `k8s.io/initial-events-end: "true"`).
 *
 * @example
 * const b: WatchBookmark = { kind: 'Deployment', apiVersion: 'apps/v1', metadata: { resourceVersion: '42' } }
 */
export interface WatchBookmark {
  kind?: string
  apiVersion?: string
  metadata: { resourceVersion: string; annotations?: Record<string, string> }
}

/**
 * How a watch retries a failed or dropped connection (the defaults are the reflector's).
 *
 * @example
 * const retry: WatchRetry = { attempts: 5, initialDelayMs: 100, maxDelayMs: 2_000 }
 */
export interface WatchRetry {
  /**
   * Failures in a row (no event, no healthy period between them) that are retried; the next one
   * ends the watch with its error. A 410 that needs a relist counts as a failure. Default 10.
   */
  attempts?: number | undefined
  /** First delay; it doubles each failure. Default 800 ms. */
  initialDelayMs?: number | undefined
  /**
   * Upper bound of the base delay, and of a server's `Retry-After` (longer ones are cut to
   * it). Default 30 s.
   */
  maxDelayMs?: number | undefined
  /** Random extra delay, as a fraction of the base (`wait.Jitter`). Default 1: up to twice the base. */
  jitter?: number | undefined
  /** No failure for this long resets the delay and the count. Default 2 minutes. */
  resetAfterMs?: number | undefined
}

/**
 * Options of a watch: the collection (`namespace`), selectors (strings or objects, checked before
 * sending), where to start, and `signal` — which here ends the iteration without an error.
 *
 * @example
 * const options: WatchOptions<typeof ConfigMap> = { namespace: 'web', labelSelector: { matchLabels: { app: 'api' } }, signal: AbortSignal.timeout(60_000) }
 */
export type WatchOptions<R extends ResourceInfo> = CollectionScope<R> &
  Selection &
  OperationOptions & {
    /**
     * Start after this resourceVersion (e.g. a list's). Without one the watch lists first (all
     * pages), yields the objects as ADDED events and watches from the list's resourceVersion.
     */
    resourceVersion?: string
    /**
     * Yield BOOKMARK events; default true. They are always requested (`allowWatchBookmarks`), as
     * RetryWatcher does, since they keep a resume cheap; `false` only hides them.
     */
    allowBookmarks?: boolean
    /**
     * `sendInitialEvents=true` (with `resourceVersionMatch=NotOlderThan`): the state as ADDED
     * events, then a BOOKMARK annotated `k8s.io/initial-events-end` (streaming lists, 1.27+).
     */
    sendInitialEvents?: boolean
    /** Server-side timeout of each connection; the watch reconnects after it. */
    timeoutSeconds?: number
    retry?: WatchRetry
    /**
     * After a 410 (the resourceVersion is older than the server keeps), list again and turn the
     * list into events (default true): ADDED for what is new, MODIFIED for what changed, DELETED
     * for what vanished — which needs the last state of every object delivered, kept as long as
     * the watch runs. `false` keeps nothing (memory flat however large the collection): a 410
     * ends the watch with its `isResourceExpired` StatusError, as client-go's RetryWatcher does,
     * for a caller that keeps its own store (an informer) and relists into it.
     */
    relist?: boolean
    /** Longest event line accepted; default 16 MiB. */
    maxEventBytes?: number
  }

// client-go's streaming decoder refuses frames above its buffer limit.
const defaultMaxEventBytes = 16 * 1024 * 1024

/**
 * Watches a collection; see the file comment and the README's "Watch" section for the contract.
 * `break` (the iterator's `return()`) and `signal` close the connection.
 */
export function watch<R extends ResourceInfo>(
  context: ClientContext,
  resource: R,
  options: WatchOptions<R> = {},
): AsyncGenerator<WatchEvent<ObjectOf<R>>, void, undefined> {
  return flatten(watchBatches(context, resource, options))
}

// The watch as batches: a list's events, or the events of one chunk read from the connection.
async function* watchBatches<R extends ResourceInfo>(
  context: ClientContext,
  resource: R,
  options: WatchOptions<R>,
): AsyncGenerator<Iterable<WatchEvent<ObjectOf<R>>>, void, undefined> {
  const { signal } = options
  const base = pathOf(resource, { namespace: options.namespace })
  // Checked once, before anything is sent.
  const selection = selectionQuery(options)
  const target = { resource }
  const bookmarks = options.allowBookmarks ?? true
  const maxEventBytes = options.maxEventBytes ?? defaultMaxEventBytes
  const backoff = new Backoff(options.retry)
  const redact = redactOf(context)
  const what = `watch ${base}`
  // The last state of every object delivered, so a relist can say what vanished; none when
  // the caller relists itself. Kept as JSON text (see LastStates): one string per object costs
  // the garbage collector next to nothing, where the parsed object graph held for every object
  // slowed every later parse. An event line is its own flat string (see LineSplitter): what is
  // kept per object is the size of its last event.
  const known = options.relist === false ? undefined : new LastStates()
  let resourceVersion = options.resourceVersion
  let initial = options.sendInitialEvents === true

  // A failure that may be retried: sleep, or, the budget spent, throw the last error as it is.
  const retry = async (error: unknown, retryAfterMs = 0): Promise<void> => {
    if (!(await backoff.wait(signal, retryAfterMs))) throw error
  }
  // A 410: relist after the backoff (the reflector's ListAndWatch returns and `Until` waits
  // before the next), or end the watch when the caller relists itself.
  const expired = async (error: unknown): Promise<void> => {
    if (known === undefined) throw error
    await retry(error)
    needsList = true
  }
  const decodeError = (message: string, cause?: unknown): ClientError =>
    new ClientError(
      'K8S_CODEGEN_CLIENT_BAD_RESPONSE',
      `${what}: ${message}`,
      cause === undefined ? undefined : { cause },
    )

  // reflector.go relistResourceVersion after an expiry: a consistent list (resourceVersion "",
  // whole as ListPager.List makes it), then DeltaFIFO.Replace's outcome as events.
  async function relist(): Promise<WatchEvent<ObjectOf<R>>[]> {
    const listOptions = {
      namespace: options.namespace,
      ...selection,
      signal,
    } as unknown as ListAllOptions<R>
    const list = await listWhole(context, resource, listOptions)
    const events: WatchEvent<ObjectOf<R>>[] = []
    const listed = new LastStates()
    for (const raw of list.items) {
      // Built-in list items come without TypeMeta; events carry it.
      const object = {
        apiVersion: resource.apiVersion,
        kind: resource.kind,
        ...(raw as object),
      } as ObjectOf<R>
      if (known === undefined) {
        events.push({ type: 'ADDED', object })
        continue
      }
      const before = known.get(object)
      listed.set(object, JSON.stringify({ object }))
      if (before === undefined) events.push({ type: 'ADDED', object })
      else if (resourceVersionOf(lastState(before)) !== resourceVersionOf(object))
        events.push({ type: 'MODIFIED', object })
    }
    if (known !== undefined) {
      for (const text of known.replace(listed))
        events.push({ type: 'DELETED', object: lastState(text) as ObjectOf<R> })
    }
    resourceVersion = list.resourceVersion
    return events
  }

  // A function, not a narrowed property: the signal changes while the generator waits.
  const aborted = (): boolean => signal?.aborted === true
  // Without a resourceVersion the reflector lists first and watches from the list's: a watch
  // without one would replay the state as ADDED events whose resourceVersions (each object's
  // own) cannot be resumed from if the connection drops half-way.
  let needsList = resourceVersion === undefined && !initial
  while (!aborted()) {
    if (needsList) {
      let events
      try {
        events = await relist()
      } catch (error) {
        if (aborted()) return
        if (!isTransient(error)) throw error
        await retry(error)
        continue
      }
      needsList = false
      initial = false
      if (events.length > 0) yield events
    }
    const path = withQuery(base, {
      watch: 1,
      resourceVersion,
      ...(initial ? { resourceVersionMatch: 'NotOlderThan', sendInitialEvents: true } : {}),
      // Always asked for, as RetryWatcher does: they keep a resume cheap.
      allowWatchBookmarks: true,
      ...selection,
      timeoutSeconds: options.timeoutSeconds,
    })
    let stream
    try {
      stream = await openStream(context, { method: 'GET', path, signal })
    } catch (error) {
      if (aborted()) return
      if (!isTransient(error)) throw error
      await retry(error)
      continue
    }
    if (stream.status !== 200) {
      const code = stream.status
      const error = await streamFailure(context, stream, 'GET', path, target)
      if (code === 410) await expired(error)
      else if (code >= 400 && code < 500 && code !== 429) throw error
      else await retry(error, retryAfterMs(stream.headers['retry-after']))
      continue
    }
    // One connection: events until it ends; `expired` asks for a relist, `failed` for a retry.
    // A property, set while the caller reads a batch (decode below), not a narrowed variable.
    const connection: { outcome: Outcome } = { outcome: 'ended' }
    // The events of a chunk's lines, each decoded when the caller asks for it. A failure in the
    // middle of a chunk comes after the events before it; an ERROR event ends the batch.
    function* decode(lines: string[]): Generator<WatchEvent<ObjectOf<R>>, void, undefined> {
      try {
        for (const line of lines) {
          // An event starts with `{`: only another line is looked at for blankness.
          if (line.charCodeAt(0) !== 0x7b && line.trim() === '') continue
          const event = parseEvent(line)
          if (event === undefined) {
            throw decodeError(
              `the server sent a line that is not a watch event ({"type","object"}): ${serverText(context, JSON.stringify(line.slice(0, 80)))}`,
            )
          }
          if (event.type === 'ERROR') {
            const status = event.object as Status
            const code = status.code ?? 500
            const error = statusError(status, { method: 'GET', path }, code, redact)
            if (code === 410) {
              connection.outcome = { expired: error }
              return
            }
            // retrywatcher.go: retry unknown errors; a 4xx (but 429) will not get better.
            if (code >= 400 && code < 500 && code !== 429) throw error
            connection.outcome = {
              failed: error,
              retryAfterMs: (status.details?.retryAfterSeconds ?? 0) * 1000,
            }
            return
          }
          const version = resourceVersionOf(event.object)
          if (version === '') {
            throw decodeError(
              `a ${event.type} event without metadata.resourceVersion cannot be resumed from`,
            )
          }
          backoff.reset()
          // Initial events come in key order, each with its own resourceVersion: only their
          // closing bookmark is a point to resume from.
          if (!initial || event.type === 'BOOKMARK') resourceVersion = version
          if (event.type === 'BOOKMARK') {
            if (initial && bookmarkEndsInitial(event.object)) initial = false
            if (bookmarks) yield event as WatchEvent<ObjectOf<R>>
            continue
          }
          if (known !== undefined) {
            if (event.type === 'DELETED') known.delete(event.object)
            else {
              // A reconnect during sendInitialEvents replays the state as ADDED: skip what
              // we have (only then is the last state looked up).
              const before = initial && event.type === 'ADDED' ? known.get(event.object) : undefined
              known.set(event.object, line)
              if (before !== undefined && resourceVersionOf(lastState(before)) === version) continue
            }
          }
          // The parsed line itself: `{"type","object"}` is the event.
          yield event as WatchEvent<ObjectOf<R>>
        }
      } catch (error) {
        // An abort ends the watch without an error, whatever was being decoded.
        if (!aborted()) throw error
      }
    }
    const splitter = new LineSplitter(maxEventBytes)
    const chunks = stream.body[Symbol.asyncIterator]()
    try {
      // One async step per chunk: its lines, decoded as the caller reads them (flatten()
      // hands the events over one by one); the next chunk is read once they are all read.
      // A last event without its newline still counts (client-go's JSON framer needs none).
      for (;;) {
        const next = await chunks.next()
        const tail = next.done === true ? splitter.end() : undefined
        const lines =
          next.done !== true ? splitter.push(next.value) : tail === undefined ? [] : [tail]
        if (lines.length > 0) yield decode(lines)
        if (connection.outcome !== 'ended' || next.done === true) break
      }
    } catch (error) {
      if (aborted()) return
      if (error instanceof LineTooLongError) {
        throw decodeError(`an event is longer than ${error.limit} bytes (maxEventBytes)`, error)
      }
      if (!isTransient(error)) throw error
      connection.outcome = { failed: error, retryAfterMs: 0 }
    } finally {
      await chunks.return?.()
      await stream.cancel()
    }
    const { outcome } = connection
    if (outcome === 'ended') continue
    if ('expired' in outcome) await expired(outcome.expired)
    else await retry(outcome.failed, outcome.retryAfterMs)
  }
}

// How one connection ended: `expired` asks for a relist, `failed` for a retry.
type Outcome = 'ended' | { expired: unknown } | { failed: unknown; retryAfterMs: number }

interface RawEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR'
  object: unknown
}

const eventTypes = new Set(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR'])

function parseEvent(line: string): RawEvent | undefined {
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null) return undefined
  const { type, object } = value as { type?: unknown; object?: unknown }
  if (typeof type !== 'string' || !eventTypes.has(type)) return undefined
  if (typeof object !== 'object' || object === null) return undefined
  return value as RawEvent
}

// The object of a `{"object":…}` text the watch kept (an event line, or a listed item).
function lastState(text: string): unknown {
  return (JSON.parse(text) as { object: unknown }).object
}

function bookmarkEndsInitial(object: unknown): boolean {
  const annotations = (object as WatchBookmark).metadata.annotations
  return annotations?.['k8s.io/initial-events-end'] === 'true'
}

function retryAfterMs(header: string | undefined): number {
  const seconds = header === undefined ? NaN : Number(header)
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 0
}
