// What `kubectl apply --server-side` leaves in the last-applied annotation of an object that
// client-side `kubectl apply` made (apimachinery managedfields/internal lastappliedupdater.go).
import { describe, expect, it } from 'vitest'
import { lastAppliedAnnotation, syncLastApplied } from '../src/last-applied.js'

const object = (annotations: Record<string, string>): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'c', annotations },
  data: { a: '1' },
})
const old = '{"apiVersion":"v1","kind":"ConfigMap"}\n'

describe('syncLastApplied', () => {
  it.each([
    {
      given: 'kubectl applies: the configuration, keys sorted, without the annotation itself',
      manager: 'kubectl',
      annotations: { [lastAppliedAnnotation]: old },
      config: {
        kind: 'ConfigMap',
        apiVersion: 'v1',
        metadata: { name: 'c', annotations: { [lastAppliedAnnotation]: 'x', note: 'y' } },
        data: { b: '2', a: '1' },
      },
      want: `{"apiVersion":"v1","data":{"a":"1","b":"2"},"kind":"ConfigMap","metadata":{"annotations":{"note":"y"},"name":"c"}}\n`,
    },
    {
      given: "Go's JSON encoder escapes <, > and & (SetEscapeHTML)",
      manager: 'kubectl',
      annotations: { [lastAppliedAnnotation]: old },
      config: { apiVersion: 'v1', kind: 'ConfigMap', data: { url: '<a href="?x=1&y=2">' } },
      want: `{"apiVersion":"v1","data":{"url":"\\u003ca href=\\"?x=1\\u0026y=2\\"\\u003e"},"kind":"ConfigMap"}\n`,
    },
    {
      given: 'another field manager: the annotation stays as it was',
      manager: 'my-tool',
      annotations: { [lastAppliedAnnotation]: old },
      config: { apiVersion: 'v1', kind: 'ConfigMap', data: { a: '2' } },
      want: old,
    },
    {
      given: 'an object without the annotation gets none',
      manager: 'kubectl',
      annotations: {},
      config: { apiVersion: 'v1', kind: 'ConfigMap', data: { a: '2' } },
      want: undefined,
    },
    {
      given: 'annotations past 256 KiB with it: it is dropped (lastapplied.go SetLastApplied)',
      manager: 'kubectl',
      annotations: { [lastAppliedAnnotation]: old },
      config: { apiVersion: 'v1', kind: 'ConfigMap', data: { big: 'x'.repeat(256 * 1024) } },
      want: undefined,
    },
  ])('$given', ({ manager, annotations, config, want }) => {
    const live = object(annotations)
    syncLastApplied(manager, live, config)
    const meta = live['metadata'] as { annotations: Record<string, string> }
    expect(meta.annotations[lastAppliedAnnotation]).toBe(want)
  })
})
