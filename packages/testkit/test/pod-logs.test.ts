import { execFile, spawn, spawnSync } from 'node:child_process'
import { request as httpsRequest } from 'node:https'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApiServer, type ApiServer } from '../src/index.js'
import { get, json, send } from './_client.js'

// `pods/log` as kubernetes `pkg/registry/core/pod/rest/log.go` + `strategy.go` LogLocation
// serve it, with the kubelet's reading rules (`pkg/kubelet/kuberuntime/logs/logs.go`).
const pods = '/api/v1/namespaces/default/pods'
const hasKubectl = spawnSync('kubectl', ['version', '--client'], { timeout: 20_000 }).status === 0
if (!hasKubectl) console.warn('skipping the kubectl logs rows: kubectl is not on PATH')

function pod(name: string, containers: string[], nodeName = 'node-1'): object {
  const spec: Record<string, unknown> = {
    containers: containers.map((c) => ({ name: c, image: 'busybox' })),
  }
  if (nodeName !== '') spec['nodeName'] = nodeName
  return { metadata: { name }, spec }
}

describe('pods/log', () => {
  let server: ApiServer
  beforeAll(async () => {
    server = await startApiServer()
    await send(server, 'POST', pods, pod('one', ['app']))
    await send(server, 'POST', pods, pod('two', ['app', 'sidecar']))
    await send(server, 'POST', pods, pod('pending', ['app'], ''))
    await send(server, 'POST', pods, pod('quiet', ['app']))
    server.appendPodLog({ namespace: 'default', pod: 'one' }, 'first\nsecond\nthird\n')
    server.appendPodLog({ namespace: 'default', pod: 'two', container: 'sidecar' }, 'side')
  })
  afterAll(() => server.close())

  it.each([
    { given: 'one/log', want: { status: 200, body: 'first\nsecond\nthird\n' } },
    { given: 'one/log?tailLines=2', want: { status: 200, body: 'second\nthird\n' } },
    { given: 'one/log?tailLines=0', want: { status: 200, body: '' } },
    { given: 'one/log?limitBytes=8', want: { status: 200, body: 'first\nse' } },
    { given: 'one/log?sinceSeconds=3600', want: { status: 200, body: 'first\nsecond\nthird\n' } },
    { given: 'one/log?container=app&tailLines=1', want: { status: 200, body: 'third\n' } },
    { given: 'two/log?container=sidecar', want: { status: 200, body: 'side\n' } },
    { given: 'two/log?container=app', want: { status: 200, body: '' } },
    { given: 'quiet/log', want: { status: 200, body: '' } },
    // Not scheduled: no location, 204 as kube-apiserver answers (client-node's Log rejects it).
    { given: 'pending/log', want: { status: 204, body: '' } },
  ])('GET $given', async ({ given, want }) => {
    const response = await get(server, `${pods}/${given}`)
    expect({ status: response.status, body: response.body.toString() }).toEqual(want)
    // A 204 has no body, so no content type.
    expect(response.headers['content-type']).toBe(want.status === 204 ? undefined : 'text/plain')
  })

  it.each([
    {
      given: 'two/log',
      want: {
        code: 400,
        reason: 'BadRequest',
        message: 'a container name must be specified for pod two, choose one of: [app sidecar]',
      },
    },
    {
      given: 'one/log?container=nope',
      want: { code: 400, reason: 'BadRequest', message: 'container nope is not valid for pod one' },
    },
    {
      given: 'one/log?previous=true',
      want: {
        code: 400,
        reason: 'BadRequest',
        message: 'previous terminated container "app" in pod "one" not found',
      },
    },
    {
      given: 'one/log?tailLines=-1',
      want: {
        code: 422,
        reason: 'Invalid',
        message:
          'PodLogOptions "one" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0',
      },
    },
    {
      given: 'one/log?limitBytes=0&sinceSeconds=0',
      want: {
        code: 422,
        reason: 'Invalid',
        message:
          'PodLogOptions "one" is invalid: [limitBytes: Invalid value: 0: must be greater than 0, sinceSeconds: Invalid value: 0: must be greater than 0]',
      },
    },
    {
      given: 'one/log?tailLines=x',
      want: {
        code: 400,
        reason: 'BadRequest',
        message: 'strconv.ParseInt: parsing "x": invalid syntax',
      },
    },
    {
      given: 'missing/log',
      want: { code: 404, reason: 'NotFound', message: 'pods "missing" not found' },
    },
  ])('GET $given is refused', async ({ given, want }) => {
    const response = await get(server, `${pods}/${given}`)
    expect(response.status).toBe(want.code)
    expect(json(response)).toMatchObject({ kind: 'Status', ...want })
  })

  it('timestamps=true prefixes each line with its RFC3339Nano time (nine digits)', async () => {
    const body = (await get(server, `${pods}/one/log?timestamps=true&tailLines=1`)).body.toString()
    expect(body).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z third\n$/)
  })

  it('previous=true serves the log from before a restart; the new instance starts empty', async () => {
    await send(server, 'POST', pods, pod('restarts', ['app']))
    const target = { namespace: 'default', pod: 'restarts' }
    server.appendPodLog(target, 'crashed\n')
    server.restartPodContainer(target)
    server.appendPodLog(target, 'again\n')
    expect((await get(server, `${pods}/restarts/log?previous=true`)).body.toString()).toBe(
      'crashed\n',
    )
    expect((await get(server, `${pods}/restarts/log`)).body.toString()).toBe('again\n')
  })

  it('follow=true streams appended lines until the pod is deleted', async () => {
    await send(server, 'POST', pods, pod('follow', ['app']))
    const target = { namespace: 'default', pod: 'follow' }
    server.appendPodLog(target, 'before\n')
    const url = new URL(`${server.url}${pods}/follow/log?follow=true`)
    const received: string[] = []
    const ended = new Promise<string>((resolve, reject) => {
      const req = httpsRequest(
        url,
        { headers: { authorization: `Bearer ${server.token ?? ''}` }, ca: server.caPem },
        (res) => {
          res.setEncoding('utf8')
          res.on('data', (chunk: string) => {
            received.push(chunk)
            if (chunk.includes('before')) server.appendPodLog(target, 'after\n')
            if (chunk.includes('after')) void send(server, 'DELETE', `${pods}/follow`)
          })
          res.on('end', () => resolve(received.join('')))
        },
      )
      req.on('error', reject)
      req.end()
    })
    expect(await ended).toBe('before\nafter\n')
  })

  it('a recreated pod starts with an empty log', async () => {
    await send(server, 'POST', pods, pod('again', ['app']))
    server.appendPodLog({ namespace: 'default', pod: 'again' }, 'old\n')
    await send(server, 'DELETE', `${pods}/again`)
    await send(server, 'POST', pods, pod('again', ['app']))
    expect((await get(server, `${pods}/again/log`)).body.toString()).toBe('')
  })

  it.each([
    {
      given: { namespace: 'default', pod: 'absent' },
      want: 'appendPodLog: pod default/absent does not exist',
    },
    {
      given: { namespace: 'default', pod: 'pending' },
      want: 'appendPodLog: pod default/pending has no spec.nodeName',
    },
    {
      given: { namespace: 'default', pod: 'two' },
      want: 'appendPodLog: container "" is not one of pod default/two\'s containers [app sidecar]',
    },
  ])('appendPodLog refuses $given.pod', ({ given, want }) => {
    expect(() => server.appendPodLog(given, 'x')).toThrow(
      expect.objectContaining({
        code: 'K8S_CODEGEN_TESTKIT_OPTION_INVALID',
        message: expect.stringContaining(want) as unknown,
      }),
    )
  })

  describe.skipIf(!hasKubectl)('kubectl logs', () => {
    let kubeconfig = ''
    beforeAll(async () => {
      kubeconfig = await server.kubeconfig()
    })
    const kubectl = (args: string[]): Promise<{ stdout: string; stderr: string }> =>
      new Promise((resolve) => {
        execFile(
          'kubectl',
          ['--kubeconfig', kubeconfig, ...args],
          { encoding: 'utf8', timeout: 30_000 },
          (_error, stdout, stderr) => resolve({ stdout, stderr }),
        )
      })

    it.each([
      { given: ['logs', 'one'], want: { stdout: 'first\nsecond\nthird\n', stderr: '' } },
      { given: ['logs', 'one', '--tail=1'], want: { stdout: 'third\n', stderr: '' } },
      { given: ['logs', 'two', '-c', 'sidecar'], want: { stdout: 'side\n', stderr: '' } },
      {
        given: ['logs', 'one', '--previous'],
        want: {
          stdout: '',
          stderr:
            'Error from server (BadRequest): previous terminated container "app" in pod "one" not found\n',
        },
      },
      // kubectl ≥ 1.21 picks the first container itself (or the default-container annotation).
      {
        given: ['logs', 'two'],
        want: { stdout: '', stderr: 'Defaulted container "app" out of: app, sidecar\n' },
      },
    ])('kubectl $given', async ({ given, want }) => {
      expect(await kubectl(given)).toEqual(want)
    })

    it('kubectl logs -f prints lines appended while it runs', async () => {
      await send(server, 'POST', pods, pod('tailed', ['app']))
      const target = { namespace: 'default', pod: 'tailed' }
      server.appendPodLog(target, 'one\n')
      const child = spawn('kubectl', ['--kubeconfig', kubeconfig, 'logs', '-f', 'tailed'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let out = ''
      const done = new Promise<number | null>((resolve) => child.on('close', resolve))
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString()
        if (out === 'one\n') server.appendPodLog(target, 'two\n')
        if (out === 'one\ntwo\n') void send(server, 'DELETE', `${pods}/tailed`)
      })
      expect(await done).toBe(0)
      expect(out).toBe('one\ntwo\n')
    })
  })
})
