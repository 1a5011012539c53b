import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApiServer, type ApiServer } from '../src/index.js'
import { json, send } from './_client.js'

// The recorded profile serves v3 documents of 1.26–1.27 servers and says 1.36 on /version; its
// built-in kinds are validated with the 1.36 definitions (synthesize.ts
// newestReleaseValidationDocuments), so it accepts what a 1.36 server accepts (k8s.io/api
// v0.37.2: Container.RestartPolicy, StatefulSetSpec.ServiceName `+optional`; a real
// kube-apiserver 1.37.2 accepts every row, without a warning). Server-side apply types the
// configuration with the same definitions (apiserver `fieldmanager` builds its TypeConverter
// from the server's own models), so an applied sidecar keeps its `restartPolicy`.
const container = { name: 'c', image: 'nginx' }
const sidecar = { name: 'log', image: 'busybox', restartPolicy: 'Always' }
const template = (spec: Record<string, unknown>) => ({ metadata: { labels: { a: 'b' } }, spec })
const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'd' },
  spec: {
    selector: { matchLabels: { a: 'b' } },
    template: template({ initContainers: [sidecar], containers: [container] }),
  },
}
const rows: {
  given: { write: 'create' | 'apply'; path: string; body: Record<string, unknown> }
  want: { status: number; warning: boolean }
}[] = [
  {
    given: {
      write: 'create',
      path: '/api/v1/namespaces/default/pods',
      body: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'p' },
        spec: { initContainers: [sidecar], containers: [container] },
      },
    },
    want: { status: 201, warning: false },
  },
  {
    given: {
      write: 'apply',
      path: '/api/v1/namespaces/default/pods/applied?fieldManager=m',
      body: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'applied' },
        spec: { initContainers: [sidecar], containers: [container] },
      },
    },
    want: { status: 201, warning: false },
  },
  {
    given: {
      write: 'apply',
      path: '/apis/apps/v1/namespaces/default/deployments/d?fieldManager=m',
      body: deployment,
    },
    want: { status: 201, warning: false },
  },
  {
    given: {
      write: 'create',
      path: '/apis/apps/v1/namespaces/default/statefulsets',
      body: {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 's' },
        spec: {
          selector: { matchLabels: { a: 'b' } },
          template: template({ containers: [container] }),
        },
      },
    },
    want: { status: 201, warning: false },
  },
]

let server: ApiServer
beforeAll(async () => {
  server = await startApiServer({ profile: 'recorded' })
})
afterAll(() => server.close())

describe('built-in kinds on the recorded profile are validated as its /version release validates them', () => {
  it.each(rows)('$given.write $given.body.kind', async ({ given, want }) => {
    const answer =
      given.write === 'create'
        ? await send(server, 'POST', `${given.path}?fieldValidation=Warn`, given.body)
        : await send(server, 'PATCH', `${given.path}&fieldValidation=Warn`, given.body, {
            'content-type': 'application/apply-patch+yaml',
          })
    expect(answer.status, JSON.stringify(json(answer))).toBe(want.status)
    expect(answer.headers['warning'] !== undefined, String(answer.headers['warning'])).toBe(
      want.warning,
    )
    expect(json(answer)).toMatchObject({ spec: given.body['spec'] })
  })

  it("records the applied sidecar field in the applier's managed fields", async () => {
    const stored = json(await send(server, 'GET', '/apis/apps/v1/namespaces/default/deployments/d'))
    expect(JSON.stringify(stored)).toContain('"f:restartPolicy":{}')
  })
})
