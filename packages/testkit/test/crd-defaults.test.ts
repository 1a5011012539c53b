// The defaults kube-apiserver's decoder gives a CRD (apiextensions-apiserver
// pkg/apis/apiextensions/v1/defaults.go, v1beta1/defaults.go as 1.13 had them).
import { describe, expect, it } from 'vitest'
import { crdWithDefaults } from '../src/crd-defaults.js'

const spec = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  group: 'example.dev',
  names: { plural: 'widgets', kind: 'Widget' },
  scope: 'Namespaced',
  versions: [{ name: 'v1', served: true, storage: true }],
  ...extra,
})

const rows: { given: { version: string; spec: Record<string, unknown> }; want: unknown }[] = [
  {
    given: { version: 'v1', spec: spec() },
    want: {
      ...spec(),
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
      conversion: { strategy: 'None' },
    },
  },
  {
    // A name the user gave is kept; no listKind without a kind (validation then names both).
    given: { version: 'v1', spec: spec({ names: { plural: 'widgets', singular: 'w' } }) },
    want: {
      ...spec(),
      names: { plural: 'widgets', singular: 'w' },
      conversion: { strategy: 'None' },
    },
  },
  {
    given: {
      version: 'v1',
      spec: spec({
        conversion: {
          strategy: 'Webhook',
          webhook: {
            clientConfig: { service: { namespace: 'n', name: 's' } },
            conversionReviewVersions: ['v1'],
          },
        },
      }),
    },
    want: {
      ...spec(),
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
      conversion: {
        strategy: 'Webhook',
        webhook: {
          clientConfig: { service: { namespace: 'n', name: 's', port: 443 } },
          conversionReviewVersions: ['v1'],
        },
      },
    },
  },
  {
    // v1beta1 (1.13): scope, and versions from the deprecated `version`.
    given: {
      version: 'v1beta1',
      spec: { group: 'example.dev', names: { plural: 'widgets', kind: 'Widget' }, version: 'v1' },
    },
    want: {
      group: 'example.dev',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
      version: 'v1',
      scope: 'Namespaced',
      versions: [{ name: 'v1', served: true, storage: true }],
      conversion: { strategy: 'None' },
    },
  },
  {
    given: {
      version: 'v1beta1',
      spec: spec({ versions: [{ name: 'v2', served: true, storage: true }] }),
    },
    want: {
      ...spec({ versions: [{ name: 'v2', served: true, storage: true }] }),
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
      version: 'v2',
      conversion: { strategy: 'None' },
    },
  },
]

describe('crdWithDefaults', () => {
  it.each(rows)('$given.version $given.spec', ({ given, want }) => {
    expect(crdWithDefaults({ spec: given.spec }, given.version)).toEqual({ spec: want })
  })

  it('returns the object itself when it lacks no default (a caller tells nothing changed)', () => {
    const crd = { spec: (rows[0]?.want ?? {}) as Record<string, unknown> }
    expect(crdWithDefaults(crd, 'v1')).toBe(crd)
  })
})
