import { spawn } from 'node:child_process'
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { loadSpecSet, sha512Hex } from '@k8s-codegen/openapi'
import {
  recordedProfileDir,
  startApiServer,
  type ApiServer,
  type StartApiServerOptions,
} from '@k8s-codegen/testkit'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runCli, summaryOf, type CliRun } from './_cli.js'

const recorded = recordedProfileDir()
if (!recorded)
  console.warn(
    'cli fetch: ../shared/fixtures/kubernetes is absent; the recorded-profile tests are skipped (the 1.13 profile ones still run)',
  )

let dir: string
let servers: ApiServer[]
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-fetch-'))
  servers = []
})
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()))
  await rm(dir, { recursive: true, force: true })
})

async function emulator(
  options: StartApiServerOptions = {},
): Promise<{ server: ApiServer; kubeconfig: string }> {
  const server = await startApiServer(options)
  servers.push(server)
  return { server, kubeconfig: await server.kubeconfig(join(dir, `kubeconfig-${servers.length}`)) }
}

// Every run works in the test's temp dir, so nothing (a lockfile, generated output) lands in the repo.
function cli(args: string[], options: Parameters<typeof runCli>[1] = {}): Promise<CliRun> {
  return runCli(args, { cwd: dir, ...options })
}

function fetchArgs(kubeconfig: string, ...extra: string[]): string[] {
  return [
    'fetch',
    '--kubeconfig',
    kubeconfig,
    '--cache-dir',
    join(dir, 'cache'),
    '--lockfile',
    join(dir, 'k8s-codegen.lock.json'),
    '--out',
    join(dir, 'generated'),
    '--json',
    // These tests are about fetching; generation has its own tests (generate.test.ts).
    '--no-generate',
    ...extra,
  ]
}

const gvPath = /\/openapi\/v3\/(api|apis)\//
const paths = (server: ApiServer): string[] => server.requests.map((r) => r.path)

// `killed`: the pid of a run killed with SIGKILL, whose write between its temp file and the
// rename may have been cut (its temp is never read; a later generate removes it).
async function cacheHasNoPartialEntry(killed?: number): Promise<void> {
  const objects = join(dir, 'cache', 'sha512')
  for (const name of await readdir(objects)) {
    if (
      killed !== undefined &&
      new RegExp(`^\\.[0-9A-F]{128}\\.${killed}\\.[0-9a-f]{8}\\.tmp$`).test(name)
    )
      continue
    expect(name, 'no temp file left behind').toMatch(/^[0-9A-F]{128}$/)
    expect(
      sha512Hex(await readFile(join(objects, name))),
      `entry ${name.slice(0, 16)} verifies`,
    ).toBe(name)
  }
}

describe.skipIf(!recorded)('fetch against the recorded profile', () => {
  it('cold fetch downloads every group-version; a warm run makes exactly one request and writes nothing', async () => {
    const { server, kubeconfig } = await emulator({ profile: 'recorded' })
    const cold = await cli(fetchArgs(kubeconfig))
    expect(cold.code, cold.stderr).toBe(0)
    const summary = summaryOf(cold)
    expect(summary).toMatchObject({ ok: true, source: 'v3', reused: 0, unavailable: [] })
    expect(summary.fetched).toBeGreaterThanOrEqual(8)
    const lock = await readFile(join(dir, 'k8s-codegen.lock.json'))
    const set = await loadSpecSet({
      lockfile: join(dir, 'k8s-codegen.lock.json'),
      cacheDir: join(dir, 'cache'),
    })
    expect(
      set.groupVersions
        .find((g) => g.key === 'apis/apps/v1')
        ?.discovery?.resources.some((r) => r.name === 'deployments'),
    ).toBe(true)
    expect(set.serverVersion?.gitVersion).toMatch(/^v1\./)

    server.clearRequests()
    const warm = await cli(fetchArgs(kubeconfig))
    expect(warm.code, warm.stderr).toBe(0)
    expect(paths(server)).toEqual(['/openapi/v3'])
    expect(summaryOf(warm)).toMatchObject({ fetched: 0, requests: 1, lockfileChanged: false })
    expect(await readFile(join(dir, 'k8s-codegen.lock.json'))).toEqual(lock)
  })

  it('downloads only the group-version changed with setGroupVersion', async () => {
    const { server, kubeconfig } = await emulator({ profile: 'recorded' })
    expect((await cli(fetchArgs(kubeconfig))).code).toBe(0)
    const doc = JSON.parse(
      await readFile(join(recorded!, 'v3', 'apis', 'batch', 'v1.json'), 'utf8'),
    ) as { info: { title: string } }
    doc.info.title = 'Kubernetes (changed)'
    server.setGroupVersion('apis/batch/v1', doc)
    server.clearRequests()
    const run = await cli(fetchArgs(kubeconfig))
    expect(run.code, run.stderr).toBe(0)
    expect(paths(server).filter((p) => gvPath.test(p))).toEqual(['/openapi/v3/apis/batch/v1'])
    expect(summaryOf(run)).toMatchObject({ fetched: 1, lockfileChanged: true })
  })

  it('recovers from a hash race (root changes between root and GV request) by re-reading the root', async () => {
    const { server, kubeconfig } = await emulator({ profile: 'recorded' })
    server.injectFault({ path: '/openapi/v3/apis/apps/v1', kind: 'rehash-root', times: 1 })
    const run = await cli(fetchArgs(kubeconfig))
    expect(run.code, run.stderr).toBe(0)
    expect(paths(server).filter((p) => p === '/openapi/v3')).toHaveLength(2)
    const statuses = server.requests
      .filter((r) => r.path === '/openapi/v3/apis/apps/v1')
      .map((r) => r.status)
    expect(statuses).toEqual([301, 200])
    const lock = JSON.parse(await readFile(join(dir, 'k8s-codegen.lock.json'), 'utf8')) as {
      groupVersions: Record<string, { hash: string }>
    }
    expect(lock.groupVersions['apis/apps/v1']?.hash).toBe(server.hashOf('apis/apps/v1'))
  })

  it('keeps the server path prefix on every request (kubernetes#117463)', async () => {
    const { server, kubeconfig } = await emulator({
      profile: 'recorded',
      prefix: '/k8s/clusters/c-1',
    })
    server.injectFault({ path: '/openapi/v3/api/v1', kind: 'rehash-root', times: 1 })
    const run = await cli(fetchArgs(kubeconfig))
    expect(run.code, run.stderr).toBe(0)
    expect(server.requests.length).toBeGreaterThan(10)
    for (const p of paths(server)) expect(p).toMatch(/^\/k8s\/clusters\/c-1\//)
  })

  it('warns about an unavailable group-version and exits 0; with --strict exits 3', async () => {
    const { server, kubeconfig } = await emulator({ profile: 'recorded' })
    server.markUnavailable('apis/autoscaling/v2')
    const run = await cli(fetchArgs(kubeconfig))
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toContain('apis/autoscaling/v2 is unavailable (HTTP 503)')
    expect(summaryOf(run).unavailable).toEqual(['apis/autoscaling/v2'])
    const lock = JSON.parse(await readFile(join(dir, 'k8s-codegen.lock.json'), 'utf8')) as {
      groupVersions: Record<string, unknown>
    }
    expect(lock.groupVersions['apis/autoscaling/v2']).toEqual({
      group: 'autoscaling',
      version: 'v2',
      status: 'unavailable',
      httpStatus: 503,
    })
    const strict = await cli(fetchArgs(kubeconfig, '--strict'))
    expect(strict.code).toBe(3)
    expect(summaryOf(strict)).toMatchObject({
      ok: false,
      exitCode: 3,
      unavailable: ['apis/autoscaling/v2'],
    })
  })

  it('fails a wrong-hash body with the verification exit code, naming the group-version, caching nothing', async () => {
    const { server, kubeconfig } = await emulator({ profile: 'recorded' })
    server.injectFault({ path: '/openapi/v3/apis/batch/v1', kind: 'wrong-hash' })
    const run = await cli(fetchArgs(kubeconfig))
    expect(run.code).toBe(4)
    expect(summaryOf(run).error).toMatchObject({
      code: 'K8S_CODEGEN_OPENAPI_HASH_MISMATCH',
      message: expect.stringContaining('apis/batch/v1') as unknown,
    })
    expect(server.requests.filter((r) => r.path === '/openapi/v3/apis/batch/v1')).toHaveLength(2)
    await expect(stat(join(dir, 'k8s-codegen.lock.json'))).rejects.toThrow()
    await cacheHasNoPartialEntry()
  })

  it('retries a 429 with Retry-After', async () => {
    const { server, kubeconfig } = await emulator({ profile: 'recorded' })
    server.injectFault({
      path: '/openapi/v3/apis/apps/v1',
      kind: 'status',
      status: 429,
      retryAfter: 1,
      times: 1,
    })
    const run = await cli(fetchArgs(kubeconfig))
    expect(run.code, run.stderr).toBe(0)
    expect(
      server.requests.filter((r) => r.path === '/openapi/v3/apis/apps/v1').map((r) => r.status),
    ).toEqual([429, 200])
  })

  it('retries a TLS connection reset mid-body', async () => {
    const { server, kubeconfig } = await emulator({ profile: 'recorded' })
    server.injectFault({
      path: '/openapi/v3/apis/apps/v1',
      kind: 'reset',
      afterBytes: 4096,
      times: 1,
    })
    const run = await cli(fetchArgs(kubeconfig))
    expect(run.code, run.stderr).toBe(0)
    expect(server.requests.filter((r) => r.path === '/openapi/v3/apis/apps/v1').length).toBe(2)
    await cacheHasNoPartialEntry()
  })

  it('retries a body truncated once; a body truncated every time is a verification failure naming its group-version', async () => {
    const { server, kubeconfig } = await emulator({ profile: 'recorded' })
    const remove = server.injectFault({
      path: '/openapi/v3/apis/apps/v1',
      kind: 'truncate',
      bytes: 1000,
      times: 1,
    })
    const once = await cli(fetchArgs(kubeconfig))
    expect(once.code, once.stderr).toBe(0)
    remove()
    server.injectFault({ path: '/openapi/v3/apis/batch/v1', kind: 'truncate', bytes: 1000 })
    await rm(join(dir, 'cache'), { recursive: true })
    const always = await cli(fetchArgs(kubeconfig))
    // The connection layer detects the short body (Content-Length not reached) and retries it;
    // a body short every time is a document that cannot be verified: exit 4, never cached.
    expect(always.code, always.stderr).toBe(4)
    expect(summaryOf(always).error).toMatchObject({
      code: 'K8S_CODEGEN_OPENAPI_DOCUMENT_INCOMPLETE',
      message: expect.stringMatching(
        /^group-version apis\/batch\/v1 could not be verified: .*\/openapi\/v3\/apis\/batch\/v1.* after 1000 of \d+ bytes/,
      ) as unknown,
    })
    expect(always.stderr).not.toMatch(/cannot reach/)
    await cacheHasNoPartialEntry()
  })

  it('a child killed with SIGKILL mid-download leaves a valid cache; the next run succeeds', async () => {
    const { server, kubeconfig } = await emulator({ profile: 'recorded' })
    const removeDrip = server.injectFault({
      path: '/openapi/v3/api/v1',
      kind: 'drip',
      chunkBytes: 16_384,
      intervalMs: 20,
    })
    // -v: a line per group-version, which the kill waits for.
    let pid: number | undefined
    const killed = await cli([...fetchArgs(kubeconfig).filter((a) => a !== '--json'), '-v'], {
      env: { CI: '1' },
      onSpawn: (child) => {
        pid = child.pid
        // Kill once other documents are stored and api/v1 is half-way through its drip.
        const lines = createInterface({ input: child.stderr! })
        let done = 0
        lines.on('line', (line) => {
          if (line.startsWith('fetched') && ++done === 3)
            setTimeout(() => child.kill('SIGKILL'), 300)
        })
      },
    })
    expect(killed.signal).toBe('SIGKILL')
    removeDrip()
    await cacheHasNoPartialEntry(pid)
    await expect(stat(join(dir, 'k8s-codegen.lock.json'))).rejects.toThrow()
    const next = await cli(fetchArgs(kubeconfig))
    expect(next.code, next.stderr).toBe(0)
    await cacheHasNoPartialEntry(pid)
    await loadSpecSet({
      lockfile: join(dir, 'k8s-codegen.lock.json'),
      cacheDir: join(dir, 'cache'),
    })
  })

  it('fetches through a real `kubectl proxy` (--server http://127.0.0.1:<port>)', async () => {
    const { server, kubeconfig } = await emulator({ profile: 'recorded' })
    const proxy = spawn('kubectl', ['proxy', '--port=0', '--kubeconfig', kubeconfig], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    try {
      const port = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error('kubectl proxy did not start within 15 s')),
          15_000,
        )
        createInterface({ input: proxy.stdout }).on('line', (line) => {
          const match = /Starting to serve on 127\.0\.0\.1:(\d+)/.exec(line)
          if (match?.[1]) {
            clearTimeout(timer)
            resolve(match[1])
          }
        })
        proxy.on('exit', (code) => reject(new Error(`kubectl proxy exited with ${String(code)}`)))
      })
      const empty = join(dir, 'empty-kubeconfig')
      await writeFile(
        empty,
        'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n',
      )
      const run = await cli([
        'fetch',
        '--kubeconfig',
        empty,
        '--server',
        `http://127.0.0.1:${port}`,
        '--cache-dir',
        join(dir, 'cache'),
        '--lockfile',
        join(dir, 'k8s-codegen.lock.json'),
        '--out',
        join(dir, 'generated'),
        '--json',
        '--no-generate',
      ])
      expect(run.code, run.stderr).toBe(0)
      expect(summaryOf(run).fetched).toBeGreaterThanOrEqual(8)
      // Our client spoke plain HTTP with no credentials; the emulator speaks TLS and demands a
      // bearer token. Its 200s therefore came through kubectl proxy. (The User-Agent is no proof:
      // kubectl 1.20's proxy forwards the client's own, newer ones send kubectl's.)
      expect(
        server.requests.filter((r) => r.path === '/openapi/v3' && r.status === 200),
      ).toHaveLength(1)
    } finally {
      proxy.kill('SIGKILL')
    }
  })
})

describe('fetch (profile kubernetes-1.13 and errors; no ../shared needed)', () => {
  it('splits a v2-only 1.13 server into per-group-version v3 documents; warm run revalidates with If-None-Match', async () => {
    const { server, kubeconfig } = await emulator({ profile: 'kubernetes-1.13' })
    const run = await cli(fetchArgs(kubeconfig, '--specs-dir', join(dir, 'specs')))
    expect(run.code, run.stderr).toBe(0)
    expect(summaryOf(run)).toMatchObject({ source: 'v2' })
    const set = await loadSpecSet({
      lockfile: join(dir, 'k8s-codegen.lock.json'),
      cacheDir: join(dir, 'nothing'),
      specsDir: join(dir, 'specs'),
    })
    const apps = set.groupVersions.find((g) => g.key === 'apis/apps/v1')
    expect(apps?.document.openapi).toBe('3.0.0')
    expect(apps?.document.components?.schemas?.['io.k8s.api.apps.v1.Deployment']).toBeDefined()
    expect(set.groupVersions.map((g) => g.key)).toContain('apis/extensions/v1beta1')
    server.clearRequests()
    const warm = await cli(fetchArgs(kubeconfig, '--specs-dir', join(dir, 'specs')))
    expect(warm.code, warm.stderr).toBe(0)
    expect(server.requests.map((r) => `${r.path} ${r.status}`)).toEqual([
      '/openapi/v3 404',
      '/openapi/v2 304',
    ])
    expect(summaryOf(warm).lockfileChanged).toBe(false)
  })

  it('reads --out and the filters from the config file (flags still win), like generate', async () => {
    const { kubeconfig } = await emulator({ profile: 'kubernetes-1.13' })
    await writeFile(
      join(dir, 'k8s-codegen.config.json'),
      JSON.stringify({ out: 'src/k8s', include: ['apps/v1'] }),
    )
    const base = ['fetch', '--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), '--json']
    const run = await cli(base)
    expect(run.code, run.stderr).toBe(0)
    // The lockfile is in the project root (the config file's directory), not beside --out.
    const lock = JSON.parse(await readFile(join(dir, 'k8s-codegen.lock.json'), 'utf8')) as {
      groupVersions: Record<string, unknown>
      options: { include: string[] }
    }
    expect(Object.keys(lock.groupVersions)).toEqual(['apis/apps/v1'])
    expect(lock.options.include).toEqual(['apps/v1'])
    expect((await readdir(join(dir, 'src', 'k8s'))).sort()).toContain('apps')

    const flagged = await cli([
      ...base,
      '--out',
      join(dir, 'other'),
      '--include',
      'batch/*',
      '--no-generate',
    ])
    expect(flagged.code, flagged.stderr).toBe(0)
    // A peek (--no-generate) records nothing: apps/v1 stays locked and the recorded include too.
    const other = JSON.parse(await readFile(join(dir, 'k8s-codegen.lock.json'), 'utf8')) as {
      groupVersions: Record<string, unknown>
      options: { include: string[] }
    }
    const keys = Object.keys(other.groupVersions)
    expect(keys).toContain('apis/apps/v1')
    expect(keys.some((k) => k.startsWith('apis/batch/'))).toBe(true)
    expect(other.options.include).toEqual(['apps/v1'])
  })

  it('names the config file and key when the config file is invalid (exit 1, nothing fetched)', async () => {
    const { server, kubeconfig } = await emulator({ profile: 'kubernetes-1.13' })
    await writeFile(join(dir, 'k8s-codegen.config.json'), JSON.stringify({ output: 'x' }))
    const run = await cli(['fetch', '--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache')])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('k8s-codegen.config.json')
    expect(run.stderr).toContain("'output'")
    expect(server.requests).toEqual([])
  })

  it('retries a body reset mid-way (plain HTTP emulator)', async () => {
    const { server, kubeconfig } = await emulator({
      profile: 'kubernetes-1.13',
      http: true,
      auth: { token: false, anonymous: true },
    })
    server.injectFault({ path: '/openapi/v2', kind: 'reset', afterBytes: 2000, times: 1 })
    const run = await cli(fetchArgs(kubeconfig))
    expect(run.code, run.stderr).toBe(0)
    expect(server.requests.filter((r) => r.path === '/openapi/v2').length).toBeGreaterThanOrEqual(2)
  })

  it.each([
    {
      given: 'a CA that did not sign the server certificate',
      want: { exit: 2, code: 'K8S_CODEGEN_CLUSTER_TLS' },
    },
    { given: 'a wrong token', want: { exit: 2, code: 'K8S_CODEGEN_CLUSTER_UNAUTHORIZED' } },
    { given: 'an unreachable server', want: { exit: 2, code: 'K8S_CODEGEN_CLUSTER_UNREACHABLE' } },
    {
      given: 'an unwritable cache dir',
      want: { exit: 1, code: 'K8S_CODEGEN_CLI_NOT_WRITABLE' },
    },
    {
      given: 'an invalid --include glob',
      want: { exit: 1, code: 'K8S_CODEGEN_OPENAPI_FILTER_INVALID' },
    },
  ])(
    '$given → exit $want.exit ($want.code), one JSON document, no secret',
    async ({ given, want }) => {
      const { server, kubeconfig } = await emulator({ profile: 'kubernetes-1.13' })
      const extra: string[] = []
      if (given.startsWith('a CA')) {
        const other = await emulator({ profile: 'kubernetes-1.13' })
        await writeFile(join(dir, 'other-ca.pem'), other.server.caPem)
        extra.push('--certificate-authority', join(dir, 'other-ca.pem'))
      }
      if (given === 'a wrong token') extra.push('--token', 'not-the-token-s3cr3t')
      if (given === 'an unreachable server') extra.push('--server', 'https://127.0.0.1:1')
      if (given === 'an invalid --include glob') extra.push('--include', 'apps/v1/x')
      let args = fetchArgs(kubeconfig, ...extra)
      if (given === 'an unwritable cache dir') {
        await writeFile(join(dir, 'a-file'), '')
        args = args.map((a) => (a === join(dir, 'cache') ? join(dir, 'a-file', 'cache') : a))
      }
      const run = await cli(args, { timeoutMs: 90_000 })
      expect(run.code, run.stderr).toBe(want.exit)
      expect(summaryOf(run).error?.code).toBe(want.code)
      expect(run.stdout + run.stderr).not.toContain(server.token ?? 'never')
      expect(run.stdout + run.stderr).not.toContain('s3cr3t')
      await expect(stat(join(dir, 'k8s-codegen.lock.json'))).rejects.toThrow()
    },
  )
})
