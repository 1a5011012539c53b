// The same custom resources sent to a real kube-apiserver (dryRun=All) and to validateObject give
// the same causes, cause for cause. Needs the binary of `npm run apiserver:build` (or envtest's):
// skipped, saying so, without one.
import { fileURLToPath } from 'node:url'
import { findRealApiServer, startRealApiServer, type RealApiServer } from '@k8s-codegen/testkit'
import { call, publishedDocument } from './_real-apiserver.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  findUnknownFields,
  validateObject,
  type OpenApiDocument,
  type Status,
} from '../src/index.js'
import { crdFile, sortedCauses, widget } from './_widgets.js'
import { formatFields, formatRows } from './_formats.js'

const gadgetsCrdFile = fileURLToPath(new URL('fixtures/gadgets-crd.json', import.meta.url))
const stampsCrdFile = fileURLToPath(new URL('fixtures/stamps-crd.json', import.meta.url))
const gadget = (spec: unknown): unknown => ({
  apiVersion: 'example.com/v1',
  kind: 'Gadget',
  metadata: { name: 'g' },
  spec,
})

const backend = findRealApiServer()
if (backend === undefined) {
  console.warn('real-apiserver-oracle: skipped, no kube-apiserver binary (npm run apiserver:build)')
}

const objects: unknown[] = [
  widget({ host: 'example' }),
  widget(undefined),
  widget({ host: 'example' }, { name: 'Bad_Name' }),
  widget({ host: 'example' }, { generateName: 'w-' }),
  widget(
    { host: 'example' },
    {
      name: 'w',
      labels: { 'a/b/c': 'x', '-bad': 'v'.repeat(64), '/n': '', 'Example.com/ok': 'a.b' },
    },
  ),
  widget({ host: 'example' }, { name: 'w', labels: { ['p'.repeat(254) + '/n']: 'bad value!' } }),
  widget(
    { host: 'example' },
    {
      name: 'w',
      annotations: { 'Example.COM/Fine': 'x', 'bad key': 'y', big: 'z'.repeat(262141) },
    },
  ),
  widget(
    { host: 'example' },
    { name: 'w', finalizers: ['orphan', 'foregroundDeletion', 'bad finalizer', 'example.com/ok'] },
  ),
  widget({
    host: 'ab',
    replicas: 7,
    ratio: 0.7,
    step: 4,
    mode: 'medium',
    port: true,
    note: null,
    id: 'nope',
    day: '2021-02-30',
  }),
  widget({ host: 'UPPER', replicas: '3', ratio: -1, tags: [], labels: {} }),
  widget({
    host: 'abcdefghijkl',
    replicas: 3000000000,
    step: 1.5,
    ratio: 1e30,
    x: 1,
    extra: { y: { z: 1 } },
  }),
  widget({
    host: 'héllo',
    tags: ['a', 'a', 'b', 'a'],
    ports: [{ name: 'x' }, { name: 'x', port: 2 }, {}, {}],
  }),
  widget({
    host: 'abc',
    tags: [1, { a: 1 }, { a: 1 }],
    labels: { a: 'toolong', b: 'c', c: 'd' },
    port: 'http',
    note: 'n',
  }),
  widget({
    host: 'abc',
    ports: [1, { name: 'a' }],
    labels: { a: 1 },
    id: 'A0F1C9B2-1234-4abc-8def-0123456789ab',
    day: '2024-02-29',
  }),
  widget({ host: 'a\u0000\u00ff"b', mode: 3, step: -6, replicas: -1, note: 1.25 }),
  gadget({ pick: {}, either: { y: 3 }, all: 0, notBad: 'bad', bare: true }),
  gadget({ pick: { x: 'a', y: 'b' }, either: {}, all: 3 }),
  // Every value of a format in one list: a cause per value the server refuses.
  ...Object.entries(formatFields).map(([format, field]) => ({
    apiVersion: 'example.com/v1',
    kind: 'Stamp',
    metadata: { name: 's' },
    spec: {
      [field]: formatRows.filter((r) => r.given.format === format).map((r) => r.given.value),
    },
  })),
]

describe.skipIf(backend === undefined)('validateObject agrees with a real kube-apiserver', () => {
  let server: RealApiServer
  let document: OpenApiDocument
  beforeAll(async () => {
    server = await startRealApiServer({ crds: [crdFile, gadgetsCrdFile, stampsCrdFile] })
    document = await publishedDocument(server, 'example.com/v1')
  }, 240_000)
  afterAll(async () => {
    await server?.close()
  }, 60_000)

  it.each(objects.map((given) => ({ given })))('$given', async ({ given }) => {
    const answer = await call(
      server,
      'POST',
      `/apis/example.com/v1/namespaces/default/${(given as { kind: string }).kind.toLowerCase()}s?dryRun=All`,
      given,
    )
    const want = answer.status === 422 ? (JSON.parse(answer.body) as Status) : undefined
    expect(answer.status === 201 || answer.status === 422, answer.body).toBe(true)
    const got = validateObject(document, given)
    expect(got === undefined, JSON.stringify(got?.details.causes)).toBe(want === undefined)
    if (want === undefined || got === undefined) return
    expect(sortedCauses(got.details.causes)).toEqual(sortedCauses(want.details.causes))
    // One distinct error: the whole message is fixed, whatever the server's walk order.
    if (new Set(want.details.causes.map((c) => c.field + c.message)).size === 1)
      expect(got.message).toBe(want.message)
    expect({ ...got, message: '', details: { ...got.details, causes: [] } }).toEqual({
      ...want,
      message: '',
      details: { ...want.details, causes: [] },
    })
    // Unknown fields are the server's warnings (fieldValidation=Warn, the default), in its order.
    const warnings = [...answer.warning.matchAll(/299 - "((?:[^"\\]|\\.)*)"/g)].map(
      (m) => JSON.parse(`"${m[1]}"`) as string,
    )
    expect(findUnknownFields(document, given).map((u) => u.message)).toEqual(
      warnings.filter((w) => w.startsWith('unknown field')),
    )
  })
})
