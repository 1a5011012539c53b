import { recordedProfileDir, startApiServer, type ApiServer } from '@k8s-codegen/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createClient,
  isBadRequest,
  isNotFound,
  isTooManyRequests,
  type Client,
} from '../src/index.js'
import { Pod } from './generated/builtins/core/v1.js'
import { iterate, write } from './_helpers.js'

// Pod logs (pods/log) and eviction (pods/eviction) against the emulator, which reproduces
// kubernetes `pkg/registry/core/pod/rest/log.go` and `pkg/registry/core/pod/storage/eviction.go`.
const pods = '/api/v1/namespaces/default/pods'
const budgets = '/apis/policy/v1/namespaces/default/poddisruptionbudgets'
const shared = recordedProfileDir() !== undefined
if (!shared) console.warn('skipping eviction budget rows: ../shared is absent (policy/v1)')

async function collect(lines: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = []
  for await (const line of lines) out.push(line)
  return out
}

describe('logs and eviction', () => {
  let server: ApiServer
  let k8s: Client
  beforeAll(async () => {
    server = await startApiServer(shared ? { recordedGroupVersions: ['apis/policy/v1'] } : {})
    k8s = await createClient({ kubeconfig: await server.kubeconfig() })
  })
  afterAll(async () => {
    await k8s.close()
    await server.close()
  })

  async function pod(
    name: string,
    containers: string[],
    labels: Record<string, string> = {},
  ): Promise<void> {
    await write(k8s, 'POST', pods, {
      metadata: { name, labels },
      spec: {
        nodeName: 'node-1',
        containers: containers.map((c) => ({ name: c, image: 'busybox' })),
      },
    })
  }

  it.each([
    { given: {}, pod: 'log-all', want: ['one', 'two', 'three'] },
    { given: { tailLines: 1 }, pod: 'log-tail', want: ['three'] },
    { given: { limitBytes: 6 }, pod: 'log-limit', want: ['one', 'tw'] },
  ])('logs $given', async ({ given, pod: name, want }) => {
    await pod(name, ['app'])
    const target = { namespace: 'default', pod: name }
    server.appendPodLog(target, 'one\ntwo\nthree\n')
    expect(
      await collect(k8s.logs(Pod, { namespace: 'default', name: target.pod, ...given })),
    ).toEqual(want)
  })

  it('timestamps prefix each line with an RFC3339Nano time', async () => {
    await pod('stamped', ['app'])
    server.appendPodLog({ namespace: 'default', pod: 'stamped' }, 'hello\n')
    const [line] = await collect(
      k8s.logs(Pod, { namespace: 'default', name: 'stamped', timestamps: true }),
    )
    expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z hello$/)
  })

  it('follow yields lines appended after the stream started, and ends when the pod goes', async () => {
    await pod('followed', ['app', 'side'])
    const target = { namespace: 'default', pod: 'followed', container: 'side' }
    server.appendPodLog(target, 'before\n')
    const seen: string[] = []
    for await (const line of k8s.logs(Pod, {
      namespace: 'default',
      name: 'followed',
      container: 'side',
      follow: true,
    })) {
      seen.push(line)
      if (line === 'before') server.appendPodLog(target, 'after\n')
      if (line === 'after') await write(k8s, 'DELETE', `${pods}/followed`)
    }
    expect(seen).toEqual(['before', 'after'])
  })

  it('break and abort close a follow stream', async () => {
    await pod('endless', ['app'])
    const target = { namespace: 'default', pod: 'endless' }
    server.appendPodLog(target, 'a\nb\n')
    for await (const line of k8s.logs(Pod, {
      namespace: 'default',
      name: 'endless',
      follow: true,
    })) {
      expect(line).toBe('a')
      break
    }
    const controller = new AbortController()
    const lines = iterate(
      k8s.logs(Pod, {
        namespace: 'default',
        name: 'endless',
        follow: true,
        signal: controller.signal,
      }),
    )
    expect(await lines.next()).toEqual({ done: false, value: 'a' })
    expect(await lines.next()).toEqual({ done: false, value: 'b' })
    const pending = lines.next()
    controller.abort()
    expect(await pending).toEqual({ done: true, value: undefined })
  })

  it.each([
    {
      given: { name: 'multi' },
      want: 'a container name must be specified for pod multi, choose one of: [app side]',
      is: isBadRequest,
    },
    { given: { name: 'absent' }, want: 'pods "absent" not found', is: isNotFound },
  ])('logs of $given.name is a StatusError', async ({ given, want, is }) => {
    if (given.name === 'multi') await pod('multi', ['app', 'side'])
    const lines = iterate(k8s.logs(Pod, { namespace: 'default', ...given }))
    const error: unknown = await lines.next().catch((e: unknown) => e)
    expect(is(error)).toBe(true)
    expect((error as Error).message).toContain(want)
  })

  it('a line longer than maxLineBytes is a coded error, not a growing buffer', async () => {
    await pod('chatty', ['app'])
    server.appendPodLog({ namespace: 'default', pod: 'chatty' }, `${'x'.repeat(64)}\n`)
    const lines = k8s.logs(Pod, { namespace: 'default', name: 'chatty', maxLineBytes: 16 })
    await expect(collect(lines)).rejects.toMatchObject({
      code: 'K8S_CODEGEN_CLIENT_BAD_RESPONSE',
      message: expect.stringContaining('a log line is longer than 16 bytes') as unknown,
    })
  })

  it('evict deletes a pod no budget covers', async () => {
    await pod('evicted', ['app'])
    await expect(k8s.evict(Pod, { namespace: 'default', name: 'evicted' })).resolves.toMatchObject({
      kind: 'Status',
      status: 'Success',
    })
    await expect(write(k8s, 'DELETE', `${pods}/evicted`)).rejects.toThrow('404')
  })

  it.skipIf(!shared)(
    'a PodDisruptionBudget refusal is a StatusError isTooManyRequests',
    async () => {
      await pod('guarded', ['app'], { app: 'guarded' })
      await write(k8s, 'PUT', `${pods}/guarded/status`, {
        metadata: { name: 'guarded' },
        status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
      })
      await write(k8s, 'POST', budgets, {
        metadata: { name: 'guard' },
        spec: { minAvailable: 1, selector: { matchLabels: { app: 'guarded' } } },
      })
      await write(k8s, 'PUT', `${budgets}/guard/status`, {
        metadata: { name: 'guard' },
        status: {
          currentHealthy: 1,
          desiredHealthy: 1,
          disruptionsAllowed: 0,
          expectedPods: 1,
          observedGeneration: 1,
        },
      })
      const error: unknown = await k8s
        .evict(Pod, { namespace: 'default', name: 'guarded' })
        .catch((e: unknown) => e)
      expect(isTooManyRequests(error)).toBe(true)
      expect(error).toMatchObject({
        reason: 'TooManyRequests',
        details: {
          causes: [
            {
              reason: 'DisruptionBudget',
              message: 'The disruption budget guard needs 1 healthy pods and has 1 currently',
            },
          ],
        },
      })
      await expect(
        write(k8s, 'PUT', `${pods}/guarded/status`, { metadata: { name: 'guarded' } }),
      ).resolves.toBeDefined()
    },
  )
})
