import { request } from 'node:https'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  findRealApiServer,
  startRealApiServer,
  type RealApiServer,
  type RealApiServerBackend,
} from '../src/index.js'

const REPO_BINARY = fileURLToPath(
  new URL('../../../test/apiserver/bin/k8s-codegen-apiserver', import.meta.url),
)
const CRDS = fileURLToPath(new URL('fixtures/crds', import.meta.url))

describe('findRealApiServer looks binaries up in envtest order', () => {
  const dir = mkdtempSync(join(tmpdir(), 'real-apiserver-find-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  for (const name of ['kube-apiserver', 'etcd', 'own']) writeFileSync(join(dir, name), '')
  // What a machine offers when no variable is set: envtest's default directory, then the
  // repository's build (read, not assumed, so the rows hold on any machine).
  const fallback: RealApiServerBackend | undefined =
    existsSync('/usr/local/kubebuilder/bin/kube-apiserver') &&
    existsSync('/usr/local/kubebuilder/bin/etcd')
      ? {
          kind: 'envtest',
          kubeApiserver: '/usr/local/kubebuilder/bin/kube-apiserver',
          etcd: '/usr/local/kubebuilder/bin/etcd',
        }
      : existsSync(REPO_BINARY)
        ? { kind: 'embedded-etcd', binary: REPO_BINARY }
        : undefined
  const rows: { given: NodeJS.ProcessEnv; want: RealApiServerBackend | undefined }[] = [
    {
      given: { TEST_ASSET_KUBE_APISERVER: '/a/kube-apiserver', TEST_ASSET_ETCD: '/b/etcd' },
      want: { kind: 'envtest', kubeApiserver: '/a/kube-apiserver', etcd: '/b/etcd' },
    },
    {
      given: { KUBEBUILDER_ASSETS: dir, K8S_CODEGEN_APISERVER_BIN: join(dir, 'own') },
      want: {
        kind: 'envtest',
        kubeApiserver: join(dir, 'kube-apiserver'),
        etcd: join(dir, 'etcd'),
      },
    },
    {
      given: { TEST_ASSET_KUBE_APISERVER: '/a/kube-apiserver', KUBEBUILDER_ASSETS: dir },
      want: {
        kind: 'envtest',
        kubeApiserver: join(dir, 'kube-apiserver'),
        etcd: join(dir, 'etcd'),
      },
    },
    {
      given: { K8S_CODEGEN_APISERVER_BIN: join(dir, 'own') },
      want: { kind: 'embedded-etcd', binary: join(dir, 'own') },
    },
    { given: { KUBEBUILDER_ASSETS: '', K8S_CODEGEN_APISERVER_BIN: '' }, want: fallback },
    { given: {}, want: fallback },
  ]
  it.each(rows)('$given', ({ given, want }) => {
    expect(findRealApiServer(given)).toEqual(want)
  })
})

describe('startRealApiServer refuses a missing binary with a coded error', () => {
  const rows = [
    {
      given: { K8S_CODEGEN_APISERVER_BIN: '/nonexistent/k8s-codegen-apiserver' },
      want: '/nonexistent/k8s-codegen-apiserver does not exist',
    },
    { given: { KUBEBUILDER_ASSETS: '/nonexistent' }, want: '/nonexistent/kube-apiserver' },
  ]
  it.each(rows)('$given', async ({ given, want }) => {
    const error = await startRealApiServer({ env: given }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'K8S_CODEGEN_TESTKIT_REAL_APISERVER_ABSENT' })
    expect((error as Error).message).toContain(want)
  })
})

const backend = findRealApiServer()
if (backend === undefined) {
  console.warn(
    'skipping real kube-apiserver tests: no binary (KUBEBUILDER_ASSETS, K8S_CODEGEN_APISERVER_BIN or test/apiserver/bin); `npm run apiserver:build` builds one where Go is installed',
  )
}

function get(
  server: RealApiServer,
  path: string,
  token = server.token,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${server.url}${path}`,
      { ca: server.caPem, headers: { authorization: `Bearer ${token}` }, agent: false },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (body += chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      },
    )
    req.on('error', reject)
    req.end()
  })
}

describe.skipIf(backend === undefined)('a started real kube-apiserver', () => {
  let server: RealApiServer
  beforeAll(async () => {
    server = await startRealApiServer({ crds: [CRDS] })
  }, 240_000)
  afterAll(async () => {
    await server?.close()
  }, 60_000)

  it('serves built-in kinds and the installed CRDs behind its token', async () => {
    const rows = [
      { given: '/api/v1/namespaces/default', want: 200 },
      { given: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', want: 200 },
      { given: '/apis/test.dev/v1/namespaces/default/things', want: 200 },
      { given: '/openapi/v3/apis/test.dev/v1', want: 200 },
    ]
    for (const { given, want } of rows) expect((await get(server, given)).status, given).toBe(want)
    expect((await get(server, '/api/v1/namespaces', 'wrong')).status).toBe(401)
  })

  it('publishes every served CRD version in /openapi/v3 once started', async () => {
    const root = JSON.parse((await get(server, '/openapi/v3')).body) as {
      paths: Record<string, unknown>
    }
    expect(Object.keys(root.paths)).toEqual(
      expect.arrayContaining(['apis/test.dev/v1', 'apis/test.dev/v1beta1']),
    )
  })

  it('writes a kubeconfig with its CA and token', async () => {
    const path = await server.kubeconfig()
    const config = JSON.parse(
      await import('node:fs/promises').then((fs) => fs.readFile(path, 'utf8')),
    ) as {
      clusters: { cluster: { server: string } }[]
      users: { user: { token?: string } }[]
    }
    expect(config.clusters[0]?.cluster.server).toBe(server.url)
    expect(config.users[0]?.user.token).toBe(server.token)
  })
})

describe.skipIf(backend === undefined)('closing a real kube-apiserver', () => {
  it('stops it: the port refuses connections afterwards', { timeout: 240_000 }, async () => {
    const server = await startRealApiServer()
    expect((await get(server, '/readyz')).status).toBe(200)
    await server.close()
    await expect(get(server, '/readyz')).rejects.toMatchObject({ code: 'ECONNREFUSED' })
  })
})
