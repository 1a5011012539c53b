import { describe, expect, it } from 'vitest'
import { validateObject } from '../src/validation.js'

// What validation keeps unchanged is the caller's own object (a stored 1,000-CRD set is not a
// second copy of the CRD files); what it prunes is a copy, and the input is never written.
const schema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        name: { type: 'string' },
        ports: {
          type: 'array',
          items: { type: 'object', properties: { port: { type: 'integer' } } },
        },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
      },
    },
    status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
  },
}
const document = { components: { schemas: { T: schema } } }

describe('validateObject keeps what it does not change', () => {
  it.each([
    {
      given: { spec: { name: 'a', ports: [{ port: 1 }], labels: { x: 'y' } }, status: { any: 1 } },
      want: {
        object: {
          spec: { name: 'a', ports: [{ port: 1 }], labels: { x: 'y' } },
          status: { any: 1 },
        },
        unknown: [],
        same: ['', 'spec', 'spec.ports', 'spec.ports.0', 'spec.labels', 'status'],
      },
    },
    {
      given: { spec: { name: 'a', ports: [{ port: 1 }, { port: 2, extra: true }] }, status: {} },
      want: {
        object: { spec: { name: 'a', ports: [{ port: 1 }, { port: 2 }] }, status: {} },
        unknown: ['spec.ports[1].extra'],
        same: ['spec.ports.0', 'status'],
      },
    },
    {
      given: { spec: { extra: 1, labels: { x: 'y' } }, kept: 'no' },
      want: {
        object: { spec: { labels: { x: 'y' } } },
        unknown: ['spec.extra', 'kept'],
        same: ['spec.labels'],
      },
    },
  ])('$given', ({ given, want }) => {
    const before = structuredClone(given)
    const result = validateObject(document, schema, given)
    expect(given).toStrictEqual(before)
    expect(result.object).toStrictEqual(want.object)
    expect(result.unknown).toEqual(want.unknown)
    expect(result.causes).toEqual([])
    const at = (root: unknown, path: string): unknown =>
      path === ''
        ? root
        : path
            .split('.')
            .reduce<unknown>(
              (node, key) =>
                typeof node === 'object' && node !== null
                  ? (node as Record<string, unknown>)[key]
                  : undefined,
              root,
            )
    const paths = ['', 'spec', 'spec.ports', 'spec.ports.0', 'spec.labels', 'status']
    for (const path of paths) {
      if (at(given, path) === undefined) continue
      expect([path, at(result.object, path) === at(given, path)]).toEqual([
        path,
        want.same.includes(path),
      ])
    }
  })
})
