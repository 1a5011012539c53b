// The write options every write shares, against the emulator: server-side apply conflicts and
// force, dryRun, fieldValidation (Strict → 400, Warn → Warning headers to onWarning), delete
// preconditions — and retries: a 429 with Retry-After is retried, a POST answered 500 is not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import {
  isBadRequest,
  isConflict,
  isInternalError,
  isNotFound,
  isStatusError,
  type StatusError,
} from '../src/index.js'
import { Deployment, type Deployment as DeploymentObject } from './generated/builtins/apps/v1.js'
import { ConfigMap } from './generated/builtins/core/v1.js'
import { emulatorOf, serverUnderTest, startCluster, type TestCluster } from './helpers/cluster.js'

let cluster: TestCluster
beforeAll(async () => {
  cluster = await startCluster({ client: { fieldManager: 'writes-test' } })
})
afterAll(() => cluster.close())

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  )
const configMap = (name: string, data: Record<string, string> = {}) => ({
  apiVersion: 'v1' as const,
  kind: 'ConfigMap' as const,
  metadata: { name, namespace: 'default' },
  data,
})
const deployment = (name: string): DeploymentObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'default' },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] },
    },
  },
})

describe('server-side apply', () => {
  it('a field another manager owns conflicts (409, FieldManagerConflict causes); force takes it', async () => {
    const k8s = cluster.client
    await k8s.apply(
      Deployment,
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'ssa', namespace: 'default' },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'ssa' } },
          template: {
            metadata: { labels: { app: 'ssa' } },
            spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] },
          },
        },
      },
      { fieldManager: 'alice' },
    )
    const conflict = await rejection(
      k8s.apply(
        Deployment,
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'ssa', namespace: 'default' },
          spec: { replicas: 5 },
        },
        { fieldManager: 'bob' },
      ),
    )
    expect(isConflict(conflict)).toBe(true)
    const e = conflict as StatusError
    expect(e.statusCode).toBe(409)
    expect(e.causes).toEqual([
      expect.objectContaining({ reason: 'FieldManagerConflict', field: '.spec.replicas' }),
    ])
    expect(e.message).toMatch(
      /^PATCH \/apis\/apps\/v1\/namespaces\/default\/deployments\/ssa\?.*: 409 Conflict: Apply failed with 1 conflict: conflict with "alice"/,
    )

    const forced = await k8s.apply(
      Deployment,
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'ssa', namespace: 'default' },
        spec: { replicas: 5 },
      },
      { fieldManager: 'bob', force: true },
    )
    expect(forced.spec?.replicas).toBe(5)
    if (cluster.emulator !== undefined)
      expect(cluster.emulator.requests.at(-1)?.query).toBe('?fieldManager=bob&force=true')
  })

  it('without any fieldManager it fails before sending', async () => {
    const bare = await startCluster({ crds: false })
    try {
      const error = await rejection(bare.client.apply(ConfigMap, configMap('no-manager')))
      expect(error).toMatchObject({ code: 'K8S_CODEGEN_CLIENT_INVALID_ARGUMENT' })
      expect(bare.emulator?.requests.length ?? 0).toBe(0)
    } finally {
      await bare.close()
    }
  })
})

describe('dryRun, fieldValidation and warnings', () => {
  it('dryRun: All answers the object but persists nothing', async () => {
    const k8s = cluster.client
    const answer = await k8s.create(ConfigMap, configMap('dry'), { dryRun: 'All' })
    expect(answer.metadata?.name).toBe('dry')
    expect(
      isNotFound(await rejection(k8s.get(ConfigMap, { namespace: 'default', name: 'dry' }))),
    ).toBe(true)
    await k8s.create(ConfigMap, configMap('dry-delete'))
    await k8s.delete(ConfigMap, { namespace: 'default', name: 'dry-delete' }, { dryRun: 'All' })
    expect(
      (await k8s.get(ConfigMap, { namespace: 'default', name: 'dry-delete' })).metadata?.name,
    ).toBe('dry-delete')
  })

  it.each([
    { given: 'Strict', want: { rejected: true, warnings: [] } },
    { given: 'Warn', want: { rejected: false, warnings: ['unknown field "spec.bogus"'] } },
    { given: 'Ignore', want: { rejected: false, warnings: [] } },
  ] as const)('fieldValidation $given', async ({ given, want }) => {
    cluster.warnings.length = 0
    // An unknown field, as a caller without the types could send it.
    const body = {
      ...deployment(`fv-${given.toLowerCase()}`),
      spec: { ...deployment('x').spec!, bogus: 1 },
    } as DeploymentObject
    const result = await rejection(
      cluster.client.create(Deployment, body, { fieldValidation: given }),
    )
    expect(isBadRequest(result)).toBe(want.rejected)
    if (want.rejected) expect((result as Error).message).toMatch(/unknown field "spec.bogus"/)
    expect(cluster.warnings.map((w) => w.text)).toEqual(want.warnings)
    expect(cluster.warnings.every((w) => w.code === 299 && w.agent === '-')).toBe(true)
  })
})

describe('delete preconditions', () => {
  it('a stale resourceVersion precondition is a Conflict; a current one deletes', async () => {
    const k8s = cluster.client
    const created = await k8s.create(ConfigMap, configMap('pre', { a: '1' }))
    await k8s.patch(
      ConfigMap,
      { namespace: 'default', name: 'pre' },
      { merge: { data: { a: '2' } } },
    )
    const stale = await rejection(
      k8s.delete(
        ConfigMap,
        { namespace: 'default', name: 'pre' },
        { preconditions: { resourceVersion: created.metadata!.resourceVersion! } },
      ),
    )
    expect(isConflict(stale)).toBe(true)
    const current = await k8s.get(ConfigMap, { namespace: 'default', name: 'pre' })
    await k8s.delete(
      ConfigMap,
      { namespace: 'default', name: 'pre' },
      {
        preconditions: {
          uid: current.metadata!.uid!,
          resourceVersion: current.metadata!.resourceVersion!,
        },
        propagationPolicy: 'Background',
        gracePeriodSeconds: 0,
      },
    )
    expect(
      isNotFound(await rejection(k8s.get(ConfigMap, { namespace: 'default', name: 'pre' }))),
    ).toBe(true)
  })
})

// Faults are the emulator's: a real kube-apiserver answers 429/500/503 only under real load.
describe.skipIf(serverUnderTest !== 'emulator')('retries', () => {
  it('a 429 with Retry-After is retried, also for a POST', async () => {
    const { client } = cluster
    const server = emulatorOf(cluster)
    const path = '/api/v1/namespaces/default/configmaps'
    const remove = server.injectFault({
      path,
      kind: 'status',
      status: 429,
      retryAfter: 0,
      times: 1,
    })
    server.clearRequests()
    await client.create(ConfigMap, configMap('retried'))
    remove()
    expect(server.requests.map((r) => `${r.method} ${r.status}`)).toEqual(['POST 429', 'POST 201'])
  })

  it('a POST answered 500 is not retried: the write may have happened', async () => {
    const { client } = cluster
    const server = emulatorOf(cluster)
    const path = '/api/v1/namespaces/default/configmaps'
    const remove = server.injectFault({ path, kind: 'status', status: 500 })
    server.clearRequests()
    const error = await rejection(client.create(ConfigMap, configMap('not-retried')))
    remove()
    expect(isStatusError(error) && isInternalError(error)).toBe(true)
    expect(server.requests.map((r) => `${r.method} ${r.status}`)).toEqual(['POST 500'])
  })

  it('a GET answered 503 is retried', async () => {
    const { client } = cluster
    const server = emulatorOf(cluster)
    await client.create(ConfigMap, configMap('get-retried'))
    const path = '/api/v1/namespaces/default/configmaps/get-retried'
    const remove = server.injectFault({
      path,
      kind: 'status',
      status: 503,
      retryAfter: 0,
      times: 1,
    })
    server.clearRequests()
    await client.get(ConfigMap, { namespace: 'default', name: 'get-retried' })
    remove()
    expect(server.requests.map((r) => r.status)).toEqual([503, 200])
  })
})

describe('arguments are checked before anything is sent', () => {
  const ns = 'default'
  it.each<{ given: string; call: () => Promise<unknown>; want: string }>([
    {
      given: 'an aborted signal',
      call: () =>
        cluster.client.get(
          ConfigMap,
          { namespace: ns, name: 'x' },
          { signal: AbortSignal.abort() },
        ),
      want: 'K8S_CODEGEN_CLUSTER_ABORTED',
    },
    {
      given: 'a name that is not a path segment',
      call: () => cluster.client.get(ConfigMap, { namespace: ns, name: 'a/b' }),
      want: 'K8S_CODEGEN_PATH_INVALID_NAME',
    },
    {
      given: 'a body namespace that differs from the option',
      call: () =>
        cluster.client.create(
          ConfigMap,
          { ...configMap('mismatch'), metadata: { name: 'mismatch', namespace: 'a' } },
          { namespace: 'b' },
        ),
      want: 'K8S_CODEGEN_CLIENT_INVALID_ARGUMENT',
    },
    {
      given: 'a namespaced body without any namespace',
      call: () =>
        cluster.client.create(ConfigMap, {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'n' },
        }),
      want: 'K8S_CODEGEN_CLIENT_INVALID_ARGUMENT',
    },
    {
      given: 'a body of another kind (an untyped caller)',
      call: () =>
        cluster.client.create(
          ConfigMap,
          deployment('d') as unknown as ReturnType<typeof configMap>,
        ),
      want: 'K8S_CODEGEN_CLIENT_INVALID_ARGUMENT',
    },
    {
      given: 'two patches at once (an untyped caller)',
      call: () =>
        cluster.client.patch(ConfigMap, { namespace: ns, name: 'x' }, {
          merge: {},
          json: [],
        } as unknown as { merge: object }),
      want: 'K8S_CODEGEN_CLIENT_INVALID_ARGUMENT',
    },
    {
      given: 'a label selector that does not parse',
      call: () => cluster.client.list(ConfigMap, { labelSelector: 'a in (b' }),
      want: 'K8S_CODEGEN_CLIENT_INVALID_SELECTOR',
    },
  ])('$given → $want', async ({ call, want }) => {
    cluster.emulator?.clearRequests()
    expect(await rejection(call())).toMatchObject({ code: want })
    expect(cluster.emulator?.requests.length ?? 0).toBe(0)
  })
})
