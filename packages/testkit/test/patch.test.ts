import { describe, expect, it } from 'vitest'
import type { SchemaNode } from '../src/_schema.js'
import { jsonPatch, mergePatch, PatchError, strategicMergePatch } from '../src/patch.js'

// A Pod-shaped schema with the extensions the recorded specs carry on PodSpec.containers
// (merge by name), Container.ports (merge by containerPort) and metadata.finalizers (a
// merge set of strings).
const podSchema: SchemaNode = {
  document: {
    components: {
      schemas: {
        Container: {
          type: 'object',
          properties: {
            name: { type: 'string' },
            image: { type: 'string' },
            args: { type: 'array', items: { type: 'string' } },
            ports: {
              type: 'array',
              items: {
                type: 'object',
                properties: { containerPort: { type: 'integer' }, name: { type: 'string' } },
              },
              'x-kubernetes-patch-merge-key': 'containerPort',
              'x-kubernetes-patch-strategy': 'merge',
            },
          },
        },
      },
    },
  },
  schema: {
    type: 'object',
    properties: {
      metadata: {
        type: 'object',
        properties: {
          labels: { type: 'object', additionalProperties: { type: 'string' } },
          finalizers: {
            type: 'array',
            items: { type: 'string' },
            'x-kubernetes-patch-strategy': 'merge',
          },
        },
      },
      spec: {
        type: 'object',
        properties: {
          containers: {
            type: 'array',
            items: { allOf: [{ $ref: '#/components/schemas/Container' }] },
            'x-kubernetes-patch-merge-key': 'name',
            'x-kubernetes-patch-strategy': 'merge',
          },
          tolerations: { type: 'array', items: { type: 'object' } },
        },
      },
    },
  },
}

const pod = {
  metadata: { labels: { app: 'web' }, finalizers: ['a'] },
  spec: {
    containers: [
      { name: 'app', image: 'app:1', args: ['x'], ports: [{ containerPort: 80, name: 'http' }] },
      { name: 'side', image: 'side:1' },
    ],
    tolerations: [{ key: 't1' }],
  },
}

describe('mergePatch (RFC 7386)', () => {
  it.each([
    { given: { a: 'z' }, target: { a: 'b' }, want: { a: 'z' } },
    { given: { a: null }, target: { a: 'b', b: 'c' }, want: { b: 'c' } },
    { given: { a: { b: 'c' } }, target: { a: [1] }, want: { a: { b: 'c' } } },
    { given: { e: null, a: 1 }, target: {}, want: { a: 1 } },
    { given: ['c'], target: { a: 'b' }, want: ['c'] },
  ])('RFC 7386 appendix: $given onto $target', ({ given, target, want }) => {
    expect(mergePatch(target, given)).toEqual(want)
  })
})

describe('jsonPatch (RFC 6902)', () => {
  it.each([
    {
      given: [{ op: 'add', path: '/baz', value: 'qux' }],
      target: { foo: 'bar' },
      want: { foo: 'bar', baz: 'qux' },
    },
    {
      given: [{ op: 'add', path: '/foo/1', value: 'qux' }],
      target: { foo: ['bar', 'baz'] },
      want: { foo: ['bar', 'qux', 'baz'] },
    },
    {
      given: [{ op: 'add', path: '/foo/-', value: 'z' }],
      target: { foo: ['a'] },
      want: { foo: ['a', 'z'] },
    },
    {
      given: [{ op: 'remove', path: '/baz' }],
      target: { baz: 'qux', foo: 'bar' },
      want: { foo: 'bar' },
    },
    {
      given: [{ op: 'replace', path: '/baz', value: 'boo' }],
      target: { baz: 'qux' },
      want: { baz: 'boo' },
    },
    {
      given: [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }],
      target: { foo: { waldo: 'fred' }, qux: {} },
      want: { foo: {}, qux: { thud: 'fred' } },
    },
    {
      given: [{ op: 'copy', from: '/a', path: '/b' }],
      target: { a: [1] },
      want: { a: [1], b: [1] },
    },
    { given: [{ op: 'test', path: '/a~1b', value: 1 }], target: { 'a/b': 1 }, want: { 'a/b': 1 } },
  ])('$given', ({ given, target, want }) => {
    expect(jsonPatch(target, given)).toEqual(want)
  })

  it.each([
    {
      given: [{ op: 'remove', path: '/missing' }],
      want: 'remove operation does not apply: doc is missing key: /missing: missing value',
    },
    {
      given: [{ op: 'replace', path: '/missing', value: 1 }],
      want: 'replace operation does not apply: doc is missing key: /missing: missing value',
    },
    { given: [{ op: 'test', path: '/a', value: 2 }], want: 'testing value /a failed: test failed' },
    {
      given: [{ op: 'add', path: '/x/y', value: 1 }],
      want: 'add operation does not apply: doc is missing path: "/x/y": missing value',
    },
  ])('refuses $given', ({ given, want }) => {
    expect(() => jsonPatch({ a: 1 }, given)).toThrow(new PatchError(want))
  })
})

describe('strategicMergePatch', () => {
  it.each([
    {
      given: 'a new container merged by name, an existing one updated in place',
      patch: {
        spec: {
          containers: [
            { name: 'side', image: 'side:2' },
            { name: 'new', image: 'n:1' },
          ],
        },
      },
      want: (p: typeof pod) => p.spec.containers.map((c) => `${c.name}=${c.image}`),
      result: ['app=app:1', 'side=side:2', 'new=n:1'],
    },
    {
      given: '$patch: delete on a list element',
      patch: { spec: { containers: [{ name: 'side', $patch: 'delete' }] } },
      want: (p: typeof pod) => p.spec.containers.map((c) => c.name),
      result: ['app'],
    },
    {
      given: 'nested merge by containerPort',
      patch: {
        spec: { containers: [{ name: 'app', ports: [{ containerPort: 443, name: 'https' }] }] },
      },
      want: (p: typeof pod) => p.spec.containers[0]?.ports?.map((x) => x.containerPort),
      result: [80, 443],
    },
    {
      given: 'a list without a patch strategy is replaced',
      patch: { spec: { containers: [{ name: 'app', args: ['y'] }], tolerations: [{ key: 't2' }] } },
      want: (p: typeof pod) => [p.spec.containers[0]?.args, p.spec.tolerations],
      result: [['y'], [{ key: 't2' }]],
    },
    {
      given: 'a merge set of primitives unions, $deleteFromPrimitiveList removes',
      patch: { metadata: { finalizers: ['b'], '$deleteFromPrimitiveList/finalizers': ['a'] } },
      want: (p: typeof pod) => p.metadata.finalizers,
      result: ['b'],
    },
    {
      given: '$patch: replace on a map, null deletes a key, $setElementOrder is dropped',
      patch: {
        metadata: { labels: { $patch: 'replace', tier: 'x' } },
        spec: {
          '$setElementOrder/containers': [{ name: 'side' }, { name: 'app' }],
          tolerations: null,
        },
      },
      want: (p: typeof pod) => [p.metadata.labels, p.spec.tolerations, Object.keys(p.spec)],
      result: [{ tier: 'x' }, undefined, ['containers']],
    },
  ])('$given', ({ patch, want, result }) => {
    const patched = strategicMergePatch(structuredClone(pod), patch, podSchema) as typeof pod
    expect(want(patched)).toEqual(result)
  })

  it('an element without its merge key is refused', () => {
    expect(() =>
      strategicMergePatch(pod, { spec: { containers: [{ image: 'x' }] } }, podSchema),
    ).toThrow(/does not contain declared merge key: name/)
  })
})
