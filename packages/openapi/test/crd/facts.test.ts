import { describe, expect, it } from 'vitest'
import { crdDeprecationWarning, crdResourceFacts } from '../../src/crd/facts.js'
import type { CrdVersion, CustomResourceDefinition } from '../../src/crd/types.js'

const version = (name: string, more: Partial<CrdVersion> = {}): CrdVersion => ({
  name,
  served: true,
  storage: false,
  schema: { type: 'object' },
  ...more,
})

function crd(versions: CrdVersion[]): CustomResourceDefinition {
  return {
    name: 'widgets.example.dev',
    group: 'example.dev',
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
    versions,
    preserveUnknownFields: false,
  }
}

// apiextensions-apiserver pkg/apiserver/customresource_handler.go defaultDeprecationWarning: the
// text names the highest served, non-deprecated version that ranks above the deprecated one.
const rows: { name: string; given: CrdVersion[]; want: string | undefined }[] = [
  { name: 'not deprecated', given: [version('v1', { storage: true })], want: undefined },
  {
    name: 'its own warning',
    given: [
      version('v1', { storage: true }),
      version('v1beta1', { deprecated: true, deprecationWarning: 'use v1, v1beta1 goes in 1.40' }),
    ],
    want: 'use v1, v1beta1 goes in 1.40',
  },
  {
    name: 'no newer version',
    given: [version('v1', { deprecated: true, storage: true })],
    want: 'example.dev/v1 Widget is deprecated',
  },
  {
    name: 'the highest newer version',
    given: [
      version('v1beta1', { deprecated: true }),
      version('v1beta2', { storage: true }),
      version('v1'),
    ],
    want: 'example.dev/v1beta1 Widget is deprecated; use example.dev/v1 Widget',
  },
  {
    name: 'not an older version',
    given: [version('v1alpha1'), version('v1beta1', { deprecated: true, storage: true })],
    want: 'example.dev/v1beta1 Widget is deprecated',
  },
  {
    name: 'not an unserved or deprecated newer version',
    given: [
      version('v1beta1', { deprecated: true, storage: true }),
      version('v2', { served: false }),
      version('v1', { deprecated: true }),
      version('v1beta2'),
    ],
    want: 'example.dev/v1beta1 Widget is deprecated; use example.dev/v1beta2 Widget',
  },
]

// customresource_handler_test.go Test_defaultDeprecationWarning, row for row (its CRDs are
// example.com Widgets; the deprecated version need not be listed).
const upstream: {
  name: string
  given: { deprecated: string; versions: CrdVersion[] }
  want: string
}[] = [
  {
    name: 'no replacement',
    given: {
      deprecated: 'v1',
      versions: [
        version('v1', { deprecated: true }),
        version('v2', { deprecated: true }),
        version('v3', { served: false }),
      ],
    },
    want: 'example.com/v1 Widget is deprecated',
  },
  {
    name: 'replacement sorting',
    given: {
      deprecated: 'v1',
      versions: [
        ...['v1', 'v1alpha1', 'v1alpha2', 'v1beta1', 'v1beta2', 'v2', 'v2alpha1', 'v2alpha2'].map(
          (n) => version(n),
        ),
        ...['v2beta1', 'v2beta2'].map((n) => version(n)),
        ...['v3', 'v3alpha1', 'v3alpha2', 'v3beta1', 'v3beta2'].map((n) =>
          version(n, { served: false }),
        ),
      ],
    },
    want: 'example.com/v1 Widget is deprecated; use example.com/v2 Widget',
  },
  {
    name: 'no newer replacement of equal stability',
    given: {
      deprecated: 'v2',
      versions: [
        version('v1'),
        version('v3', { served: false }),
        version('v3alpha1'),
        version('v3beta1'),
        version('v4', { deprecated: true }),
      ],
    },
    want: 'example.com/v2 Widget is deprecated',
  },
]

describe('crdDeprecationWarning', () => {
  it.each(upstream)('upstream: $name', ({ given, want }) => {
    const c = { ...crd(given.versions), group: 'example.com' }
    expect(crdDeprecationWarning(c, version(given.deprecated, { deprecated: true }))).toBe(want)
  })

  it.each(rows)('$name', ({ given, want }) => {
    const c = crd(given)
    const deprecated = given.find((v) => v.deprecated === true) ?? given[0]
    expect(crdDeprecationWarning(c, deprecated as CrdVersion)).toBe(want)
  })
})

describe('crdResourceFacts', () => {
  it('takes the printer columns field by field, and the warning', () => {
    const v = version('v1beta1', {
      deprecated: true,
      additionalPrinterColumns: [
        { name: 'Ready', type: 'string', jsonPath: '.status.ready', format: '' },
        { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', priority: 1 },
        {
          name: 'Size',
          type: 'integer',
          jsonPath: '.spec.size',
          format: 'int32',
          description: 'd',
        },
      ],
    })
    expect(crdResourceFacts(crd([v, version('v1', { storage: true })]), v)).toEqual({
      name: 'widgets',
      kind: 'Widget',
      deprecationWarning: 'example.dev/v1beta1 Widget is deprecated; use example.dev/v1 Widget',
      printerColumns: [
        { name: 'Ready', type: 'string', jsonPath: '.status.ready' },
        { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', priority: 1 },
        {
          name: 'Size',
          type: 'integer',
          jsonPath: '.spec.size',
          format: 'int32',
          description: 'd',
        },
      ],
    })
  })

  it('has neither for a current version without columns', () => {
    const v = version('v1', { storage: true, additionalPrinterColumns: [] })
    expect(crdResourceFacts(crd([v]), v)).toEqual({ name: 'widgets', kind: 'Widget' })
  })
})
