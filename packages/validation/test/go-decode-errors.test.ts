// A built-in kind's body whose JSON types do not fit its Go struct is refused by the decoder with
// a 400, before validation (sigs.k8s.io/json decode.go; src/go-decode.ts). Each row is checked
// against the shipped 1.37 documents, and against a real kube-apiserver v1.37.2 (dryRun=All)
// when `npm run apiserver:build` has built one (skipped, saying so, without it).
import { loadBuiltInDocument } from '@k8s-codegen/kube-schemas'
import { findRealApiServer, startRealApiServer, type RealApiServer } from '@k8s-codegen/testkit'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findDecodeError, type OpenApiDocument } from '../src/index.js'
import { call } from './_real-apiserver.js'

const ns = '/api/v1/namespaces/default'
const apps = '/apis/apps/v1/namespaces/default'
const configMap = (fields: Record<string, unknown>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'c' },
  ...fields,
})
const pod = (container: Record<string, unknown>) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p' },
  spec: { containers: [{ name: 'c', image: 'nginx', ...container }] },
})
const deployment = (replicas: unknown) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'd' },
  spec: {
    replicas,
    selector: { matchLabels: { a: 'b' } },
    template: {
      metadata: { labels: { a: 'b' } },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    },
  },
})
const cannot = (kind: string, version: string, error: string): string =>
  `${kind} in version "${version}" cannot be handled as a ${kind}: json: cannot unmarshal ${error}`

const rows: {
  given: { path: string; object: Record<string, unknown> }
  want: string | undefined
}[] = [
  {
    given: { path: `${ns}/configmaps`, object: configMap({ data: { a: 1 } }) },
    want: cannot('ConfigMap', 'v1', 'number into Go struct field ConfigMap.data of type string'),
  },
  {
    given: { path: `${ns}/configmaps`, object: configMap({ data: 'a=1' }) },
    want: cannot(
      'ConfigMap',
      'v1',
      'string into Go struct field ConfigMap.data of type map[string]string',
    ),
  },
  {
    given: { path: `${ns}/configmaps`, object: configMap({ immutable: 'yes' }) },
    want: cannot('ConfigMap', 'v1', 'string into Go struct field ConfigMap.immutable of type bool'),
  },
  {
    // The first error in the body's order wins.
    given: {
      path: `${ns}/configmaps`,
      object: { ...configMap({ data: { a: true } }), metadata: { name: 'c', labels: { x: 3 } } },
    },
    want: cannot(
      'ConfigMap',
      'v1',
      'number into Go struct field ObjectMeta.metadata.labels of type string',
    ),
  },
  {
    given: {
      path: `${ns}/secrets`,
      object: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { a: 5 } },
    },
    want: cannot('Secret', 'v1', 'number into Go struct field Secret.data of type []uint8'),
  },
  {
    given: { path: `${apps}/deployments`, object: deployment('3') },
    want: cannot(
      'Deployment',
      'v1',
      'string into Go struct field DeploymentSpec.spec.replicas of type int32',
    ),
  },
  {
    given: { path: `${apps}/deployments`, object: deployment(1.5) },
    want: cannot(
      'Deployment',
      'v1',
      'number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32',
    ),
  },
  {
    given: { path: `${apps}/deployments`, object: deployment(2 ** 31) },
    want: cannot(
      'Deployment',
      'v1',
      'number 2147483648 into Go struct field DeploymentSpec.spec.replicas of type int32',
    ),
  },
  {
    given: {
      path: `${ns}/pods`,
      object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: 'c' } },
    },
    want: cannot(
      'Pod',
      'v1',
      'string into Go struct field PodSpec.spec.containers of type []v1.Container',
    ),
  },
  {
    given: { path: `${ns}/pods`, object: pod({ ports: [{ containerPort: true }] }) },
    want: cannot(
      'Pod',
      'v1',
      'bool into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32',
    ),
  },
  {
    given: { path: `${ns}/pods`, object: pod({ args: [1] }) },
    want: cannot(
      'Pod',
      'v1',
      'number into Go struct field Container.spec.containers.args of type string',
    ),
  },
  {
    // Quantity and IntOrString decode a number themselves; a null leaves the field as it was.
    given: {
      path: `${ns}/pods`,
      object: pod({
        resources: { limits: { cpu: 1 } },
        ports: [{ containerPort: 80, name: null }],
      }),
    },
    want: undefined,
  },
]

describe('findDecodeError', () => {
  it.each(rows)('$given.object.kind: $want', ({ given, want }) => {
    const document = loadBuiltInDocument('1.37', given.object['apiVersion'] as string) ?? {}
    expect(findDecodeError(document, given.object)?.message).toBe(want)
  })

  // A model of the decoder on map[string]string: the first non-null value that is not a string,
  // in the body's order, is the error, named by its JSON kind.
  it("a ConfigMap's data: every string map decodes, the first other value is named", () => {
    const document = loadBuiltInDocument('1.37', 'v1') ?? {}
    const json = fc.oneof(
      fc.string(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.string(), { maxLength: 2 }),
      fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
    )
    fc.assert(
      fc.property(fc.dictionary(fc.string(), json), (data) => {
        const bad = Object.values(data).find((v) => v !== null && typeof v !== 'string')
        const word = Array.isArray(bad)
          ? 'array'
          : typeof bad === 'object'
            ? 'object'
            : typeof bad === 'boolean'
              ? 'bool'
              : 'number'
        expect(findDecodeError(document, configMap({ data }))?.message).toBe(
          bad === undefined
            ? undefined
            : cannot(
                'ConfigMap',
                'v1',
                `${word} into Go struct field ConfigMap.data of type string`,
              ),
        )
      }),
    )
  })

  it('answers nothing for a custom resource: it decodes without a Go type', () => {
    const document: OpenApiDocument = {
      components: {
        schemas: {
          'com.example.v1.Widget': {
            type: 'object',
            'x-kubernetes-group-version-kind': [
              { group: 'example.com', version: 'v1', kind: 'Widget' },
            ],
            properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } },
          },
        },
      },
    }
    const widget = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w' },
      spec: { size: 'big' },
    }
    expect(findDecodeError(document, widget)).toBeUndefined()
  })
})

const backend = findRealApiServer()
if (backend === undefined)
  console.warn(
    'go-decode-errors: the kube-apiserver rows skip, no binary (npm run apiserver:build)',
  )

describe.skipIf(backend === undefined)('findDecodeError agrees with a real kube-apiserver', () => {
  let server: RealApiServer
  beforeAll(async () => {
    server = await startRealApiServer({})
  }, 240_000)
  afterAll(async () => {
    await server?.close()
  }, 60_000)

  it.each(rows)('$given.object.kind: $want', async ({ given, want }) => {
    const answer = await call(server, 'POST', `${given.path}?dryRun=All`, given.object)
    if (want === undefined) expect(answer.status, answer.body).toBe(201)
    else {
      expect(answer.status).toBe(400)
      expect((JSON.parse(answer.body) as { message: string }).message).toBe(want)
    }
  })
})
