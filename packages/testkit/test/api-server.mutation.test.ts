import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exampleCrdDocument, startApiServer, type ApiServer } from '../src/index.js'
import { get, json } from './_client.js'
import { tinyCoreDocument, tinyProfile } from './_profiles.js'

interface Root {
  paths: Record<string, { serverRelativeURL: string }>
}
interface GroupList {
  groups: { name: string; versions: { version: string }[]; preferredVersion: { version: string } }[]
}

describe('runtime mutation', () => {
  const profile = tinyProfile()
  let server: ApiServer
  beforeAll(async () => {
    server = await startApiServer({ profile: profile.dir })
  })
  afterAll(async () => {
    await server.close()
    profile.remove()
  })

  it('setGroupVersion replaces a document: new hash, root and discovery follow, old hash redirects', async () => {
    const before = server.hashOf('api/v1') ?? ''
    const doc = tinyCoreDocument()
    const paths = doc['paths'] as Record<string, unknown>
    delete paths['/api/v1/namespaces/{namespace}/pods/{name}/status']
    server.setGroupVersion('api/v1', doc)
    const after = server.hashOf('api/v1') ?? ''
    expect(after).not.toBe(before)
    const root = json(await get(server, '/openapi/v3')) as Root
    expect(root.paths['api/v1']?.serverRelativeURL).toBe(`/openapi/v3/api/v1?hash=${after}`)
    const list = json(await get(server, '/api/v1')) as { resources: { name: string }[] }
    expect(list.resources.map((r) => r.name)).toEqual(['pods'])
    const stale = await get(server, `/openapi/v3/api/v1?hash=${before}`)
    expect(stale.status).toBe(301)
    expect(stale.headers['location']).toBe(`/openapi/v3/api/v1?hash=${after}`)
  })

  it('setGroupVersion adds a new group-version to the root (with its group key) and to /apis', async () => {
    const doc = JSON.parse(
      JSON.stringify(exampleCrdDocument())
        .replaceAll('example.dev/v1', 'example.dev/v2')
        .replaceAll('"version":"v1"', '"version":"v2"'),
    ) as unknown
    server.setGroupVersion('apis/example.dev/v2', doc)
    const root = json(await get(server, '/openapi/v3')) as Root
    expect(Object.keys(root.paths)).toEqual(
      expect.arrayContaining(['apis/example.dev', 'apis/example.dev/v1', 'apis/example.dev/v2']),
    )
    const groups = json(await get(server, '/apis')) as GroupList
    const example = groups.groups.find((g) => g.name === 'example.dev')
    expect(example?.versions.map((v) => v.version)).toEqual(['v2', 'v1'])
    expect(example?.preferredVersion.version).toBe('v2')
    expect((await get(server, '/apis/example.dev/v2')).status).toBe(200)
  })

  it('removeGroupVersion drops it from the root, discovery and GV routes', async () => {
    server.removeGroupVersion('apis/example.dev/v2')
    expect(server.hashOf('apis/example.dev/v2')).toBeUndefined()
    const root = json(await get(server, '/openapi/v3')) as Root
    expect(Object.keys(root.paths)).not.toContain('apis/example.dev/v2')
    expect((await get(server, '/openapi/v3/apis/example.dev/v2')).status).toBe(404)
    expect((await get(server, '/apis/example.dev/v2')).status).toBe(404)
  })

  it('markUnavailable keeps the group-version listed but answers 503 on its routes', async () => {
    server.markUnavailable('apis/example.dev/v1')
    const root = json(await get(server, '/openapi/v3')) as Root
    expect(Object.keys(root.paths)).toContain('apis/example.dev/v1')
    const groups = json(await get(server, '/apis')) as GroupList
    expect(groups.groups.map((g) => g.name)).toContain('example.dev')
    expect((await get(server, '/apis/example.dev/v1')).status).toBe(503)
    const spec = await get(server, '/openapi/v3/apis/example.dev/v1')
    expect(spec.status).toBe(503)
    expect(spec.body.toString()).toBe('service unavailable\n')
  })

  it.each([
    {
      given: () => server.setGroupVersion('apis/a/b/c', {}),
      want: 'K8S_CODEGEN_TESTKIT_GROUP_VERSION_INVALID',
    },
    {
      given: () => server.setGroupVersion('apis/x.dev/v1', 'not an object'),
      want: 'K8S_CODEGEN_TESTKIT_PROFILE_INVALID',
    },
    {
      given: () => server.removeGroupVersion('apis/absent.dev/v1'),
      want: 'K8S_CODEGEN_TESTKIT_GROUP_VERSION_INVALID',
    },
    {
      given: () => server.markUnavailable('apis/absent.dev/v1'),
      want: 'K8S_CODEGEN_TESTKIT_GROUP_VERSION_INVALID',
    },
  ])('rejects bad mutations with $want', ({ given, want }) => {
    expect(given).toThrow(expect.objectContaining({ code: want }) as Error)
  })
})
