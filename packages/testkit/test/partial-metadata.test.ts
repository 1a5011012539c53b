import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApiServer, type ApiServer } from '../src/index.js'
import { partialMetadataViewOf } from '../src/partial-metadata.js'
import { get, json, send } from './_client.js'

// What client-go's metadata client asks for (`k8s.io/client-go/metadata` metadata.go: protobuf
// first, then JSON) and what kube-apiserver answers (handlers/response.go
// transformResponseObject), the answers as kube-apiserver 1.37.2 gave them for the same requests.
const single =
  'application/vnd.kubernetes.protobuf;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json'
const list =
  'application/vnd.kubernetes.protobuf;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json'
const cms = '/api/v1/namespaces/default/configmaps'

describe('partialMetadataViewOf', () => {
  it.each([
    { given: single, want: { version: 'v1', list: false } },
    { given: list, want: { version: 'v1', list: true } },
    {
      given: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1beta1',
      want: { version: 'v1beta1', list: true },
    },
    { given: 'application/json', want: undefined },
    { given: 'application/json;as=Table;g=meta.k8s.io;v=v1', want: undefined },
    { given: 'application/json;as=PartialObjectMetadata;g=apps;v=v1', want: undefined },
    { given: undefined, want: undefined },
  ])('$given', ({ given, want }) => {
    expect(partialMetadataViewOf(given)).toEqual(want)
  })
})

describe('PartialObjectMetadata answers', () => {
  let server: ApiServer
  beforeAll(async () => {
    server = await startApiServer({ http: true, exampleCrds: true })
    for (const name of ['p-1', 'p-2'])
      await send(server, 'POST', cms, {
        metadata: { name, labels: { app: 'partial' } },
        data: { big: 'x'.repeat(100) },
      })
  })
  afterAll(() => server.close())

  it.each([
    {
      given: { path: `${cms}/p-1`, accept: single },
      want: {
        status: 200,
        body: {
          kind: 'PartialObjectMetadata',
          apiVersion: 'meta.k8s.io/v1',
          metadata: { name: 'p-1', labels: { app: 'partial' } },
        },
      },
    },
    {
      given: { path: `${cms}?labelSelector=app%3Dpartial&limit=1`, accept: list },
      want: {
        status: 200,
        body: {
          kind: 'PartialObjectMetadataList',
          apiVersion: 'meta.k8s.io/v1',
          metadata: { continue: expect.any(String) as unknown },
          items: [
            {
              kind: 'PartialObjectMetadata',
              apiVersion: 'meta.k8s.io/v1',
              metadata: { name: 'p-1' },
            },
          ],
        },
      },
    },
    {
      given: { path: `${cms}?labelSelector=app%3Dnone`, accept: list },
      want: { status: 200, body: { kind: 'PartialObjectMetadataList', items: null } },
    },
    {
      given: { path: `${cms}/p-1`, accept: list },
      want: {
        status: 406,
        body: {
          reason: 'NotAcceptable',
          message:
            'you requested PartialObjectMetadataList, but the requested object is not a list (*core.ConfigMap)',
        },
      },
    },
    {
      given: { path: cms, accept: single },
      want: {
        status: 406,
        body: {
          reason: 'NotAcceptable',
          message:
            'you requested PartialObjectMetadata, but the requested object is a list (*core.ConfigMapList)',
        },
      },
    },
  ])('GET $given.path as $want.body.kind', async ({ given, want }) => {
    const response = await get(server, given.path, { headers: { accept: given.accept } })
    expect(response.status).toBe(want.status)
    const body = json(response) as Record<string, unknown>
    expect(body).toMatchObject(want.body)
    // Only the metadata: no data.
    expect(body).not.toHaveProperty('data')
  })

  it('watches PartialObjectMetadata events', async () => {
    const response = await get(server, `${cms}?watch=true&resourceVersion=0&timeoutSeconds=1`, {
      headers: { accept: single },
    })
    const events = response.body
      .toString()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { type: string; object: Record<string, unknown> })
    expect(events.map((e) => [e.type, e.object['kind'], e.object['apiVersion']])).toEqual([
      ['ADDED', 'PartialObjectMetadata', 'meta.k8s.io/v1'],
      ['ADDED', 'PartialObjectMetadata', 'meta.k8s.io/v1'],
    ])
    expect(events[0]?.object).not.toHaveProperty('data')
  })
})
