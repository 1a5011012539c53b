// Internal: the last state of every object a watch delivered, so that a relist can be turned
// into events — what vanished is DELETED with its last state, as client-go's DeltaFIFO.Replace
// reads it from its knownObjects store (`tools/cache/delta_fifo.go`). Kept by namespace, then
// name (the identity of `keyOf`), so an event costs no key string; a state is the JSON text it
// came in (`{"object":…}`: an event line, or a listed item), parsed again only when needed.
import { nameOf, namespaceOf } from './_identity.js'

/** Last states by identity; see the file comment. */
export class LastStates {
  readonly #byNamespace = new Map<string, Map<string, string>>()

  /** The kept text of the object with `object`'s namespace and name. */
  get(object: unknown): string | undefined {
    return this.#byNamespace.get(namespaceOf(object))?.get(nameOf(object))
  }

  /** Keeps `text` as the last state of the object with `object`'s namespace and name. */
  set(object: unknown, text: string): void {
    const namespace = namespaceOf(object)
    let names = this.#byNamespace.get(namespace)
    if (names === undefined) this.#byNamespace.set(namespace, (names = new Map<string, string>()))
    names.set(nameOf(object), text)
  }

  /** Forgets the object with `object`'s namespace and name. */
  delete(object: unknown): void {
    const namespace = namespaceOf(object)
    const names = this.#byNamespace.get(namespace)
    if (names === undefined) return
    names.delete(nameOf(object))
    if (names.size === 0) this.#byNamespace.delete(namespace)
  }

  /** Takes `next`'s states (`next` is emptied); returns the texts of the objects it lacks. */
  replace(next: LastStates): string[] {
    const vanished: string[] = []
    for (const [namespace, names] of this.#byNamespace) {
      const kept = next.#byNamespace.get(namespace)
      for (const [name, text] of names) if (kept?.has(name) !== true) vanished.push(text)
    }
    this.#byNamespace.clear()
    for (const [namespace, names] of next.#byNamespace) this.#byNamespace.set(namespace, names)
    next.#byNamespace.clear()
    return vanished
  }
}
