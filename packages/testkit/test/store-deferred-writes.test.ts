import { describe, expect, it } from 'vitest'
import type { JsonObject } from '../src/_json.js'
import { ObjectStore, type StoreEvent } from '../src/store.js'

// Writes deferred at start (the emulator's CRD objects, stored when first read) are seen exactly
// as writes made at once: every row runs the same steps on a store that wrote three CRDs at once
// and on one that deferred them, and compares everything each step observes.
const crds = 'apiextensions.k8s.io/customresourcedefinitions'
const objectOf = (name: string, revision: number): JsonObject => ({
  metadata: { name, resourceVersion: String(revision) },
})

type Step =
  | 'revision'
  | 'compacted'
  | 'list crds'
  | 'get crd'
  | 'list namespaces'
  | 'events since 1'
  | 'list crds at 3'
  | 'write a namespace'
  | 'remove a namespace'
  | 'subscribe'
  | 'compact'
  | 'namespace content'

function run(
  steps: readonly Step[],
  deferred: boolean,
  options: { historyWindow: number; subscribedBefore?: boolean },
): unknown[] {
  const store = new ObjectStore({ historyWindow: options.historyWindow })
  const seen: StoreEvent[][] = []
  const subscribe = (): void => {
    const events: StoreEvent[] = []
    seen.push(events)
    store.subscribe((event) => events.push(event))
  }
  const namespace = (name: string): void => {
    const revision = store.nextRevision()
    store.put('/namespaces', objectOf(name, revision), revision)
  }
  namespace('default')
  if (options.subscribedBefore === true) subscribe()
  const names = ['a.example.io', 'b.example.io', 'c.example.io']
  const write = (first: number): void =>
    names.forEach((name, i) => store.put(crds, objectOf(name, first + i + 1), first + i + 1))
  if (deferred) store.defer(crds, names.length, write)
  else write(store.revision)
  if (!deferred) for (let i = 0; i < names.length; i++) store.nextRevision()
  const observed: unknown[] = []
  for (const step of steps) {
    if (step === 'revision') observed.push(store.revision)
    else if (step === 'compacted') observed.push(store.compacted)
    else if (step === 'list crds') observed.push(store.list(crds))
    else if (step === 'get crd') observed.push(store.get(crds, '', 'b.example.io'))
    else if (step === 'list namespaces') observed.push(store.list('/namespaces'))
    else if (step === 'events since 1') observed.push(store.eventsSince(1))
    else if (step === 'list crds at 3') observed.push(store.listAt(crds, undefined, 3))
    else if (step === 'write a namespace') namespace('kube-system')
    else if (step === 'remove a namespace') {
      const revision = store.nextRevision()
      store.remove('/namespaces', objectOf('default', revision), revision)
    } else if (step === 'subscribe') subscribe()
    else if (step === 'compact') store.compact()
    else observed.push(store.inNamespace('default'))
  }
  observed.push(seen)
  return observed
}

describe('ObjectStore.defer', () => {
  it.each([
    { given: ['revision', 'list namespaces'] },
    { given: ['list crds', 'revision'] },
    { given: ['get crd', 'events since 1'] },
    { given: ['events since 1', 'list crds'] },
    { given: ['list crds at 3', 'compacted'] },
    { given: ['write a namespace', 'events since 1', 'list crds'] },
    { given: ['subscribe', 'write a namespace', 'list crds', 'events since 1'] },
    { given: ['subscribe', 'list crds', 'remove a namespace', 'revision'] },
    { given: ['compact', 'events since 1', 'revision', 'list crds'] },
    { given: ['namespace content', 'revision', 'compacted'] },
  ] satisfies { given: Step[] }[])('$given: as written at once', ({ given }) => {
    for (const historyWindow of [100, 2]) {
      const want = run(given, false, { historyWindow })
      expect(run(given, true, { historyWindow })).toEqual(want)
    }
  })

  it('with a subscriber already there, writes at once: it receives their events', () => {
    const steps: Step[] = ['revision', 'events since 1']
    const deferred = run(steps, true, { historyWindow: 100, subscribedBefore: true })
    expect(deferred).toEqual(run(steps, false, { historyWindow: 100, subscribedBefore: true }))
    expect((deferred.at(-1) as StoreEvent[][])[0]?.map((event) => event.name)).toEqual([
      'a.example.io',
      'b.example.io',
      'c.example.io',
    ])
  })
})
