import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { recordedProfileDir, startApiServer, type ApiServer } from '../src/index.js'
import { get, json, send } from './_client.js'

// `pods/eviction` as kubernetes `pkg/registry/core/pod/storage/eviction.go` serves it.
const pods = '/api/v1/namespaces/default/pods'
const pdbs = '/apis/policy/v1/namespaces/default/poddisruptionbudgets'
const shared = recordedProfileDir() !== undefined
if (!shared) console.warn('skipping eviction tests: ../shared is absent (policy/v1 comes from it)')

interface Budget {
  disruptionsAllowed: number
  observedGeneration?: number
}

function eviction(name: string, deleteOptions?: object): object {
  return {
    apiVersion: 'policy/v1',
    kind: 'Eviction',
    metadata: { name, namespace: 'default' },
    ...(deleteOptions === undefined ? {} : { deleteOptions }),
  }
}

describe.skipIf(!shared)('pods/eviction', () => {
  let server: ApiServer
  beforeAll(async () => {
    server = await startApiServer({ http: true, recordedGroupVersions: ['apis/policy/v1'] })
  })
  afterAll(() => server.close())

  async function runningPod(name: string, labels: Record<string, string>): Promise<string> {
    const created = json(
      await send(server, 'POST', pods, {
        metadata: { name, labels },
        spec: { containers: [{ name: 'app', image: 'busybox' }] },
      }),
    ) as { metadata: { resourceVersion: string } }
    const updated = json(
      await send(server, 'PUT', `${pods}/${name}/status`, {
        metadata: { name, resourceVersion: created.metadata.resourceVersion },
        status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
      }),
    ) as { metadata: { resourceVersion: string } }
    return updated.metadata.resourceVersion
  }

  async function budget(name: string, app: string, status: Budget): Promise<void> {
    const created = json(
      await send(server, 'POST', pdbs, {
        metadata: { name },
        spec: { minAvailable: 1, selector: { matchLabels: { app } } },
      }),
    ) as { metadata: { resourceVersion: string } }
    await send(server, 'PUT', `${pdbs}/${name}/status`, {
      metadata: { name, resourceVersion: created.metadata.resourceVersion },
      status: { currentHealthy: 1, desiredHealthy: 1, expectedPods: 1, ...status },
    })
  }

  it('discovery lists pods/log and pods/eviction as the real server does', async () => {
    const list = json(await get(server, '/api/v1')) as {
      resources: { name: string; kind: string; group?: string; version?: string; verbs: string[] }[]
    }
    expect(
      list.resources.filter((r) => r.name === 'pods/log' || r.name === 'pods/eviction'),
    ).toEqual([
      expect.objectContaining({
        name: 'pods/eviction',
        group: 'policy',
        version: 'v1',
        kind: 'Eviction',
        verbs: ['create'],
      }),
      expect.objectContaining({ name: 'pods/log', kind: 'Pod', verbs: ['get'] }),
    ])
  })

  it('evicting a pod no budget covers deletes it and answers 201 Success', async () => {
    await runningPod('free', { app: 'free' })
    const response = await send(server, 'POST', `${pods}/free/eviction`, eviction('free'))
    expect({ status: response.status, body: json(response) }).toEqual({
      status: 201,
      body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 },
    })
    expect((await get(server, `${pods}/free`)).status).toBe(404)
  })

  it.each([
    {
      given: 'a budget with no disruption allowed',
      status: { disruptionsAllowed: 0, observedGeneration: 1 },
      want: {
        code: 429,
        retryAfter: undefined,
        cause: 'The disruption budget guard-0 needs 1 healthy pods and has 1 currently',
      },
    },
    {
      given: 'a budget the controller has not observed yet',
      status: { disruptionsAllowed: 1, observedGeneration: 0 },
      want: {
        code: 429,
        retryAfter: '10',
        cause: 'The disruption budget guard-1 is still being processed by the server.',
      },
    },
  ])('$given refuses with 429 TooManyRequests and a DisruptionBudget cause', async (row) => {
    const index = row.given.includes('observed') ? 1 : 0
    await runningPod(`guarded-${index}`, { app: `guarded-${index}` })
    await budget(`guard-${index}`, `guarded-${index}`, row.status)
    const response = await send(
      server,
      'POST',
      `${pods}/guarded-${index}/eviction`,
      eviction(`guarded-${index}`),
    )
    expect(response.status).toBe(row.want.code)
    expect(response.headers['retry-after']).toBe(row.want.retryAfter)
    expect(json(response)).toMatchObject({
      reason: 'TooManyRequests',
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      details: { causes: [{ reason: 'DisruptionBudget', message: row.want.cause }] },
    })
    expect((await get(server, `${pods}/guarded-${index}`)).status).toBe(200)
  })

  it('a budget with a disruption allowed takes it and the pod goes', async () => {
    await runningPod('spare', { app: 'spare' })
    await budget('spare', 'spare', { disruptionsAllowed: 1, observedGeneration: 1 })
    const response = await send(server, 'POST', `${pods}/spare/eviction`, eviction('spare'))
    expect(response.status).toBe(201)
    const after = json(await get(server, `${pdbs}/spare`)) as {
      status: { disruptionsAllowed: number; disruptedPods: Record<string, string> }
    }
    expect(after.status.disruptionsAllowed).toBe(0)
    expect(Object.keys(after.status.disruptedPods)).toEqual(['spare'])
    expect((await get(server, `${pods}/spare`)).status).toBe(404)
  })

  it.each([
    {
      given: 'a name that differs from the URL',
      pod: 'named',
      body: eviction('other'),
      want: { code: 400, message: 'name in URL does not match name in Eviction object' },
    },
    {
      given: 'a stale resourceVersion precondition',
      pod: 'pre',
      body: eviction('pre', { preconditions: { resourceVersion: '1' } }),
      want: {
        code: 409,
        message:
          'the ResourceVersion in the precondition (1) does not match the ResourceVersion in record',
      },
    },
  ])('$given is refused and the pod stays', async ({ pod, body, want }) => {
    await runningPod(pod, { app: pod })
    const response = await send(server, 'POST', `${pods}/${pod}/eviction`, body)
    expect(response.status).toBe(want.code)
    expect((json(response) as { message: string }).message).toContain(want.message)
    expect((await get(server, `${pods}/${pod}`)).status).toBe(200)
  })

  it('two budgets selecting one pod: 500, which the eviction subresource does not support', async () => {
    await runningPod('double', { app: 'double', tier: 'double' })
    await budget('double-app', 'double', { disruptionsAllowed: 1, observedGeneration: 1 })
    const second = json(
      await send(server, 'POST', pdbs, {
        metadata: { name: 'double-tier' },
        spec: { minAvailable: 1, selector: { matchLabels: { tier: 'double' } } },
      }),
    ) as { metadata: { resourceVersion: string } }
    expect(second.metadata.resourceVersion).not.toBe('')
    const response = await send(server, 'POST', `${pods}/double/eviction`, eviction('double'))
    expect(response.status).toBe(500)
    expect(json(response)).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
      code: 500,
    })
  })

  it('a pending pod is deleted without consulting budgets (canIgnorePDB)', async () => {
    await send(server, 'POST', pods, {
      metadata: { name: 'waiting', labels: { app: 'guarded-0' } },
      spec: { containers: [{ name: 'app', image: 'busybox' }] },
    })
    const live = json(await get(server, `${pods}/waiting`)) as {
      metadata: { resourceVersion: string }
    }
    await send(server, 'PUT', `${pods}/waiting/status`, {
      metadata: { name: 'waiting', resourceVersion: live.metadata.resourceVersion },
      status: { phase: 'Pending' },
    })
    expect(
      (await send(server, 'POST', `${pods}/waiting/eviction`, eviction('waiting'))).status,
    ).toBe(201)
  })

  it('a missing pod is 404', async () => {
    const response = await send(server, 'POST', `${pods}/absent/eviction`, eviction('absent'))
    expect(response.status).toBe(404)
    expect(json(response)).toMatchObject({ reason: 'NotFound', message: 'pods "absent" not found' })
  })
})
