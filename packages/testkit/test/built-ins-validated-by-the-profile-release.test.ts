import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApiServer, type ApiServer } from '../src/index.js'
import { json, send } from './_client.js'

// The recorded profile serves v3 documents of 1.26–1.27 servers and says 1.36 on /version; its
// built-in kinds are validated with the 1.36 definitions (synthesize.ts
// newestReleaseValidationDocuments), so it accepts what a 1.36 server accepts (k8s.io/api
// v0.37.2: Container.RestartPolicy, StatefulSetSpec.ServiceName `+optional`; a real
// kube-apiserver 1.37.2 accepts both rows, without a warning).
const container = { name: 'c', image: 'nginx' }
const sidecar = { name: 'log', image: 'busybox', restartPolicy: 'Always' }
const template = (spec: Record<string, unknown>) => ({ metadata: { labels: { a: 'b' } }, spec })
const rows: {
  given: { path: string; body: Record<string, unknown> }
  want: { status: number; warning: boolean }
}[] = [
  {
    given: {
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
  it.each(rows)('$given.body.kind', async ({ given, want }) => {
    const answer = await send(server, 'POST', `${given.path}?fieldValidation=Warn`, given.body)
    expect(answer.status, JSON.stringify(json(answer))).toBe(want.status)
    expect(answer.headers['warning'] !== undefined, String(answer.headers['warning'])).toBe(
      want.warning,
    )
    expect(json(answer)).toMatchObject({ spec: given.body['spec'] })
  })
})
