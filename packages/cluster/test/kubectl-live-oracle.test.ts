// kubectl as the oracle for what goes over the wire: `kubectl get --raw /version` and our
// `request('/version')` talk to the same local HTTPS server with the same kubeconfig and flags;
// the server records path, Authorization header and client certificate. This covers what
// `kubectl config view` cannot: --server/--token/--certificate-authority/--insecure-skip-tls-verify/
// --tls-server-name/--user overrides, tokenFile, basic auth, client certificates and TLS
// failures — and, for exec plugins, the KUBERNETES_EXEC_INFO kubectl hands them.
// Not here: server path prefixes. `kubectl get --raw` treats them differently across versions
// (1.27 drops the prefix, 1.32 sends both), so prefixes are covered by connection.test.ts.
import { execFile, spawnSync } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:https'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { TLSSocket } from 'node:tls'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConnection, type ConnectionOverrides } from '../src/index.js'
import { createTestPki, type TestPki } from './helpers/pki.js'

const run = promisify(execFile)
const plugin = fileURLToPath(new URL('./fixtures/exec-plugin.mjs', import.meta.url))

function findKubectls(): { bin: string; minor: number }[] {
  const list = (process.env['K8S_CODEGEN_KUBECTL'] ?? 'kubectl')
    .split(path.delimiter)
    .filter(Boolean)
  return list.flatMap((bin) => {
    const probe = spawnSync(bin, ['version', '--client', '-o', 'json'], {
      encoding: 'utf8',
      timeout: 20_000,
    })
    if (probe.status !== 0) return []
    const minor = (JSON.parse(probe.stdout) as { clientVersion?: { minor?: string } }).clientVersion
      ?.minor
    return [{ bin, minor: Number.parseInt(minor ?? '0', 10) }]
  })
}
const kubectls = findKubectls()
if (kubectls.length === 0) {
  console.warn('kubectl live oracle skipped: no working kubectl on PATH (or K8S_CODEGEN_KUBECTL)')
}

interface Seen {
  path: string
  authorization: string | undefined
  clientCert: string | undefined
}

let dir: string
// Certificates are needed while the table is built (at collection), so they are made up front.
const pki: TestPki = await createTestPki()
let server: Server
let port: number
const seen: Seen[] = []

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'k8s-codegen-live-oracle-'))
  server = createServer(
    {
      cert: pki.server.cert,
      key: pki.server.key,
      ca: pki.ca.cert,
      requestCert: true,
      rejectUnauthorized: false,
    },
    (req, res) => {
      const socket = req.socket as TLSSocket
      const peer = socket.authorized ? socket.getPeerCertificate() : undefined
      const cn: string | string[] | undefined = peer?.subject?.CN
      seen.push({
        // kubectl adds ?timeout=… (and may ask twice); the path is what must match.
        path: (req.url ?? '').replace(/\?.*$/, ''),
        authorization: req.headers.authorization,
        clientCert: Array.isArray(cn) ? cn.join(',') : cn,
      })
      res.setHeader('content-type', 'application/json')
      res.end('{"major":"1","minor":"30","gitVersion":"v1.30.0"}')
    },
  )
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  port = typeof address === 'object' && address !== null ? address.port : 0
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  await rm(dir, { recursive: true, force: true })
})

interface Scenario {
  name: string
  cluster: Record<string, unknown>
  user: Record<string, unknown>
  /** extra users, e.g. for --user */
  users?: Record<string, Record<string, unknown>>
  flags?: ConnectionOverrides
  /** what both must observe: a request, or a failure */
  want: { path: string; authorization?: string; clientCert?: string } | 'fails'
  minMinor?: number
}

const unique = (list: Seen[]) => [...new Map(list.map((x) => [JSON.stringify(x), x])).values()]
const b64 = (text: string) => Buffer.from(text).toString('base64')
// The port is known only once the server listens: scenarios say {{PORT}}.
const server_ = () => 'https://127.0.0.1:{{PORT}}'

const scenarios = (): Scenario[] => [
  {
    name: 'token with CA data',
    cluster: { server: server_(), 'certificate-authority-data': b64(pki.ca.cert) },
    user: { token: 'live-token-0001' },
    want: { path: '/version', authorization: 'Bearer live-token-0001' },
  },
  {
    name: '--token replaces the token',
    cluster: { server: server_(), 'certificate-authority-data': b64(pki.ca.cert) },
    user: { token: 'live-token-0002' },
    flags: { token: 'live-flag-token-03' },
    want: { path: '/version', authorization: 'Bearer live-flag-token-03' },
  },
  {
    name: 'tokenFile (trimmed)',
    cluster: { server: server_(), 'certificate-authority-data': b64(pki.ca.cert) },
    user: { tokenFile: 'FILE:token.txt' },
    want: { path: '/version', authorization: 'Bearer live-file-token-04' },
  },
  {
    name: '--certificate-authority replaces insecure',
    cluster: { server: server_(), 'insecure-skip-tls-verify': true },
    user: { token: 'live-token-0006' },
    flags: { certificateAuthority: 'FILE:ca.pem' },
    want: { path: '/version', authorization: 'Bearer live-token-0006' },
  },
  {
    name: '--insecure-skip-tls-verify replaces a wrong CA',
    cluster: { server: server_(), 'certificate-authority-data': b64(pki.otherCa.cert) },
    user: { token: 'live-token-0007' },
    flags: { insecureSkipTlsVerify: true },
    want: { path: '/version', authorization: 'Bearer live-token-0007' },
  },
  {
    name: 'a wrong CA fails',
    cluster: { server: server_(), 'certificate-authority-data': b64(pki.otherCa.cert) },
    user: { token: 'live-token-0008' },
    want: 'fails',
  },
  {
    name: 'tls-server-name in the certificate',
    cluster: {
      server: server_(),
      'certificate-authority-data': b64(pki.ca.cert),
      'tls-server-name': 'localhost',
    },
    user: { token: 'live-token-0009' },
    want: { path: '/version', authorization: 'Bearer live-token-0009' },
  },
  {
    name: 'tls-server-name not in the certificate fails',
    cluster: {
      server: server_(),
      'certificate-authority-data': b64(pki.ca.cert),
      'tls-server-name': 'wrong.example',
    },
    user: { token: 'live-token-0010' },
    want: 'fails',
  },
  {
    name: '--server clears tls-server-name',
    cluster: {
      server: 'https://127.0.0.1:1',
      'certificate-authority-data': b64(pki.ca.cert),
      'tls-server-name': 'wrong.example',
    },
    user: { token: 'live-token-0011' },
    flags: { server: server_() },
    want: { path: '/version', authorization: 'Bearer live-token-0011' },
  },
  {
    name: 'basic auth',
    cluster: { server: server_(), 'certificate-authority-data': b64(pki.ca.cert) },
    user: { username: 'alice', password: 'live-password-12' },
    want: { path: '/version', authorization: `Basic ${b64('alice:live-password-12')}` },
  },
  {
    name: 'client certificate',
    cluster: { server: server_(), 'certificate-authority-data': b64(pki.ca.cert) },
    user: {
      'client-certificate-data': b64(pki.client.cert),
      'client-key-data': b64(pki.client.key),
    },
    want: { path: '/version', clientCert: 'test-user' },
  },
  {
    name: '--user picks another user',
    cluster: { server: server_(), 'certificate-authority-data': b64(pki.ca.cert) },
    user: { token: 'live-token-0013' },
    users: { other: { token: 'live-other-token-14' } },
    flags: { user: 'other' },
    want: { path: '/version', authorization: 'Bearer live-other-token-14' },
  },
]

describe.skipIf(kubectls.length === 0).each(kubectls)(
  'kubectl live oracle ($bin)',
  ({ bin, minor }) => {
    it.each(scenarios().map((s) => [s.name, s] as const))(
      '%s',
      { timeout: 60_000 },
      async (_name, scenario) => {
        const s = JSON.parse(
          JSON.stringify(scenario).replaceAll('{{PORT}}', String(port)),
        ) as Scenario
        const caseDir = await mkdtemp(path.join(dir, 'case-'))
        const resolveFile = (value: unknown) =>
          typeof value === 'string' && value.startsWith('FILE:')
            ? path.join(caseDir, value.slice(5))
            : value
        await writeFile(path.join(caseDir, 'token.txt'), '  live-file-token-04 \n')
        await writeFile(path.join(caseDir, 'ca.pem'), pki.ca.cert)
        const users = { u: s.user, ...s.users }
        const kubeconfig = path.join(caseDir, 'kubeconfig')
        await writeFile(
          kubeconfig,
          JSON.stringify({
            apiVersion: 'v1',
            kind: 'Config',
            clusters: [{ name: 'c', cluster: s.cluster }],
            users: Object.entries(users).map(([n, u]) => ({
              name: n,
              user: Object.fromEntries(Object.entries(u).map(([k, v]) => [k, resolveFile(v)])),
            })),
            contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
            'current-context': 'x',
          }),
        )
        const flags: ConnectionOverrides = {}
        const args = [`--kubeconfig=${kubeconfig}`]
        for (const [key, value] of Object.entries(s.flags ?? {}) as [
          keyof ConnectionOverrides,
          string | boolean,
        ][]) {
          const flag = key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)
          const v = typeof value === 'string' ? (resolveFile(value) as string) : value
          Object.assign(flags, { [key]: v })
          args.push(`--${flag}=${String(v)}`)
        }
        const home = path.join(caseDir, 'home')
        await mkdir(home)

        seen.length = 0
        const kubectlOk = await run(
          bin,
          ['get', '--raw', '/version', '--request-timeout=10s', ...args],
          {
            env: { HOME: home, PATH: process.env['PATH'] ?? '' },
            timeout: 30_000,
          },
        ).then(
          () => true,
          () => false,
        )
        const kubectlSeen = unique(seen)
        seen.length = 0
        const connection = await loadConnection({
          kubeconfig,
          env: { HOME: home },
          homeDir: home,
          inClusterDir: path.join(caseDir, 'none'),
          ...flags,
        })
        const oursOk = await connection.request('/version', { retries: 0, timeoutMs: 10_000 }).then(
          () => true,
          () => false,
        )
        await connection.close()
        const oursSeen = unique(seen)

        if (s.want === 'fails') {
          expect({ kubectlOk, oursOk }).toEqual({ kubectlOk: false, oursOk: false })
          return
        }
        const want = {
          path: s.want.path,
          authorization: s.want.authorization,
          clientCert: s.want.clientCert,
        }
        expect({ kubectlOk, kubectl: kubectlSeen }, `kubectl 1.${minor}`).toEqual({
          kubectlOk: true,
          kubectl: [want],
        })
        expect({ oursOk, ours: oursSeen }).toEqual({ oursOk: true, ours: [want] })
      },
    )

    it(
      'exec plugins get the same KUBERNETES_EXEC_INFO from kubectl and from us',
      { timeout: 60_000 },
      async () => {
        if (minor < 22) {
          console.warn(
            `exec info comparison skipped on kubectl 1.${minor}: interactiveMode and v1 arrived in 1.22`,
          )
          return
        }
        const caseDir = await mkdtemp(path.join(dir, 'exec-'))
        const dump = path.join(caseDir, 'dump.json')
        const kubeconfig = path.join(caseDir, 'kubeconfig')
        await writeFile(
          kubeconfig,
          JSON.stringify({
            clusters: [
              {
                name: 'c',
                cluster: {
                  server: `https://127.0.0.1:${port}`,
                  'certificate-authority-data': b64(pki.ca.cert),
                  'tls-server-name': 'localhost',
                },
              },
            ],
            users: [
              {
                name: 'u',
                user: {
                  exec: {
                    apiVersion: 'client.authentication.k8s.io/v1',
                    command: process.execPath,
                    args: [plugin],
                    interactiveMode: 'Never',
                    provideClusterInfo: true,
                    env: [
                      { name: 'PLUGIN_STATE', value: path.join(caseDir, 'state') },
                      { name: 'PLUGIN_DUMP', value: dump },
                      { name: 'PLUGIN_TOKENS', value: 'live-exec-token-15' },
                    ],
                  },
                },
              },
            ],
            contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
            'current-context': 'x',
          }),
        )
        const home = path.join(caseDir, 'home')
        await mkdir(home)
        seen.length = 0
        await run(bin, ['get', '--raw', '/version', `--kubeconfig=${kubeconfig}`], {
          env: { HOME: home, PATH: process.env['PATH'] ?? '' },
          timeout: 30_000,
        })
        const fromKubectl = JSON.parse(await readFile(dump, 'utf8')) as { info: unknown }
        const kubectlSeen = unique(seen)
        seen.length = 0
        const connection = await loadConnection({
          kubeconfig,
          env: { HOME: home },
          homeDir: home,
          inClusterDir: path.join(caseDir, 'none'),
        })
        await connection.request('/version', { retries: 0 })
        await connection.close()
        const fromUs = JSON.parse(await readFile(dump, 'utf8')) as { info: unknown }
        expect(fromUs.info).toEqual(fromKubectl.info)
        expect(unique(seen)).toEqual(kubectlSeen)
      },
    )
  },
)
