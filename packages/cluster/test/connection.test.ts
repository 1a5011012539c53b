// End-to-end against the emulated kube-apiserver (@k8s-codegen/testkit): every credential kind,
// in-cluster, proxies, path prefixes, TLS failures, retries, limits — and no token ever appears
// in an error or warning.
import { readFile, rm, unlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ApiServer } from '@k8s-codegen/testkit'
import { beforeAll, describe, expect, it } from 'vitest'
import { ClusterError } from '../src/index.js'
import { startConnectProxy } from './helpers/connect-proxy.js'
import { useEmulatorConnections } from './helpers/emulator-connections.js'
import { writeKubeconfig } from './helpers/kubeconfig-file.js'
import { createTestPki, type TestPki } from './helpers/pki.js'

const plugin = fileURLToPath(new URL('./fixtures/exec-plugin.mjs', import.meta.url))

/** Everything the library reported or threw, to check that no secret leaks into it. */
const transcript: string[] = []
const emulator = useEmulatorConnections('k8s-codegen-cluster-e2e-', {
  onWarning: (w) => transcript.push(w),
})
const { server, connect, servers } = emulator
let dir: string
let pki: TestPki
let seq = 0

beforeAll(async () => {
  dir = emulator.dir
  pki = await createTestPki()
})

async function failure(promise: Promise<unknown>): Promise<ClusterError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ClusterError)
  const e = error as ClusterError
  transcript.push(e.message, e.stack ?? '', String((e.cause as Error | undefined)?.stack ?? ''))
  return e
}

const json = (body: Uint8Array) =>
  JSON.parse(Buffer.from(body).toString('utf8')) as Record<string, unknown>
const file = (name: string) => path.join(dir, `${seq++}-${name}`)

describe('token', () => {
  it('authenticates with the token from the kubeconfig and reuses the dispatcher', async () => {
    const s = await server()
    const c = await connect({ kubeconfig: await s.kubeconfig(file('kubeconfig')) })
    const first = await c.request('/version')
    const second = await c.request('/version')
    expect(first.status).toBe(200)
    expect(json(first.body)).toHaveProperty('gitVersion')
    expect(second.body).toEqual(first.body)
    expect(c.describe()).toMatchObject({
      authMethod: 'token',
      caSource: 'data',
      server: s.url,
      insecure: false,
    })
    const log = s.requests.filter((r) => r.path === '/version')
    expect(log).toHaveLength(2)
    expect(log[0]?.headers['accept-encoding']).toBe('gzip')
    expect(log[0]?.headers['user-agent']).toMatch(/^k8s-codegen\//)
  })

  it('a wrong token fails with 401 naming the user, never the token', async () => {
    const s = await server()
    const kubeconfig = await writeKubeconfig(
      dir,
      { server: s.url, caPem: s.caPem, user: { token: 'wrong-token-e2e-0001' } },
      'wrong-token',
    )
    const c = await connect({ kubeconfig })
    const e = await failure(c.request('/version'))
    expect(e.code).toBe('K8S_CODEGEN_CLUSTER_UNAUTHORIZED')
    expect(e.message).toMatch(/credentials of user "e2e-user"/)
    expect(e.message).not.toContain('wrong-token-e2e-0001')
  })

  it('--token overrides the kubeconfig token', async () => {
    const s = await server()
    const kubeconfig = await writeKubeconfig(
      dir,
      { server: s.url, caPem: s.caPem, user: { token: 'stale-token-e2e-02' } },
      'override-token',
    )
    const c = await connect({ kubeconfig, token: s.token ?? '' })
    expect((await c.request('/version')).status).toBe(200)
  })
})

describe('tokenFile', () => {
  it('is re-read after the refresh period (rotation), and the last good read wins', async () => {
    const s = await server()
    const tokenFile = file('token')
    await writeFile(tokenFile, 'stale-rotated-token-0003\n')
    const kubeconfig = await writeKubeconfig(
      dir,
      { server: s.url, caPem: s.caPem, user: { tokenFile } },
      'token-file',
    )
    let now = 1_000_000
    const c = await connect({ kubeconfig, clock: () => now })
    expect(c.describe().authMethod).toBe('tokenFile')
    expect((await failure(c.request('/version'))).code).toBe('K8S_CODEGEN_CLUSTER_UNAUTHORIZED')

    await writeFile(tokenFile, `  ${s.token ?? ''}\n`) // rotated; whitespace is trimmed
    expect((await failure(c.request('/version'))).code).toBe('K8S_CODEGEN_CLUSTER_UNAUTHORIZED') // still cached
    now += 60_000
    expect((await c.request('/version')).status).toBe(200)

    await unlink(tokenFile)
    now += 60_000
    expect((await c.request('/version')).status).toBe(200)
    expect(transcript.join('\n')).toMatch(
      /tokenFile .* cannot be read \(ENOENT\); using the last token that was read/,
    )
  })

  it('a missing tokenFile fails at load time naming the file', async () => {
    const s = await server()
    const tokenFile = file('absent-token')
    const kubeconfig = await writeKubeconfig(
      dir,
      { server: s.url, caPem: s.caPem, user: { tokenFile } },
      'token-file-missing',
    )
    const e = await failure(connect({ kubeconfig }))
    expect(e.code).toBe('K8S_CODEGEN_CLUSTER_CONFIG_FILE_UNREADABLE')
    expect(e.message).toContain(tokenFile)
  })
})

describe('client certificate', () => {
  it('authenticates with mTLS', async () => {
    const s = await server({ auth: { token: false, clientCert: true } })
    const c = await connect({
      kubeconfig: await s.kubeconfig(file('kubeconfig'), { auth: 'clientCert' }),
    })
    expect(c.describe().authMethod).toBe('clientCert')
    expect((await c.request('/version')).status).toBe(200)
  })

  it('without the certificate the server answers 401', async () => {
    const s = await server({ auth: { token: false, clientCert: true } })
    const c = await connect({
      kubeconfig: await s.kubeconfig(file('kubeconfig'), { auth: 'none' }),
    })
    expect((await failure(c.request('/version'))).code).toBe('K8S_CODEGEN_CLUSTER_UNAUTHORIZED')
  })
})

describe.each([
  ['client.authentication.k8s.io/v1', 'Never'],
  ['client.authentication.k8s.io/v1beta1', undefined],
])('exec plugin %s', (apiVersion, interactiveMode) => {
  async function execKubeconfig(
    s: ApiServer,
    env: Record<string, string>,
    extraExec: Record<string, unknown> = {},
  ) {
    const state = file('plugin-state')
    const dump = file('plugin-dump.json')
    const kubeconfig = await writeKubeconfig(
      dir,
      {
        server: s.url,
        caPem: s.caPem,
        user: {
          exec: {
            apiVersion,
            command: process.execPath,
            args: [plugin],
            env: Object.entries({ PLUGIN_STATE: state, PLUGIN_DUMP: dump, ...env }).map(
              ([name, value]) => ({ name, value }),
            ),
            ...(interactiveMode === undefined ? {} : { interactiveMode }),
            ...extraExec,
          },
        },
      },
      `exec-${seq++}`,
    )
    const runs = async () => Number(await readFile(state, 'utf8'))
    const dumped = async () =>
      JSON.parse(await readFile(dump, 'utf8')) as {
        info: { apiVersion: string; spec: Record<string, unknown> }
        extra: string | null
      }
    return { kubeconfig, runs, dumped }
  }

  it('runs the plugin, re-runs it once after a 401, caches until expirationTimestamp', async () => {
    const s = await server()
    const token = s.token ?? ''
    const { kubeconfig, runs, dumped } = await execKubeconfig(
      s,
      {
        PLUGIN_TOKENS: `stale-exec-token-0004,${token}`,
        PLUGIN_EXPIRES_IN_SECONDS: '3600',
        PLUGIN_EXTRA: 'from-exec-env',
      },
      { provideClusterInfo: true },
    )
    let offset = 0
    const c = await connect({ kubeconfig, clock: () => Date.now() + offset })
    expect(c.describe().authMethod).toBe('exec')
    expect(await readFile(kubeconfig, 'utf8')).toContain(plugin)

    expect((await c.request('/version')).status).toBe(200) // run 1: stale → 401 → run 2
    expect(await runs()).toBe(2)
    expect((await c.request('/version')).status).toBe(200) // cached
    expect(await runs()).toBe(2)
    offset = 2 * 3600_000 // past expirationTimestamp
    expect((await c.request('/version')).status).toBe(200)
    expect(await runs()).toBe(3)

    const { info, extra } = await dumped()
    expect(extra).toBe('from-exec-env')
    expect(info.apiVersion).toBe(apiVersion)
    // Never → false; v1beta1 defaults to IfAvailable → whether our stdin is a terminal.
    expect(info.spec['interactive']).toBe(
      interactiveMode === 'Never' ? false : process.stdin.isTTY === true,
    )
    expect(info.spec['cluster']).toMatchObject({
      server: s.url,
      'certificate-authority-data': Buffer.from(s.caPem).toString('base64'),
    })
  })

  it('concurrent first requests share one plugin run', async () => {
    const s = await server()
    const { kubeconfig, runs } = await execKubeconfig(s, { PLUGIN_TOKENS: s.token ?? '' })
    const c = await connect({ kubeconfig })
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => c.request('/version')))
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200])
    expect(await runs()).toBe(1)
  })

  it('a client certificate from the plugin is used for mTLS', async () => {
    const s = await server({ auth: { token: false, clientCert: true } })
    const certFile = file('exec-client.crt')
    const keyFile = file('exec-client.key')
    await writeFile(certFile, s.clientCert?.certPem ?? '')
    await writeFile(keyFile, s.clientCert?.keyPem ?? '')
    const { kubeconfig } = await execKubeconfig(s, {
      PLUGIN_CERT_FILE: certFile,
      PLUGIN_KEY_FILE: keyFile,
    })
    const c = await connect({ kubeconfig })
    expect(c.describe().authMethod).toBe('exec')
    expect((await c.request('/version')).status).toBe(200)
  })

  it('a 401 with the fresh credential too is an UNAUTHORIZED error after exactly one re-run', async () => {
    const s = await server()
    const { kubeconfig, runs } = await execKubeconfig(s, {
      PLUGIN_TOKENS: 'never-valid-exec-token-05',
    })
    const c = await connect({ kubeconfig })
    const e = await failure(c.request('/version'))
    expect(e.code).toBe('K8S_CODEGEN_CLUSTER_UNAUTHORIZED')
    expect(e.message).toContain('auth method exec')
    expect(await runs()).toBe(2)
  })

  it.each([
    { mode: 'exit-3', message: /failed with exit code 3/ },
    { mode: 'garbage', message: /did not print an ExecCredential JSON object/ },
    { mode: 'no-status', message: /returned no status field/ },
  ])('plugin output $mode is an EXEC_FAILED error', async ({ mode, message }) => {
    const s = await server()
    const { kubeconfig } = await execKubeconfig(s, {
      PLUGIN_TOKENS: 'unused-exec-token-06',
      PLUGIN_MODE: mode,
    })
    const c = await connect({ kubeconfig })
    const e = await failure(c.request('/version'))
    expect(e.code).toBe('K8S_CODEGEN_CLUSTER_EXEC_FAILED')
    expect(e.message).toMatch(message)
  })

  it('the output apiVersion must match the configured one', async () => {
    const s = await server()
    const other = apiVersion.endsWith('v1')
      ? 'client.authentication.k8s.io/v1beta1'
      : 'client.authentication.k8s.io/v1'
    const { kubeconfig } = await execKubeconfig(s, {
      PLUGIN_TOKENS: 'mismatch-exec-token-07',
      PLUGIN_API_VERSION: other,
    })
    const c = await connect({ kubeconfig })
    const e = await failure(c.request('/version'))
    expect(e.message).toMatch(
      new RegExp(`configured for apiVersion ${apiVersion} but returned "${other}"`),
    )
  })

  it('a missing executable names the plugin and shows the installHint', async () => {
    const s = await server()
    const { kubeconfig } = await execKubeconfig(
      s,
      {},
      {
        command: 'k8s-codegen-no-such-plugin',
        installHint: 'install it with: brew install no-such-plugin',
      },
    )
    const c = await connect({ kubeconfig })
    const e = await failure(c.request('/version'))
    expect(e.code).toBe('K8S_CODEGEN_CLUSTER_EXEC_FAILED')
    expect(e.message).toMatch(
      /"k8s-codegen-no-such-plugin" .*executable not found; install it with: brew install no-such-plugin/,
    )
  })
})

describe('in-cluster', () => {
  it('uses KUBERNETES_SERVICE_HOST/PORT, the service account token, ca.crt and namespace', async () => {
    const s = await server()
    const sa = path.join(dir, 'serviceaccount')
    await rm(sa, { recursive: true, force: true })
    await import('node:fs/promises').then((fs) => fs.mkdir(sa, { recursive: true }))
    await writeFile(path.join(sa, 'token'), `${s.token ?? ''}\n`)
    await writeFile(path.join(sa, 'ca.crt'), s.caPem)
    await writeFile(path.join(sa, 'namespace'), ' kube-tools \n')
    const url = new URL(s.url)
    const c = await connect({
      env: {
        HOME: path.join(dir, 'empty-home'),
        KUBERNETES_SERVICE_HOST: url.hostname,
        KUBERNETES_SERVICE_PORT: url.port,
      },
      inClusterDir: sa,
    })
    expect(c.describe()).toMatchObject({
      source: 'in-cluster',
      server: `https://${url.hostname}:${url.port}`,
      namespace: 'kube-tools',
      caSource: 'in-cluster',
      authMethod: 'tokenFile',
    })
    expect((await c.request('/version')).status).toBe(200)
  })
})

describe('proxies and prefixes', () => {
  it('HTTPS_PROXY tunnels through a CONNECT proxy (the host only resolves there)', async () => {
    const s = await server()
    const proxy = await startConnectProxy((host) => (host === 'kube.test' ? '127.0.0.1' : host))
    try {
      const port = new URL(s.url).port
      const kubeconfig = await writeKubeconfig(
        dir,
        {
          server: `https://kube.test:${port}`,
          caPem: s.caPem,
          cluster: { 'tls-server-name': 'localhost' },
          user: { token: s.token },
        },
        'via-proxy',
      )
      const c = await connect({
        kubeconfig,
        env: { HOME: dir, HTTPS_PROXY: proxy.url, NO_PROXY: 'example.org' },
      })
      expect(c.describe()).toMatchObject({
        proxy: proxy.url,
        proxySource: 'environment',
        tlsServerName: 'localhost',
      })
      expect((await c.request('/version')).status).toBe(200)
      expect(proxy.tunnels).toContain(`kube.test:${port}`)

      const direct = await connect({
        kubeconfig,
        env: { HOME: dir, HTTPS_PROXY: proxy.url, NO_PROXY: '.test' },
      })
      expect(direct.describe().proxy).toBeUndefined()
      expect((await failure(direct.request('/version', { retries: 0 }))).code).toBe(
        'K8S_CODEGEN_CLUSTER_UNREACHABLE',
      )
    } finally {
      await proxy.close()
    }
  })

  it('proxy-url in the kubeconfig wins over the environment', async () => {
    const s = await server()
    const proxy = await startConnectProxy((host) => (host === 'kube.test' ? '127.0.0.1' : host))
    try {
      const port = new URL(s.url).port
      const kubeconfig = await writeKubeconfig(
        dir,
        {
          server: `https://kube.test:${port}`,
          caPem: s.caPem,
          cluster: { 'tls-server-name': 'localhost', 'proxy-url': proxy.url },
          user: { token: s.token },
        },
        'proxy-url',
      )
      const c = await connect({ kubeconfig, env: { HOME: dir, HTTPS_PROXY: 'http://127.0.0.1:9' } })
      expect(c.describe()).toMatchObject({ proxySource: 'kubeconfig' })
      expect((await c.request('/version')).status).toBe(200)
      expect(proxy.tunnels).toEqual([`kube.test:${port}`])
    } finally {
      await proxy.close()
    }
  })

  it('keeps the server path prefix for every request', async () => {
    const s = await server({ prefix: '/k8s/clusters/c-1' })
    const c = await connect({ kubeconfig: await s.kubeconfig(file('kubeconfig')) })
    expect(c.server).toMatch(/\/k8s\/clusters\/c-1$/)
    const res = await c.request('/version')
    expect(res.status).toBe(200)
    expect(res.url).toBe(`${s.url}/version`)
    expect(s.requests.map((r) => r.path)).toContain('/k8s/clusters/c-1/version')
  })

  it('a plain-http loopback server (kubectl proxy) works without credentials', async () => {
    const s = await server({ http: true, auth: { token: false, anonymous: true } })
    const kubeconfig = await writeKubeconfig(
      dir,
      { server: s.url, user: { token: 'not-sent-over-http-08' } },
      'plain-http',
    )
    const c = await connect({ kubeconfig })
    expect(c.describe().authMethod).toBe('none')
    expect((await c.request('/version')).status).toBe(200)
  })
})

describe('TLS', () => {
  it('a wrong CA fails with the TLS error suggesting --certificate-authority', async () => {
    const s = await server()
    const kubeconfig = await writeKubeconfig(
      dir,
      { server: s.url, caPem: pki.otherCa.cert, user: { token: s.token } },
      'wrong-ca',
    )
    const c = await connect({ kubeconfig })
    const e = await failure(c.request('/version'))
    expect(e.code).toBe('K8S_CODEGEN_CLUSTER_TLS')
    expect(e.message).toMatch(/--certificate-authority/)
    expect(e.message).toMatch(/context "e2e"/)
  })

  it('a tls-server-name the certificate does not carry fails verification', async () => {
    const s = await server()
    const kubeconfig = await writeKubeconfig(
      dir,
      {
        server: s.url,
        caPem: s.caPem,
        cluster: { 'tls-server-name': 'not-in-the-cert.example' },
        user: { token: s.token },
      },
      'wrong-sni',
    )
    const c = await connect({ kubeconfig })
    expect((await failure(c.request('/version'))).code).toBe('K8S_CODEGEN_CLUSTER_TLS')
  })

  it('--insecure-skip-tls-verify connects without the CA and warns once', async () => {
    const s = await server()
    const before = transcript.length
    const kubeconfig = await writeKubeconfig(
      dir,
      { server: s.url, caPem: pki.otherCa.cert, user: { token: s.token } },
      'insecure',
    )
    const c = await connect({ kubeconfig, insecureSkipTlsVerify: true })
    expect((await c.request('/version')).status).toBe(200)
    expect(
      transcript.slice(before).filter((w) => /TLS verification is disabled/.test(w)),
    ).toHaveLength(1)
    expect(c.describe().caSource).toBe('insecure')
  })
})

describe('request()', () => {
  it('retries 503 honouring Retry-After, then succeeds', async () => {
    const s = await server()
    s.injectFault({ path: '/version', kind: 'status', status: 503, retryAfter: 0, times: 2 })
    const c = await connect({ kubeconfig: await s.kubeconfig(file('kubeconfig')) })
    expect((await c.request('/version')).status).toBe(200)
    expect(s.requests.filter((r) => r.path === '/version').map((r) => r.status)).toEqual([
      503, 503, 200,
    ])
  })

  it('returns the last 429/503 when retries run out', async () => {
    const s = await server()
    s.injectFault({ path: '/version', kind: 'status', status: 429, retryAfter: 0 })
    const c = await connect({ kubeconfig: await s.kubeconfig(file('kubeconfig')) })
    const res = await c.request('/version', { retries: 2 })
    expect(res.status).toBe(429)
    expect(s.requests.filter((r) => r.path === '/version')).toHaveLength(3)
  })

  // client-go rest/with_retry.go: `IsNextRetry` counts attempts against maxRetries and `Before`
  // sleeps the server's Retry-After in full, bounded only by the request's context. The
  // connection's retry budget bounds our own backoff, never the server's answer.
  it.each([
    { given: { method: 'GET' as const, retryAfter: 1 }, want: [429, 200] },
    { given: { method: 'POST' as const, retryAfter: 1 }, want: [429, 201] },
  ])(
    '$given.method waits a Retry-After of $given.retryAfter s beyond a spent retry budget',
    async ({ given, want }) => {
      const s = await server()
      const path = '/api/v1/namespaces/default/configmaps'
      s.injectFault({ path, kind: 'status', status: 429, retryAfter: given.retryAfter, times: 1 })
      const c = await connect({
        kubeconfig: await s.kubeconfig(file('kubeconfig')),
        retryBudgetMs: 100,
      })
      const body = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'r' } })
      const res = await c.send(path, {
        method: given.method,
        ...(given.method === 'POST' ? { body, contentType: 'application/json' } : {}),
        retries: 10,
      })
      expect(res.status).toBe(want[1])
      expect(s.requests.filter((r) => r.path === path).map((r) => r.status)).toEqual(want)
    },
  )

  it('the caller’s deadline ends a long Retry-After wait as a TIMEOUT', async () => {
    const s = await server()
    s.injectFault({ path: '/version', kind: 'status', status: 429, retryAfter: 3600 })
    const c = await connect({ kubeconfig: await s.kubeconfig(file('kubeconfig')) })
    const e = await failure(c.request('/version', { signal: AbortSignal.timeout(300) }))
    expect(e.code).toBe('K8S_CODEGEN_CLUSTER_TIMEOUT')
    expect(s.requests.filter((r) => r.path === '/version')).toHaveLength(1)
  })

  // issue 10: a root entry's `/../../../v3/…` sent the bearer token to the front proxy's own API.
  it.each(['/openapi/v3/../../../v3/x', '/openapi/%2E%2E/v3', '/a/./b', '/a\\b'])(
    'refuses a request path with a dot segment or backslash: %s',
    async (given) => {
      const s = await server()
      const c = await connect({ kubeconfig: await s.kubeconfig(file('kubeconfig')) })
      await expect(c.request(given)).rejects.toMatchObject({ code: 'K8S_CODEGEN_CLUSTER_USAGE' })
      expect(s.requests).toHaveLength(0)
    },
  )

  it.each([
    { kind: 'reset' as const, afterBytes: 5 },
    { kind: 'truncate' as const, bytes: 5 },
  ])('retries after a $kind', async (fault) => {
    const s = await server()
    s.injectFault({ path: '/version', times: 1, ...fault })
    const c = await connect({ kubeconfig: await s.kubeconfig(file('kubeconfig')) })
    const res = await c.request('/version')
    expect(res.status).toBe(200)
    expect(json(res.body)).toHaveProperty('gitVersion')
  })

  it('a body truncated on every attempt is BODY_INCOMPLETE naming the URL and byte counts, not UNREACHABLE', async () => {
    const s = await server()
    s.injectFault({ path: '/version', kind: 'truncate', bytes: 5 })
    const c = await connect({ kubeconfig: await s.kubeconfig(file('kubeconfig')) })
    const e = await failure(c.request('/version', { retries: 1 }))
    expect(e.code).toBe('K8S_CODEGEN_CLUSTER_BODY_INCOMPLETE')
    expect(e.message).toMatch(
      /^GET https:\/\/127\.0\.0\.1:\d+\/version: the server answered but the response body ended early in each of 2 attempts, the last after 5 of \d+ bytes/,
    )
    expect(s.requests.filter((r) => r.path === '/version')).toHaveLength(2)
  })

  it('403 is a FORBIDDEN error naming the user and path', async () => {
    const s = await server()
    s.injectFault({ path: '/version', kind: 'status', status: 403 })
    const c = await connect({ kubeconfig: await s.kubeconfig(file('kubeconfig')) })
    const e = await failure(c.request('/version'))
    expect(e.code).toBe('K8S_CODEGEN_CLUSTER_FORBIDDEN')
    expect(e.message).toMatch(
      /user "k8s-emulator" is not allowed to GET https:\/\/127\.0\.0\.1:\d+\/version/,
    )
  })

  it('times out', async () => {
    const s = await server()
    s.injectFault({ path: '/version', kind: 'latency', ms: 2_000 })
    const c = await connect({ kubeconfig: await s.kubeconfig(file('kubeconfig')) })
    expect((await failure(c.request('/version', { timeoutMs: 200 }))).code).toBe(
      'K8S_CODEGEN_CLUSTER_TIMEOUT',
    )
  })

  it('aborts on the caller signal', async () => {
    const s = await server()
    s.injectFault({ path: '/version', kind: 'latency', ms: 2_000 })
    const c = await connect({ kubeconfig: await s.kubeconfig(file('kubeconfig')) })
    const controller = new AbortController()
    const pending = c.request('/version', { signal: controller.signal })
    setTimeout(() => controller.abort(), 50)
    expect((await failure(pending)).code).toBe('K8S_CODEGEN_CLUSTER_ABORTED')
  })

  it('content-decodes gzip; disable-compression asks for identity; bytes are equal', async () => {
    const s = await server()
    const zipped = await connect({ kubeconfig: await s.kubeconfig(file('kubeconfig')) })
    const plainConfig = await writeKubeconfig(
      dir,
      {
        server: s.url,
        caPem: s.caPem,
        cluster: { 'disable-compression': true },
        user: { token: s.token },
      },
      'no-gzip',
    )
    const plain = await connect({ kubeconfig: plainConfig })
    s.clearRequests()
    const a = await zipped.request('/openapi/v2')
    const b = await plain.request('/openapi/v2')
    expect(a.status).toBe(200)
    expect(a.headers['content-encoding']).toBeUndefined()
    expect(Buffer.from(a.body).equals(Buffer.from(b.body))).toBe(true)
    expect(s.requests.map((r) => r.headers['accept-encoding'])).toEqual(['gzip', undefined])
    expect(plain.describe().compression).toBe(false)
  })

  it('enforces maxBodyBytes', async () => {
    const s = await server()
    const c = await connect({ kubeconfig: await s.kubeconfig(file('kubeconfig')) })
    expect((await failure(c.request('/openapi/v2', { maxBodyBytes: 1_000 }))).code).toBe(
      'K8S_CODEGEN_CLUSTER_BODY_TOO_LARGE',
    )
  })

  it('an unreachable server is an UNREACHABLE error naming the server', async () => {
    const s = await server()
    const url = s.url
    const kubeconfig = await writeKubeconfig(
      dir,
      { server: url, caPem: s.caPem, user: { token: s.token } },
      'closed',
    )
    servers.splice(servers.indexOf(s), 1)
    await s.close()
    const c = await connect({ kubeconfig })
    const e = await failure(c.request('/version', { retries: 0 }))
    expect(e.code).toBe('K8S_CODEGEN_CLUSTER_UNREACHABLE')
    expect(e.message).toContain(url)
  })

  it.each(['version', '//evil.example/x', 'https://evil.example/'])(
    'rejects the non-API path %j',
    async (p) => {
      const s = await server()
      const c = await connect({ kubeconfig: await s.kubeconfig(file('kubeconfig')) })
      expect((await failure(c.request(p))).code).toBe('K8S_CODEGEN_CLUSTER_USAGE')
    },
  )
})

describe('secrets', () => {
  it('no token of any test appears in any error or warning', () => {
    const text = transcript.join('\n')
    expect(transcript.length).toBeGreaterThan(20)
    for (const secret of [
      'wrong-token-e2e-0001',
      'stale-token-e2e-02',
      'stale-rotated-token-0003',
      'stale-exec-token-0004',
      'never-valid-exec-token-05',
      'not-sent-over-http-08',
      ...servers.map((s) => s.token ?? 'no-token'),
    ]) {
      expect(text).not.toContain(secret)
    }
  })
})
