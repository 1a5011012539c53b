import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  findRealApiServer,
  recordedProfileDir,
  startApiServer,
  startRealApiServer,
  type ApiServer,
} from '../src/index.js'
import { openApiV2ToProtobuf } from '../src/openapi-v2-protobuf.js'
import { get, send, type Target } from './_client.js'
import { buildOracle, openApiV2FromProtobuf, withoutZeros } from './_openapi-v2-protobuf.js'

// /openapi/v2 as protobuf (kube-openapi `pkg/handler/handler.go` ToProtoBinary): what kubectl
// asks for before `apply`, `explain`, `edit` and `diff`. Judged three ways: decoded with our
// message definitions it is the JSON v2 the server serves; kube-openapi's own ToProtoBinary
// (test/fixtures/openapi-v2-oracle, needs Go) makes the same bytes from that JSON; and the real
// kube-apiserver's protobuf decodes to its JSON and is what we make of its JSON.

const protobuf = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf'
const crdFiles = [fileURLToPath(new URL('fixtures/crds/things.yaml', import.meta.url))]
const recorded = recordedProfileDir()

// A v1beta1 CRD as a 1.13 user writes it, and its v1 form for newer servers.
const gadgetsV1beta1 = {
  apiVersion: 'apiextensions.k8s.io/v1beta1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'gadgets.example.com' },
  spec: {
    group: 'example.com',
    version: 'v1',
    scope: 'Namespaced',
    names: { plural: 'gadgets', kind: 'Gadget' },
    validation: {
      openAPIV3Schema: {
        type: 'object',
        properties: {
          spec: {
            type: 'object',
            description: 'What the gadget does.\nTwo lines.',
            properties: {
              mode: { type: 'string', enum: ['on', 'off', 'true', ''], default: 'on' },
              level: { type: 'integer', minimum: 0, maximum: 10 },
            },
          },
        },
      },
    },
  },
}
const gadgetsV1 = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'gadgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { plural: 'gadgets', kind: 'Gadget' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: gadgetsV1beta1.spec.validation,
      },
    ],
  },
}

interface Profile {
  name: string
  start: () => Promise<ApiServer>
  crd: { path: string; body: object }
}

const profiles: Profile[] = [
  {
    name: 'kubernetes-1.13',
    start: () => startApiServer({ profile: 'kubernetes-1.13', crds: crdFiles }),
    crd: {
      path: '/apis/apiextensions.k8s.io/v1beta1/customresourcedefinitions',
      body: gadgetsV1beta1,
    },
  },
  ...(recorded === undefined
    ? []
    : [
        {
          name: 'recorded',
          start: () => startApiServer({ profile: 'recorded', crds: crdFiles }),
          crd: {
            path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
            body: gadgetsV1,
          },
        },
      ]),
]
if (recorded === undefined)
  console.warn('openapi-v2-protobuf: the recorded profile rows skip: ../shared is absent')

const oracle = buildOracle()
if (typeof oracle === 'string')
  console.warn(`openapi-v2-protobuf: kube-openapi's ToProtoBinary rows skip: ${oracle}`)

// Both answers of one server, its document as of now.
async function bothForms(server: Target): Promise<{ json: Buffer; protobuf: Buffer }> {
  const json = await get(server, '/openapi/v2', { headers: { accept: 'application/json' } })
  const proto = await get(server, '/openapi/v2', { headers: { accept: protobuf } })
  expect(json.status).toBe(200)
  expect(proto.status).toBe(200)
  expect(proto.headers['content-type']).toBe(
    'application/com.github.proto-openapi.spec.v2.v1.0+protobuf',
  )
  expect(proto.headers['etag']).toBe(json.headers['etag'])
  return { json: json.body, protobuf: proto.body }
}

// The CRD created through the API is served once its controllers ran: /openapi/v2 has its kind.
async function untilPublished(server: ApiServer, definition: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const v2 = JSON.parse((await get(server, '/openapi/v2')).body.toString()) as {
      definitions: Record<string, unknown>
    }
    if (definition in v2.definitions) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`${definition} never reached /openapi/v2`)
}

describe.each(profiles)('/openapi/v2 protobuf of the $name profile', ({ start, crd }) => {
  let server: ApiServer
  beforeAll(async () => {
    server = await start()
  })
  afterAll(() => server.close())

  const states = [
    { given: 'with CRDs installed at start', act: () => Promise.resolve() },
    {
      given: 'with a CRD created through the API',
      act: async () => {
        const created = await send(server, 'POST', crd.path, crd.body)
        expect(created.status).toBe(201)
        await untilPublished(server, 'com.example.v1.Gadget')
      },
    },
  ]
  describe.each(states)('$given', ({ act }) => {
    let forms: { json: Buffer; protobuf: Buffer }
    beforeAll(async () => {
      await act()
      forms = await bothForms(server)
    })

    it('decodes to the JSON v2 it serves', () => {
      const json: unknown = JSON.parse(forms.json.toString())
      expect(openApiV2FromProtobuf(forms.protobuf)).toEqual(withoutZeros(json))
    })

    it.skipIf(typeof oracle === 'string')(
      "is what kube-openapi's ToProtoBinary makes of that JSON, byte for byte",
      () => {
        if (typeof oracle === 'string') return
        expect(Buffer.compare(forms.protobuf, oracle.run('proto', forms.json))).toBe(0)
      },
    )
  })
})

// gnostic `openapiv2.ParseDocument` rules, one row each: what a document gives, or why it is
// refused (kube-openapi then answers 503 to a protobuf request and keeps serving the JSON).
const minimal = { swagger: '2.0', info: { title: 'Kubernetes', version: 'v1.13.0' }, paths: {} }
const parseRows: { given: string; document: object; want: unknown }[] = [
  { given: 'the minimal document', document: minimal, want: minimal },
  // Each of these reads back as it was written.
  ...[
    {
      given: 'additionalProperties false is the boolean alternative, an object the schema one',
      document: {
        ...minimal,
        definitions: {
          a: { type: 'object', additionalProperties: false },
          b: { type: 'object', additionalProperties: { type: 'string' } },
        },
      },
    },
    {
      given: 'a body parameter, a query parameter and a $ref to a parameter',
      document: {
        ...minimal,
        parameters: { pretty: { in: 'query', name: 'pretty', type: 'string', uniqueItems: true } },
        paths: {
          '/x': {
            parameters: [{ $ref: '#/parameters/pretty' }],
            post: {
              parameters: [
                { in: 'body', name: 'body', required: true, schema: { type: 'object' } },
              ],
              responses: { '200': { description: 'OK' } },
            },
          },
        },
      },
    },
  ].map((row) => ({ ...row, want: row.document })),
  {
    given: 'a schema key OpenAPI v2 does not have',
    document: { ...minimal, definitions: { a: { type: 'object', nullable: true } } },
    want: ['$root.definitions.a: has invalid properties nullable'],
  },
  {
    given: 'no info',
    document: { swagger: '2.0', paths: {} },
    want: ['$root: is missing required info'],
  },
  {
    given: 'swagger 3.0',
    document: { ...minimal, swagger: '3.0' },
    want: ['$root.swagger: has unexpected value "3.0"'],
  },
]

describe('gnostic ParseDocument rules', () => {
  it.each(parseRows)('$given', ({ document, want }) => {
    const result = openApiV2ToProtobuf(JSON.stringify(document))
    expect(
      result.bytes === undefined ? result.problems : openApiV2FromProtobuf(result.bytes),
    ).toEqual(want)
  })

  it('a document gnostic refuses: protobuf 503 (empty), the JSON still 200', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openapi-v2-refused-'))
    const v2 = join(dir, 'v2.json')
    writeFileSync(v2, JSON.stringify({ ...minimal, definitions: { a: { nullable: true } } }))
    const server = await startApiServer({ profile: 'kubernetes-1.13', v2 })
    try {
      const refused = await get(server, '/openapi/v2', { headers: { accept: protobuf } })
      expect({ status: refused.status, length: refused.body.length }).toEqual({
        status: 503,
        length: 0,
      })
      expect((await get(server, '/openapi/v2')).status).toBe(200)
    } finally {
      await server.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

const backend = findRealApiServer()
if (backend === undefined)
  console.warn(
    'openapi-v2-protobuf: the kube-apiserver rows skip: no binary (npm run apiserver:build needs Go; or set KUBEBUILDER_ASSETS or K8S_CODEGEN_APISERVER_BIN)',
  )

describe.skipIf(backend === undefined)('the real kube-apiserver /openapi/v2 protobuf', () => {
  let forms: { json: Buffer; protobuf: Buffer }
  beforeAll(async () => {
    const server = await startRealApiServer({ crds: crdFiles })
    try {
      forms = await bothForms(server)
    } finally {
      await server.close()
    }
  }, 240_000)

  it('decodes with our message definitions to its JSON v2', () => {
    const json: unknown = JSON.parse(forms.json.toString())
    expect(openApiV2FromProtobuf(forms.protobuf)).toEqual(withoutZeros(json))
  })

  it('is what we make of its JSON v2, byte for byte', () => {
    const ours = openApiV2ToProtobuf(forms.json)
    expect(ours.problems).toBeUndefined()
    expect(Buffer.compare(Buffer.from(ours.bytes ?? []), forms.protobuf)).toBe(0)
  })
})
