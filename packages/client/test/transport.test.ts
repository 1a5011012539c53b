// The shared request helper against the emulated apiserver: JSON exactly as served, warnings to
// the callback, StatusErrors, and the served-kind check that tells a missing object from a kind
// the cluster does not serve.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { defineResource } from '@k8s-codegen/runtime'
import { startApiServer, type ApiServer } from '@k8s-codegen/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { loadConnection } from '@k8s-codegen/cluster'

import { contextOf, requestJson, streamFailure, withQuery } from '../src/_transport.js'
import { createClient, isNotFound, type Client, type Warning } from '../src/index.js'

// Hand-declared facts of served and unserved kinds; the operations' tests use generated ones.
const ConfigMap = defineResource()({
  apiVersion: 'v1',
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  plural: 'configmaps',
  singular: 'configmap',
  namespaced: true,
  verbs: ['create', 'get'],
  subresources: {},
})
const Gizmo = defineResource()({
  apiVersion: 'nowhere.example/v1',
  group: 'nowhere.example',
  version: 'v1',
  kind: 'Gizmo',
  plural: 'gizmos',
  singular: 'gizmo',
  namespaced: true,
  verbs: ['get'],
  subresources: {},
})
const Sprocket = defineResource()({
  apiVersion: 'v1',
  group: '',
  version: 'v1',
  kind: 'Sprocket',
  plural: 'sprockets',
  singular: 'sprocket',
  namespaced: true,
  verbs: ['get'],
  subresources: {},
})

let dir: string
let server: ApiServer
let client: Client
const warnings: Warning[] = []

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'k8s-codegen-client-transport-'))
  server = await startApiServer({ profile: 'kubernetes-1.13' })
  client = await createClient({
    kubeconfig: await server.kubeconfig(path.join(dir, 'kubeconfig')),
    onWarning: (w) => warnings.push(w),
  })
})
afterAll(async () => {
  await client.close()
  await server.close()
  await rm(dir, { recursive: true, force: true })
})

describe('withQuery', () => {
  it.each<{ given: [string, Record<string, string | number | boolean | undefined>]; want: string }>(
    [
      { given: ['/api/v1/pods', {}], want: '/api/v1/pods' },
      { given: ['/api/v1/pods', { limit: 5, watch: undefined }], want: '/api/v1/pods?limit=5' },
      {
        given: ['/api/v1/pods', { labelSelector: 'app in (a,b),tier!=x', force: true }],
        want: '/api/v1/pods?labelSelector=app+in+%28a%2Cb%29%2Ctier%21%3Dx&force=true',
      },
    ],
  )('$want', ({ given, want }) => {
    expect(withQuery(...given)).toBe(want)
  })
})

describe('requestJson', () => {
  it('creates and reads an object, returning the JSON as served', async () => {
    const context = contextOf(client)
    const created = await requestJson<Record<string, unknown>>(context, {
      method: 'POST',
      path: ConfigMap.path({ namespace: 'default' }),
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { k: 'v' } },
      target: { resource: ConfigMap },
    })
    const read = await requestJson<Record<string, unknown>>(context, {
      method: 'GET',
      path: ConfigMap.path({ namespace: 'default', name: 'a' }),
      target: { resource: ConfigMap, name: 'a' },
    })
    expect(read).toEqual(created)
    expect(typeof (read['metadata'] as { creationTimestamp: unknown }).creationTimestamp).toBe(
      'string',
    )
  })

  it('hands each Warning header to onWarning', async () => {
    warnings.length = 0
    await requestJson(contextOf(client), {
      method: 'POST',
      path: ConfigMap.path({ namespace: 'default' }),
      query: { fieldValidation: 'Warn' },
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'w' }, bogus: 1 },
      target: { resource: ConfigMap },
    })
    expect(warnings).toEqual([{ code: 299, agent: '-', text: 'unknown field "bogus"' }])
  })

  it.each([
    {
      given: 'a missing object of a served kind',
      resource: ConfigMap,
      want: { code: 'K8S_CODEGEN_CLIENT_STATUS', reason: 'NotFound', statusCode: 404 },
    },
    {
      given: 'a kind in a group-version the cluster does not serve',
      resource: Gizmo,
      want: { code: 'K8S_CODEGEN_CLIENT_KIND_NOT_SERVED' },
      message:
        /does not serve Gizmo \(gizmos\) in nowhere\.example\/v1: the group-version nowhere\.example\/v1 is not served/,
    },
    {
      given: 'a kind missing from a served group-version',
      resource: Sprocket,
      want: { code: 'K8S_CODEGEN_CLIENT_KIND_NOT_SERVED' },
      message: /does not serve Sprocket \(sprockets\) in v1;/,
    },
  ])('$given', async ({ resource, want, message }) => {
    const error = await requestJson(contextOf(client), {
      method: 'GET',
      path: resource.path({ namespace: 'default', name: 'absent' }),
      target: { resource, name: 'absent' },
    }).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toMatchObject(want)
    expect((error as Error).message).not.toContain(server.token ?? 'no token')
    if (message !== undefined) expect((error as Error).message).toMatch(message)
    else expect(isNotFound(error)).toBe(true)
  })
})

describe('streamFailure', () => {
  it('turns a non-2xx stream into the same error as a response', async () => {
    const context = contextOf(client)
    const path = ConfigMap.path({ namespace: 'default', name: 'absent' })
    const stream = await context.connection.stream(path, { method: 'GET' })
    const error = await streamFailure(context, stream, 'GET', path, {
      resource: ConfigMap,
      name: 'absent',
    })
    expect(isNotFound(error)).toBe(true)
    expect(error.message).toMatch(
      /^GET \/api\/v1\/namespaces\/default\/configmaps\/absent: 404 NotFound/,
    )
  })
})

describe('createClient({ connection })', () => {
  it('uses the given connection and leaves it open on close()', async () => {
    const connection = await loadConnection({ kubeconfig: path.join(dir, 'kubeconfig') })
    try {
      const wrapped = await createClient({ connection })
      expect(wrapped.connection).toBe(connection)
      expect(wrapped.namespace).toBe('default')
      await wrapped.close()
      expect((await connection.request('/version')).status).toBe(200)
    } finally {
      await connection.close()
    }
  })

  it('anything else is not a client', () => {
    expect(() => contextOf({})).toThrow(
      expect.objectContaining({ code: 'K8S_CODEGEN_CLIENT_INVALID_ARGUMENT' }),
    )
  })
})
