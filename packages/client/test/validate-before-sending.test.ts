// `validate: true`: an object the apiserver would refuse is refused before sending, with the
// StatusError the apiserver answers when the same object is sent. Runs against the emulator and,
// in the vitest project `kube-apiserver`, against a real kube-apiserver: there the server's own
// answer is the oracle, cause for cause.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import {
  ClientError,
  createClient,
  isStatusError,
  type AnyResource,
  type Client,
  type CreateOptions,
  type StatusError,
} from '../src/index.js'
import { ConfigMap } from './generated/builtins/core/v1.js'
import { Widget } from './generated/crd/example.dev/v1.js'
import { emulatorOf, serverUnderTest, startCluster, type TestCluster } from './helpers/cluster.js'

let cluster: TestCluster
let validating: Client
beforeAll(async () => {
  cluster = await startCluster()
  validating = await createClient({ kubeconfig: cluster.kubeconfig, validate: true })
})
afterAll(async () => {
  await validating.close()
  await cluster.close()
})

const rejection = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  )

const widget = (name: string, spec: Record<string, unknown>): unknown => ({
  apiVersion: 'example.dev/v1',
  kind: 'Widget',
  metadata: { name, namespace: 'default' },
  spec,
})
const configMap = (name: string, extra: Record<string, unknown> = {}): unknown => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default' },
  data: { a: '1' },
  ...extra,
})

// One problem per object: the server lists several in Go map order.
const rows: {
  given: string
  resource: AnyResource
  body: unknown
  options?: CreateOptions<AnyResource>
}[] = [
  { given: 'a value outside an enum', resource: Widget, body: widget('e', { size: 1, mode: 'x' }) },
  {
    given: 'a wrong type under additionalProperties',
    resource: Widget,
    body: widget('t', { size: 1, labels: { a: 1 } }),
  },
  { given: 'a required field missing', resource: Widget, body: widget('r', { replicas: 1 }) },
  { given: 'a name that is no DNS subdomain', resource: Widget, body: widget('W_1', { size: 1 }) },
  {
    given: 'an unknown field under Strict',
    resource: Widget,
    body: widget('u', { size: 1, colour: 'red' }),
    options: { fieldValidation: 'Strict' },
  },
  { given: "a built-in kind's bad name", resource: ConfigMap, body: configMap('Bad_Name') },
  {
    given: "a built-in kind's value of the wrong JSON type (the Go decoder's 400)",
    resource: ConfigMap,
    body: configMap('j', { data: { a: 1 } }),
  },
  {
    given: "a built-in kind's unknown field under Strict",
    resource: ConfigMap,
    body: configMap('s', { extra: 1 }),
    options: { fieldValidation: 'Strict' },
  },
]

describe('create with validate: true refuses what the server refuses, with its answer', () => {
  it.each(rows)('$given', async ({ resource, body, options }) => {
    const sentBefore = cluster.emulator?.requests.filter((r) => r.method === 'POST').length
    const refused = await rejection(validating.create(resource, body as never, options))
    expect(cluster.emulator?.requests.filter((r) => r.method === 'POST').length).toBe(sentBefore)
    const answered = await rejection(cluster.client.create(resource, body as never, options))
    expect(isStatusError(answered)).toBe(true)
    expect(isStatusError(refused)).toBe(true)
    expect((refused as StatusError).status).toEqual((answered as StatusError).status)
    expect((refused as StatusError).message).toBe((answered as StatusError).message)
  })

  it('sends a valid object, and a per-call validate: false sends an invalid one', async () => {
    const created = await validating.create(Widget, widget('ok', { size: 2 }) as never)
    expect(created.metadata?.name).toBe('ok')
    // Under Warn (the default) an unknown field is the server's warning, not a refusal.
    const pruned = await validating.create(Widget, widget('warned', { size: 2, x: 1 }) as never)
    expect(pruned.spec).not.toHaveProperty('x')
    const unchecked = await rejection(
      validating.create(Widget, widget('bad', { size: 1, mode: 'x' }) as never, {
        validate: false,
      }),
    )
    expect(isStatusError(unchecked) && unchecked.statusCode).toBe(422)
  })
})

describe('replace with validate: true', () => {
  it('refuses an update the server refuses, with its answer', async () => {
    const live = await cluster.client.create(Widget, widget('live', { size: 1 }) as never)
    const changed = { ...live, spec: { ...live.spec, size: 1, mode: 'medium' } } as never
    const refused = await rejection(validating.replace(Widget, changed))
    const answered = await rejection(cluster.client.replace(Widget, changed))
    expect((refused as StatusError).status).toEqual((answered as StatusError).status)
    expect((refused as StatusError).message).toBe((answered as StatusError).message)
  })
})

describe('where the documents come from', () => {
  // The request log is the emulator's.
  it.skipIf(serverUnderTest !== 'emulator')(
    "reads the cluster's /openapi/v3 index and document once per hash",
    async () => {
      const emulator = emulatorOf(cluster)
      const k8s = await createClient({ kubeconfig: cluster.kubeconfig, validate: true })
      try {
        emulator.requests.length = 0
        for (const name of ['c1', 'c2', 'c3'])
          await rejection(k8s.create(Widget, widget(name, { size: 1, mode: 'x' }) as never))
        expect(
          emulator.requests.map(
            (r) => `${r.method} ${r.path}${r.query.replace(/=[0-9A-F]+$/, '=')}`,
          ),
        ).toEqual(['GET /openapi/v3', 'GET /openapi/v3/apis/example.dev/v1?hash='])
      } finally {
        await k8s.close()
      }
    },
  )

  it.skipIf(serverUnderTest !== 'emulator')(
    'sends an object whose group-version /openapi/v3 does not list: the server answers',
    async () => {
      const bare = await startCluster({ crds: false, client: { validate: true } })
      try {
        const error = await rejection(bare.client.create(Widget, widget('n', { size: 1 }) as never))
        expect(isStatusError(error)).toBe(true)
        expect(emulatorOf(bare).requests.map((r) => `${r.method} ${r.path}`)).toEqual([
          'GET /openapi/v3',
          'POST /apis/example.dev/v1/namespaces/default/widgets',
        ])
      } finally {
        await bare.close()
      }
    },
  )

  it('uses validationDocuments instead, fetching nothing', async () => {
    const { body: document } = await cluster.client.connection.send(
      '/openapi/v3/apis/example.dev/v1',
      { method: 'GET' },
    )
    const offline = await createClient({
      kubeconfig: cluster.kubeconfig,
      validate: true,
      validationDocuments: {
        'apis/example.dev/v1': JSON.parse(new TextDecoder().decode(document)) as unknown,
      },
    })
    try {
      const sentBefore = cluster.emulator?.requests.length
      const refused = await rejection(
        offline.create(Widget, widget('o', { size: 1, mode: 'x' }) as never),
      )
      expect(isStatusError(refused) && refused.statusCode).toBe(422)
      expect(cluster.emulator?.requests.length).toBe(sentBefore)
      const missing = await rejection(offline.create(ConfigMap, configMap('m') as never))
      expect(missing).toBeInstanceOf(ClientError)
      expect((missing as ClientError).code).toBe('K8S_CODEGEN_CLIENT_VALIDATION_UNAVAILABLE')
    } finally {
      await offline.close()
    }
  })
})
