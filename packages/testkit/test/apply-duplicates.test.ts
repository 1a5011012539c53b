import { describe, expect, it } from 'vitest'
import type { SchemaNode } from '../src/_schema.js'
import { duplicateEntries } from '../src/apply-duplicates.js'

// The associative-list errors of an applied configuration, as structured-merge-diff
// `typed/validate.go` visitListItems reports them; the expected texts are kube-apiserver
// v1.37.2's (a CRD with these lists, applied with each configuration).
const node: SchemaNode = {
  document: {},
  schema: {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: {
          tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
          ports: {
            type: 'array',
            'x-kubernetes-list-type': 'map',
            'x-kubernetes-list-map-keys': ['port', 'protocol'],
            items: {
              type: 'object',
              properties: {
                port: { type: 'integer' },
                protocol: { type: 'string', default: 'TCP' },
                hosts: { type: 'array', 'x-kubernetes-list-type': 'set', items: {} },
              },
            },
          },
          steps: {
            type: 'array',
            'x-kubernetes-list-type': 'atomic',
            items: {
              type: 'object',
              properties: {
                tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: {} },
              },
            },
          },
          users: {
            type: 'array',
            'x-kubernetes-list-type': 'map',
            'x-kubernetes-list-map-keys': ['name'],
            items: {
              type: 'object',
              required: ['name'],
              properties: { name: { type: 'string' }, role: { type: 'string' } },
            },
          },
          args: { type: 'array', items: { type: 'string' } },
        },
      },
    },
  },
}

describe('duplicateEntries', () => {
  it.each<{ given: Record<string, unknown>; want: string[] }>([
    { given: { tags: ['a', 'b'], ports: [{ port: 1 }, { port: 2 }] }, want: [] },
    { given: { tags: ['a', 'b', 'a'] }, want: ['.spec.tags: duplicate entries for key [="a"]'] },
    // A number and a string of the same digits are two values.
    { given: { tags: [1, '1'] }, want: [] },
    // A key field the item omits takes its schema default: {port: 1} is {port: 1, protocol: TCP}.
    {
      given: {
        ports: [
          { port: 1 },
          { port: 1, protocol: 'TCP' },
          { port: 2 },
          { port: 2, protocol: 'UDP' },
        ],
      },
      want: ['.spec.ports: duplicate entries for key [port=1,protocol="TCP"]'],
    },
    // Reported at the second item, before the walk descends into it; nested paths name the item.
    {
      given: {
        ports: [
          { port: 1, hosts: ['h', 'h'] },
          { port: 1, hosts: ['x', 'x'] },
        ],
      },
      want: [
        '.spec.ports[port=1,protocol="TCP"].hosts: duplicate entries for key [="h"]',
        '.spec.ports: duplicate entries for key [port=1,protocol="TCP"]',
        '.spec.ports[port=1,protocol="TCP"].hosts: duplicate entries for key [="x"]',
      ],
    },
    // Inside an atomic list the items are walked by index; the atomic list itself may repeat.
    {
      given: { steps: [{ tags: ['t', 't'] }, { tags: ['t', 't'] }], args: ['x', 'x'] },
      want: [
        '.spec.steps[0].tags: duplicate entries for key [="t"]',
        '.spec.steps[1].tags: duplicate entries for key [="t"]',
      ],
    },
    // A key field's default alone is a key (the server's validation then wants `port`).
    { given: { ports: [{ port: 3 }, { hosts: [] }] }, want: [] },
    // An item that can have no key ends the list's walk.
    {
      given: { users: [{ name: 'a' }, { role: 'r' }, { name: 'a' }] },
      want: [
        '.spec.users: element 1: associative list with keys has an element that omits all key fields ["name"] (and doesn\'t have default values for any key fields)',
      ],
    },
    {
      given: { ports: [null] },
      want: ['.spec.ports: element 0: associative list with keys may not have a null element'],
    },
    {
      given: { ports: ['p'] },
      want: ['.spec.ports: element 0: associative list with keys may not have non-map elements'],
    },
    {
      given: { tags: ['a', { b: 1 }, 'a'] },
      want: [
        ".spec.tags: element 1: associative list without keys has an element that's a map type",
      ],
    },
    {
      given: { tags: [['a']] },
      want: ['.spec.tags: element 0: not supported: associative list with lists as elements'],
    },
    {
      given: { tags: [null] },
      want: [
        ".spec.tags: element 0: associative list without keys has an element that's an explicit null",
      ],
    },
  ])('$given → $want', ({ given, want }) => {
    expect(duplicateEntries({ spec: given }, node)).toEqual(want)
  })
})
