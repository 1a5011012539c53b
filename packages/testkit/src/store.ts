// The emulator's etcd: one cluster-wide revision counter (every write takes the next one and
// it becomes the object's `metadata.resourceVersion`, as etcd3's mod revision does, apiserver
// `pkg/storage/etcd3/store.go`), objects per group-resource, and a bounded event history that
// serves watches from a resourceVersion and lists at an exact one. History older than the
// window is compacted: reading it is 410 Gone, like a compacted etcd revision.
import type { JsonObject } from './_json.js'

/** One change, as the watch cache keeps it (apiserver `pkg/storage/cacher/watch_cache.go`). */
export interface StoreEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED'
  revision: number
  /** `<group>/<resource>`. */
  collection: string
  namespace: string
  name: string
  object: JsonObject
  /** The object before a MODIFIED or DELETED. */
  previous?: JsonObject
}

/** `metadata.namespace` / `metadata.name` of a stored object. */
export function metaOf(object: JsonObject): { namespace: string; name: string } {
  const metadata = object['metadata'] as JsonObject | undefined
  return {
    namespace: typeof metadata?.['namespace'] === 'string' ? metadata['namespace'] : '',
    name: typeof metadata?.['name'] === 'string' ? metadata['name'] : '',
  }
}

function keyOf(namespace: string, name: string): string {
  return `${namespace}/${name}`
}

/** In-memory objects with revisions, history and subscribers. */
export class ObjectStore {
  #revision: number
  /** Events with a revision at or below this are gone (compacted). */
  #compacted: number
  readonly #window: number
  readonly #collections = new Map<string, Map<string, JsonObject>>()
  #history: StoreEvent[] = []
  readonly #subscribers = new Set<(event: StoreEvent) => void>()
  // Writes made at start whose objects wait for a reader (see `defer`), and whether they are
  // being made now: their events happened before any subscriber came.
  #deferred: { collection: string; write: () => void } | undefined
  #settling = false

  constructor(options: { historyWindow: number; initialRevision?: number }) {
    this.#window = options.historyWindow
    this.#revision = options.initialRevision ?? 1
    this.#compacted = this.#revision
  }

  /**
   * Reserves the next `count` revisions for writes to `collection` that `write(first)` makes
   * with revisions `first + 1` … `first + count` (by `put`) when anything first reads that
   * collection, the history, or writes: until then the store answers as if they were made now
   * (its revision counts them; nobody has seen them). Subscribers present now would miss their
   * events, so then they are written at once.
   *
   * @example
   * store.defer('apiextensions.k8s.io/customresourcedefinitions', texts.length, (first) =>
   *   texts.forEach((text, i) => store.put(collection, JSON.parse(text), first + i + 1)))
   */
  defer(collection: string, count: number, write: (first: number) => void): void {
    this.#settle()
    const first = this.#revision
    this.#revision += count
    const deferred = { collection, write: () => write(first) }
    if (this.#subscribers.size > 0) deferred.write()
    else this.#deferred = deferred
  }

  // Makes the deferred writes, once, before what would see them.
  #settle(collection?: string): void {
    const deferred = this.#deferred
    if (deferred === undefined || (collection !== undefined && collection !== deferred.collection))
      return
    this.#deferred = undefined
    this.#settling = true
    try {
      deferred.write()
    } finally {
      this.#settling = false
    }
  }

  /** The current revision: the resourceVersion of the newest write. */
  get revision(): number {
    return this.#revision
  }

  /** The newest revision that can no longer be watched from or listed at. */
  get compacted(): number {
    this.#settle()
    return this.#compacted
  }

  /** The next revision, taken by a write about to happen. */
  nextRevision(): number {
    this.#settle()
    this.#revision += 1
    return this.#revision
  }

  get(collection: string, namespace: string, name: string): JsonObject | undefined {
    this.#settle(collection)
    return this.#collections.get(collection)?.get(keyOf(namespace, name))
  }

  /** Current objects of a collection (in one namespace when given), ordered by key like etcd. */
  list(collection: string, namespace?: string): JsonObject[] {
    this.#settle(collection)
    const items = this.#collections.get(collection)
    if (items === undefined) return []
    const out: [string, JsonObject][] = []
    for (const [key, object] of items) {
      if (namespace === undefined || key.startsWith(`${namespace}/`)) out.push([key, object])
    }
    return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, o]) => o)
  }

  /**
   * The objects of a collection as they were at `revision` (etcd's read at a revision), or
   * undefined when that revision is compacted. Undoes the newer events of the history.
   */
  listAt(
    collection: string,
    namespace: string | undefined,
    revision: number,
  ): JsonObject[] | undefined {
    this.#settle()
    if (revision < this.#compacted) return undefined
    const state = new Map<string, JsonObject>()
    for (const object of this.list(collection, namespace)) {
      const { namespace: ns, name } = metaOf(object)
      state.set(keyOf(ns, name), object)
    }
    for (let i = this.#history.length - 1; i >= 0; i -= 1) {
      const event = this.#history[i]
      if (event === undefined || event.revision <= revision) break
      if (event.collection !== collection) continue
      if (namespace !== undefined && event.namespace !== namespace) continue
      const key = keyOf(event.namespace, event.name)
      if (event.type === 'ADDED') state.delete(key)
      else if (event.previous !== undefined) state.set(key, event.previous)
    }
    return [...state.entries()]
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([, o]) => o)
  }

  /** Events newer than `revision`, or undefined when some of them are compacted. */
  eventsSince(revision: number): StoreEvent[] | undefined {
    this.#settle()
    if (revision < this.#compacted) return undefined
    const first = this.#history.findIndex((e) => e.revision > revision)
    return first === -1 ? [] : this.#history.slice(first)
  }

  /** Writes an object that already carries its new resourceVersion `revision`. */
  put(collection: string, object: JsonObject, revision: number): void {
    this.#settle()
    const { namespace, name } = metaOf(object)
    let items = this.#collections.get(collection)
    if (items === undefined) {
      items = new Map()
      this.#collections.set(collection, items)
    }
    const key = keyOf(namespace, name)
    const previous = items.get(key)
    items.set(key, object)
    this.#record(
      previous === undefined
        ? { type: 'ADDED', revision, collection, namespace, name, object }
        : { type: 'MODIFIED', revision, collection, namespace, name, object, previous },
    )
  }

  /** Removes an object; `object` is its final state, carrying the deletion's revision. */
  remove(collection: string, object: JsonObject, revision: number): void {
    this.#settle()
    const { namespace, name } = metaOf(object)
    const key = keyOf(namespace, name)
    const items = this.#collections.get(collection)
    const previous = items?.get(key)
    if (previous === undefined) return
    items?.delete(key)
    this.#record({ type: 'DELETED', revision, collection, namespace, name, object, previous })
  }

  /** Every object in a namespace, across collections (for the namespace controller). */
  inNamespace(namespace: string): { collection: string; object: JsonObject }[] {
    this.#settle()
    const out: { collection: string; object: JsonObject }[] = []
    for (const [collection, items] of this.#collections) {
      for (const [key, object] of items)
        if (key.startsWith(`${namespace}/`)) out.push({ collection, object })
    }
    return out
  }

  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.#subscribers.add(listener)
    return () => this.#subscribers.delete(listener)
  }

  /** Drops all history up to the current revision, as `etcdctl compact` does. */
  compact(): void {
    this.#settle()
    this.#history = []
    this.#compacted = this.#revision
  }

  #record(event: StoreEvent): void {
    this.#history.push(event)
    if (this.#history.length > this.#window) {
      // Drop a tenth of the window at once: amortized O(1) per write.
      const drop = this.#history.length - this.#window + Math.ceil(this.#window / 10)
      const last = this.#history[drop - 1]
      if (last !== undefined) this.#compacted = last.revision
      this.#history = this.#history.slice(drop)
    }
    if (!this.#settling) for (const listener of this.#subscribers) listener(event)
  }
}
