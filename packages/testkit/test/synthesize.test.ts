import { describe, expect, it } from 'vitest'
import { recordedProfileDir, startApiServer } from '../src/index.js'
import { recordedGroupVersions, splitV2 } from '../src/synthesize.js'
import { get, json } from './_client.js'

describe('splitV2', () => {
  const v2 = {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: 'v1.30.0' },
    parameters: { pretty: { name: 'pretty', in: 'query', type: 'string', uniqueItems: true } },
    paths: {
      '/apis/apps/v1/namespaces/{namespace}/deployments': {
        post: {
          operationId: 'createAppsV1NamespacedDeployment',
          consumes: ['*/*'],
          produces: ['application/json'],
          parameters: [
            {
              in: 'body',
              name: 'body',
              required: true,
              schema: { $ref: '#/definitions/io.k8s.api.apps.v1.Deployment' },
            },
          ],
          responses: {
            '200': {
              description: 'OK',
              schema: { $ref: '#/definitions/io.k8s.api.apps.v1.Deployment' },
            },
          },
        },
        parameters: [{ $ref: '#/parameters/pretty' }],
      },
      '/api/v1/pods': { get: { operationId: 'listCoreV1PodForAllNamespaces', responses: {} } },
    },
    definitions: {
      'io.k8s.api.apps.v1.Deployment': {
        type: 'object',
        properties: { spec: { $ref: '#/definitions/io.k8s.api.apps.v1.DeploymentSpec' } },
      },
      'io.k8s.api.apps.v1.DeploymentSpec': { type: 'object' },
      'io.k8s.api.core.v1.Pod': { type: 'object' },
    },
  }

  it('splits per group-version with the referenced schemas only, refs rewritten, v3 bodies and responses', () => {
    const split = splitV2(v2)
    expect([...split.keys()]).toEqual(['apis/apps/v1', 'api/v1'])
    const apps = split.get('apis/apps/v1') as {
      paths: Record<string, Record<string, Record<string, unknown>>>
      components: { schemas: Record<string, unknown> }
    }
    expect(Object.keys(apps.components.schemas)).toEqual([
      'io.k8s.api.apps.v1.Deployment',
      'io.k8s.api.apps.v1.DeploymentSpec',
    ])
    expect(JSON.stringify(apps)).not.toContain('#/definitions/')
    const post = apps.paths['/apis/apps/v1/namespaces/{namespace}/deployments']?.['post'] ?? {}
    expect(post['requestBody']).toEqual({
      content: {
        '*/*': { schema: { $ref: '#/components/schemas/io.k8s.api.apps.v1.Deployment' } },
      },
      required: true,
    })
    expect(post['responses']).toEqual({
      '200': {
        description: 'OK',
        content: {
          'application/json': {
            schema: { $ref: '#/components/schemas/io.k8s.api.apps.v1.Deployment' },
          },
        },
      },
    })
    expect(post).not.toHaveProperty('consumes')
    expect(apps.paths['/apis/apps/v1/namespaces/{namespace}/deployments']?.['parameters']).toEqual([
      { name: 'pretty', in: 'query', schema: { type: 'string', uniqueItems: true } },
    ])
  })
})

const recorded = recordedProfileDir()
if (recorded === undefined)
  console.warn('skipping synthesizeGroupVersions tests: ../shared/fixtures/kubernetes is absent')

describe.skipIf(recorded === undefined)('synthesizeGroupVersions', () => {
  it('serves 60+ group-versions, every one in the root, hashed and discoverable', async () => {
    // On the recorded v3 documents alone (the default adds every 1.36 group-version first).
    const server = await startApiServer({
      profile: 'recorded',
      recordedGroupVersions: [],
      synthesizeGroupVersions: 56,
    })
    try {
      const root = json(await get(server, '/openapi/v3')) as { paths: Record<string, unknown> }
      const gvKeys = Object.keys(root.paths).filter((k) =>
        /^api\/[^/]+$|^apis\/[^/]+\/[^/]+$/.test(k),
      )
      expect(gvKeys.length).toBe(8 + 56)
      expect(gvKeys).toContain('apis/rbac.authorization.k8s.io/v1')
      expect(gvKeys).toContain('apis/s2.apps/v1')
      const moved = json(await get(server, '/apis/s2.apps/v1')) as {
        groupVersion: string
        resources: { name: string }[]
      }
      expect(moved.groupVersion).toBe('s2.apps/v1')
      expect(moved.resources.map((r) => r.name)).toContain('deployments')
      const rbac = await get(
        server,
        `/openapi/v3/apis/rbac.authorization.k8s.io/v1?hash=${server.hashOf('apis/rbac.authorization.k8s.io/v1')}`,
      )
      expect(rbac.status).toBe(200)
      expect(JSON.stringify(json(rbac))).toContain('io.k8s.api.rbac.v1.ClusterRole')
    } finally {
      await server.close()
    }
  })
})

describe.skipIf(recordedProfileDir() === undefined)('recordedGroupVersions', () => {
  it.each([
    { given: ['apis/policy/v1'], want: ['apis/policy/v1'] },
    {
      given: ['apis/policy/v1', 'apis/rbac.authorization.k8s.io/v1'],
      want: ['apis/policy/v1', 'apis/rbac.authorization.k8s.io/v1'],
    },
  ])('$given are split from the recorded v2 spec', ({ given, want }) => {
    expect([...recordedGroupVersions(given).keys()]).toEqual(want)
  })

  it('a key the spec does not have is an error naming it', () => {
    expect(() => recordedGroupVersions(['apis/nope.dev/v1'])).toThrow(
      expect.objectContaining({
        code: 'K8S_CODEGEN_TESTKIT_GROUP_VERSION_INVALID',
        message: expect.stringContaining(
          '"apis/nope.dev/v1" is not a group-version of the recorded v2 1.36 spec',
        ) as unknown,
      }),
    )
  })
})
