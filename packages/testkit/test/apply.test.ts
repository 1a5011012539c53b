import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SchemaNode } from '../src/_schema.js'
import { applyConfiguration, ApplyConflictError } from '../src/apply.js'
import {
  decodeFieldsV1,
  encodeFieldsV1,
  fieldSetOf,
  type ManagedFieldsEntry,
} from '../src/managed-fields.js'
import { startApiServer, type ApiServer } from '../src/index.js'
import { json, send } from './_client.js'

// Server-side apply after structured-merge-diff's `merge` tests: ownership of fields, of map
// entries and of list entries keyed by `x-kubernetes-list-map-keys`.
const node: SchemaNode = {
  document: {},
  schema: {
    type: 'object',
    properties: {
      metadata: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          labels: { type: 'object', additionalProperties: { type: 'string' } },
        },
      },
      spec: {
        type: 'object',
        properties: {
          replicas: { type: 'integer' },
          ports: {
            type: 'array',
            'x-kubernetes-list-type': 'map',
            'x-kubernetes-list-map-keys': ['port', 'protocol'],
            items: {
              type: 'object',
              properties: {
                port: { type: 'integer' },
                protocol: { type: 'string' },
                name: { type: 'string' },
              },
            },
          },
          args: { type: 'array', items: { type: 'string' } },
        },
      },
    },
  },
}

const apply = (
  live: Record<string, unknown> | undefined,
  config: Record<string, unknown>,
  manager: string,
  entries: ManagedFieldsEntry[],
  force = false,
): ReturnType<typeof applyConfiguration> =>
  applyConfiguration(live, config, node, manager, 'v1', force, undefined, entries)

describe('field sets', () => {
  it('encode FieldsV1 as the apiserver does: maps and list entries carry ".", structs do not', () => {
    const set = fieldSetOf(
      {
        apiVersion: 'v1',
        kind: 'X',
        metadata: { name: 'n', labels: { a: 'b' } },
        spec: { replicas: 1, ports: [{ port: 80, protocol: 'TCP', name: 'http' }], args: ['x'] },
      },
      node,
      'all',
    )
    expect(encodeFieldsV1(set)).toEqual({
      'f:metadata': { 'f:labels': { '.': {}, 'f:a': {} } },
      'f:spec': {
        'f:args': {},
        'f:ports': {
          'k:{"port":80,"protocol":"TCP"}': {
            '.': {},
            'f:name': {},
            'f:port': {},
            'f:protocol': {},
          },
        },
        'f:replicas': {},
      },
    })
    expect(decodeFieldsV1(encodeFieldsV1(set))).toEqual(set)
  })
})

describe('field sets of an applied configuration (typed ToFieldSet)', () => {
  // structured-merge-diff typed/tofieldset.go visitMapItems: a map is a member only when it is
  // empty or its parent does not declare it (kube-apiserver's Apply entries: `f:labels` without
  // `.`, helm's every release object).
  it.each([
    {
      given: 'labels, a declared field holding a granular map',
      config: { metadata: { labels: { a: 'b' } } },
      want: { 'f:metadata': { 'f:labels': { 'f:a': {} } } },
    },
    {
      given: 'an empty map',
      config: { metadata: { labels: {} } },
      want: { 'f:metadata': { 'f:labels': {} } },
    },
    {
      given: 'a list-map entry, a member with its fields',
      config: { spec: { ports: [{ port: 80, protocol: 'TCP' }] } },
      want: {
        'f:spec': {
          'f:ports': {
            'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:port': {}, 'f:protocol': {} },
          },
        },
      },
    },
  ])('$given', ({ config, want }) => {
    expect(encodeFieldsV1(fieldSetOf(config, node, 'all', new Set()))).toEqual(want)
  })
})

describe('applyConfiguration', () => {
  it.each([
    {
      given: 'two appliers setting the same field to different values',
      config: { spec: { replicas: 3 } },
      want: 'Apply failed with 1 conflict: conflict with "alice": .spec.replicas',
      member: ['f:spec', 'f:replicas'],
    },
    {
      given: 'a map entry owned by another applier',
      config: { metadata: { labels: { team: 'b' } } },
      want: 'Apply failed with 1 conflict: conflict with "alice": .metadata.labels.team',
      member: ['f:metadata', 'f:labels', 'f:team'],
    },
    {
      given: 'a field of a list entry keyed by port and protocol',
      config: { spec: { ports: [{ port: 80, protocol: 'TCP', name: 'web' }] } },
      want: 'Apply failed with 1 conflict: conflict with "alice": .spec.ports[port=80,protocol="TCP"].name',
      member: ['f:spec', 'f:ports', 'k:{"port":80,"protocol":"TCP"}', 'f:name'],
    },
  ])('conflicts on $given', ({ config, want, member }) => {
    const first = apply(
      undefined,
      {
        metadata: { labels: { team: 'a' } },
        spec: { replicas: 1, ports: [{ port: 80, protocol: 'TCP', name: 'http' }] },
      },
      'alice',
      [],
    )
    let caught: unknown
    try {
      apply(first.object, config, 'bob', first.managedFields)
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(ApplyConflictError)
    expect((caught as Error).message).toBe(want)
    // With force the field changes hands.
    const owned = (entries: ManagedFieldsEntry[], manager: string): boolean =>
      decodeFieldsV1(entries.find((e) => e.manager === manager)?.fieldsV1).has(
        JSON.stringify(member),
      )
    expect(owned(first.managedFields, 'alice')).toBe(true)
    const forced = apply(first.object, config, 'bob', first.managedFields, true)
    expect(owned(forced.managedFields, 'alice')).toBe(false)
    expect(owned(forced.managedFields, 'bob')).toBe(true)
  })

  it('the same value is shared ownership, not a conflict; a different list entry merges', () => {
    const first = apply(
      undefined,
      { spec: { replicas: 1, ports: [{ port: 80, protocol: 'TCP' }] } },
      'alice',
      [],
    )
    const second = apply(
      first.object,
      { spec: { replicas: 1, ports: [{ port: 443, protocol: 'TCP' }] } },
      'bob',
      first.managedFields,
    )
    expect(second.object).toEqual({
      spec: {
        replicas: 1,
        ports: [
          { port: 80, protocol: 'TCP' },
          { port: 443, protocol: 'TCP' },
        ],
      },
    })
    expect(second.managedFields.map((e) => e.manager)).toEqual(['alice', 'bob'])
  })

  it('a field the applier drops is removed unless another manager owns it', () => {
    const first = apply(
      undefined,
      { metadata: { labels: { a: '1', b: '2' } }, spec: { args: ['x'] } },
      'alice',
      [],
    )
    const shared = apply(
      first.object,
      { metadata: { labels: { b: '2' } } },
      'bob',
      first.managedFields,
    )
    const dropped = apply(shared.object, { spec: { args: ['x'] } }, 'alice', shared.managedFields)
    expect(dropped.object).toEqual({ metadata: { labels: { b: '2' } }, spec: { args: ['x'] } })
  })
})

describe('server-side apply over HTTP (application/apply-patch+yaml)', () => {
  let server: ApiServer
  beforeAll(async () => {
    server = await startApiServer({ http: true })
  })
  afterAll(() => server.close())
  const path = '/api/v1/namespaces/default/configmaps/ssa'
  const yaml = (value: string): string =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n  key: ${value}\n`
  const applyAs = (manager: string, value: string, force = false) =>
    send(
      server,
      'PATCH',
      `${path}?fieldManager=${manager}${force ? '&force=true' : ''}`,
      yaml(value),
      {
        'content-type': 'application/apply-patch+yaml',
      },
    )

  it('creates (201), conflicts with another manager (409 with causes), and force takes over (200)', async () => {
    expect((await applyAs('alice', 'one')).status).toBe(201)
    const conflict = await applyAs('bob', 'two')
    expect(conflict.status).toBe(409)
    expect(json(conflict)).toMatchObject({
      kind: 'Status',
      reason: 'Conflict',
      code: 409,
      message: 'Apply failed with 1 conflict: conflict with "alice": .data.key',
      details: {
        causes: [
          {
            reason: 'FieldManagerConflict',
            message: 'conflict with "alice"',
            field: '.data.key',
          },
        ],
      },
    })
    const forced = await applyAs('bob', 'two', true)
    expect(forced.status).toBe(200)
    expect(json(forced)).toMatchObject({ data: { key: 'two' } })
  })

  it('an update by another client takes the field from the applier without a conflict', async () => {
    const updated = await send(
      server,
      'PATCH',
      `${path}?fieldManager=editor`,
      { data: { key: 'three' } },
      {
        'content-type': 'application/merge-patch+json',
      },
    )
    const managers = (
      json(updated) as { metadata: { managedFields: ManagedFieldsEntry[] } }
    ).metadata.managedFields.map((e) => `${e.manager}/${e.operation}`)
    expect(managers).toContain('editor/Update')
    const again = await applyAs('bob', 'four')
    expect(json(again)).toMatchObject({
      message: 'Apply failed with 1 conflict: conflict with "editor" using v1: .data.key',
    })
  })

  it('apply needs a fieldManager (422) and force is only for apply (422)', async () => {
    const noManager = await send(server, 'PATCH', path, yaml('x'), {
      'content-type': 'application/apply-patch+yaml',
    })
    expect(json(noManager)).toMatchObject({
      code: 422,
      details: { causes: [{ field: 'fieldManager' }] },
    })
    const forceMerge = await send(
      server,
      'PATCH',
      `${path}?force=true`,
      {},
      { 'content-type': 'application/merge-patch+json' },
    )
    expect(json(forceMerge)).toMatchObject({ code: 422, details: { causes: [{ field: 'force' }] } })
  })
})
