// kubectl's `--as`, `--as-uid`, `--as-group` (impersonation headers, client-go
// transport/round_trippers.go) and `--client-certificate`/`--client-key` (they replace the
// kubeconfig user's certificate and key, file and data alike: clientcmd getAuthInfo).
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConnection, resolveKubeconfig, type LoadConnectionOptions } from '../src/index.js'
import { writeKubeconfig } from './helpers/kubeconfig-file.js'
import { createTestPki, type TestPki } from './helpers/pki.js'

let dir: string
let pki: TestPki
let server: Server
let url: string
let seen: IncomingHttpHeaders = {}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'k8s-codegen-as-'))
  pki = await createTestPki()
  server = createServer((req, res) => {
    seen = req.headers
    res.end('{}')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`
})
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()))
  await rm(dir, { recursive: true, force: true })
})

describe('--as, --as-uid, --as-group', () => {
  it.each([
    { given: {}, want: {} },
    { given: { as: 'jane' }, want: { 'impersonate-user': 'jane' } },
    {
      given: { as: 'jane', asUid: '42', asGroups: ['dev', 'ops'] },
      want: {
        'impersonate-user': 'jane',
        'impersonate-uid': '42',
        'impersonate-group': 'dev, ops',
      },
    },
  ])('$given sends $want', async ({ given, want }) => {
    const connection = await loadConnection({ server: url, env: {}, ...given })
    try {
      await connection.request('/version')
      const sent = Object.fromEntries(
        Object.entries(seen).filter(([name]) => name.startsWith('impersonate-')),
      )
      expect(sent).toEqual(want)
    } finally {
      await connection.close()
    }
  })

  it.each([{ asUid: '42' }, { asGroups: ['dev'] }])(
    'refuses %o without --as, as kubectl does',
    async (given) => {
      await expect(loadConnection({ server: url, env: {}, ...given })).rejects.toMatchObject({
        code: 'K8S_CODEGEN_CLUSTER_USAGE',
        message: expect.stringContaining('without impersonating a user') as string,
      })
    },
  )
})

describe('--client-certificate, --client-key', () => {
  it('replace the kubeconfig user certificate data', async () => {
    const cert = path.join(dir, 'flag.crt')
    const key = path.join(dir, 'flag.key')
    await writeFile(cert, pki.client.cert)
    await writeFile(key, pki.client.key)
    const kubeconfig = await writeKubeconfig(dir, {
      server: 'https://127.0.0.1:6443',
      caPem: pki.ca.cert,
      user: {
        'client-certificate-data': Buffer.from(pki.server.cert).toString('base64'),
        'client-key-data': Buffer.from(pki.server.key).toString('base64'),
      },
    })
    const options: LoadConnectionOptions = {
      kubeconfig,
      env: {},
      clientCertificate: cert,
      clientKey: key,
    }
    const resolved = await resolveKubeconfig(options)
    expect(resolved.credentials.clientCertificate).toMatchObject({ certFile: cert, keyFile: key })
    expect(Buffer.from(resolved.credentials.clientCertificate?.cert ?? []).toString()).toBe(
      pki.client.cert,
    )
  })
})
