import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { recordedProfileDir, startApiServer, type ApiServer } from '../src/index.js'
import { tinyProfile } from './_profiles.js'

// Real-client tests: kubectl is the reference client. CI installs Debian's kubernetes-client
// (kubectl 1.20) when it is missing, so only flags 1.20 knows are used.
const kubectlVersion = spawnSync('kubectl', ['version', '--client'], {
  encoding: 'utf8',
  timeout: 20_000,
})
const hasKubectl = kubectlVersion.status === 0
if (!hasKubectl) {
  console.warn(
    `skipping real-client tests: kubectl is not on PATH (${kubectlVersion.error?.message ?? kubectlVersion.stderr}); .ci/run installs it`,
  )
}

const sha512 = (bytes: Uint8Array): string =>
  createHash('sha512').update(bytes).digest('hex').toUpperCase()
const cacheDir = mkdtempSync(join(tmpdir(), 'testkit-kubectl-cache-'))
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }))

function kubectl(kubeconfig: string, args: string[]): Promise<{ stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'kubectl',
      ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, ...args],
      { encoding: 'buffer', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error !== null) {
          reject(
            new Error(`kubectl ${args.join(' ')} failed: ${stderr.toString()}`, { cause: error }),
          )
        } else resolve({ stdout, stderr: stderr.toString() })
      },
    )
    // Never wait on stdin (kubectl prompts for a username when a user has no credentials).
    child.stdin?.end()
  })
}

interface ApiResourceRow {
  shortNames: string
  group: string
  /** `undefined` when kubectl prints APIGROUP (before 1.20) instead of APIVERSION. */
  version: string | undefined
  namespaced: string
  kind: string
}

/**
 * Parses `kubectl api-resources` by its header's column offsets (cells may be empty). kubectl
 * 1.20+ prints APIVERSION (`apps/v1`), older ones APIGROUP (`apps`).
 */
function apiResourceRows(output: string): Map<string, ApiResourceRow> {
  const [header = '', ...lines] = output.split('\n')
  const names = [...header.matchAll(/\S+/g)].map((m) => ({ name: m[0], start: m.index }))
  const rows = new Map<string, ApiResourceRow>()
  for (const line of lines) {
    if (line.trim() === '') continue
    const cell = (column: string): string => {
      const i = names.findIndex((n) => n.name === column)
      const start = names[i]?.start ?? 0
      const end = names[i + 1]?.start ?? line.length
      return line.slice(start, end).trim()
    }
    const apiVersion = header.includes('APIVERSION') ? cell('APIVERSION') : undefined
    const group =
      apiVersion === undefined
        ? cell('APIGROUP')
        : apiVersion.includes('/')
          ? (apiVersion.split('/')[0] ?? '')
          : ''
    const version = apiVersion === undefined ? undefined : (apiVersion.split('/').pop() ?? '')
    const row: ApiResourceRow = {
      shortNames: cell('SHORTNAMES'),
      group,
      version,
      namespaced: cell('NAMESPACED'),
      kind: cell('KIND'),
    }
    if (!rows.has(cell('NAME'))) rows.set(cell('NAME'), row)
  }
  return rows
}

/** Compares a row; the version only where kubectl prints one. */
function expectRow(rows: Map<string, ApiResourceRow>, name: string, want: ApiResourceRow): void {
  const row = rows.get(name)
  expect(row, name).toEqual(row?.version === undefined ? { ...want, version: undefined } : want)
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      probe.close(() => resolve(port))
    })
  })
}

// The recorded specs when ../shared is present; else a throwaway profile with the example CRD
// group, so v3 routes exist on any machine.
const recorded = recordedProfileDir()
const fallback = recorded === undefined ? tinyProfile() : undefined
afterAll(() => fallback?.remove())
const v3Profile = recorded ?? fallback?.dir ?? ''
const v3Key = recorded === undefined ? 'apis/example.dev/v1' : 'apis/apps/v1'

describe.skipIf(!hasKubectl)('kubectl against the emulator (v3 profile)', () => {
  let server: ApiServer
  let kubeconfig: string
  beforeAll(async () => {
    server = await startApiServer({ profile: v3Profile })
    kubeconfig = await server.kubeconfig()
  })
  afterAll(async () => {
    await server.close()
  })

  it('get --raw /openapi/v3 returns the root document', async () => {
    const { stdout } = await kubectl(kubeconfig, ['get', '--raw', '/openapi/v3'])
    const root = JSON.parse(stdout.toString()) as {
      paths: Record<string, { serverRelativeURL: string }>
    }
    expect(root.paths[v3Key]?.serverRelativeURL).toBe(
      `/openapi/v3/${v3Key}?hash=${server.hashOf(v3Key)}`,
    )
  })

  it('get --raw /openapi/v3/<gv>?hash=… returns exactly the hashed bytes', async () => {
    const hash = server.hashOf(v3Key) ?? ''
    const { stdout } = await kubectl(kubeconfig, [
      'get',
      '--raw',
      `/openapi/v3/${v3Key}?hash=${hash}`,
    ])
    expect(sha512(stdout)).toBe(hash)
  })

  it('api-resources lists the profile resources with short names', async () => {
    const { stdout } = await kubectl(kubeconfig, ['api-resources'])
    const rows = apiResourceRows(stdout.toString())
    if (recorded === undefined) {
      expectRow(rows, 'widgets', {
        shortNames: 'wd',
        group: 'example.dev',
        version: 'v1',
        namespaced: 'true',
        kind: 'Widget',
      })
      expectRow(rows, 'gadgets', {
        shortNames: 'gd',
        group: 'example.dev',
        version: 'v1',
        namespaced: 'false',
        kind: 'Gadget',
      })
    } else {
      expectRow(rows, 'deployments', {
        shortNames: 'deploy',
        group: 'apps',
        version: 'v1',
        namespaced: 'true',
        kind: 'Deployment',
      })
      expectRow(rows, 'pods', {
        shortNames: 'po',
        group: '',
        version: 'v1',
        namespaced: 'true',
        kind: 'Pod',
      })
    }
  })

  it('kubectl proxy in front of the emulator serves /openapi/v3 to a plain HTTP client', async () => {
    const port = await freePort()
    const proxy: ChildProcess = spawn(
      'kubectl',
      ['proxy', `--port=${port}`, '--kubeconfig', kubeconfig],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error('kubectl proxy did not start within 20 s')),
          20_000,
        )
        let output = ''
        proxy.stdout?.on('data', (chunk: Buffer) => {
          output += chunk.toString()
          if (output.includes('Starting to serve')) {
            clearTimeout(timer)
            resolve()
          }
        })
        proxy.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
        proxy.once('exit', (code) => {
          clearTimeout(timer)
          reject(new Error(`kubectl proxy exited with ${code}: ${output}`))
        })
      })
      const root = await fetch(`http://127.0.0.1:${port}/openapi/v3`, {
        signal: AbortSignal.timeout(20_000),
      })
      expect(root.status).toBe(200)
      const body = (await root.json()) as { paths: Record<string, { serverRelativeURL: string }> }
      const url = body.paths[v3Key]?.serverRelativeURL ?? ''
      const doc = await fetch(`http://127.0.0.1:${port}${url}`, {
        signal: AbortSignal.timeout(20_000),
      })
      expect(doc.status).toBe(200)
      expect(doc.headers.get('cache-control')).toBe('public, immutable')
      expect(sha512(new Uint8Array(await doc.arrayBuffer()))).toBe(server.hashOf(v3Key))
    } finally {
      proxy.kill('SIGTERM')
    }
  })
})

describe.skipIf(!hasKubectl)('kubectl against the 1.13 profile', () => {
  let server: ApiServer
  let kubeconfig: string
  beforeAll(async () => {
    server = await startApiServer({ profile: 'kubernetes-1.13' })
    kubeconfig = await server.kubeconfig()
  })
  afterAll(async () => {
    await server.close()
  })

  it('api-resources lists 1.13 resources, extensions/v1beta1 included', async () => {
    const { stdout } = await kubectl(kubeconfig, ['api-resources', '--api-group=extensions'])
    const rows = apiResourceRows(stdout.toString())
    expect([...rows.keys()]).toEqual([
      'daemonsets',
      'deployments',
      'ingresses',
      'networkpolicies',
      'podsecuritypolicies',
      'replicasets',
    ])
    expect(rows.get('ingresses')).toMatchObject({
      shortNames: 'ing',
      group: 'extensions',
      namespaced: 'true',
      kind: 'Ingress',
    })
  })

  it('get --raw /openapi/v2 returns the 1.13 Swagger document', async () => {
    const { stdout } = await kubectl(kubeconfig, ['get', '--raw', '/openapi/v2'])
    expect((JSON.parse(stdout.toString()) as { info: { version: string } }).info.version).toBe(
      'v1.13.4',
    )
  })
})

describe.skipIf(!hasKubectl)('kubectl with a client certificate', () => {
  it('authenticates over mTLS with the generated kubeconfig, and gets 401 without the certificate', async () => {
    const server = await startApiServer({
      profile: 'kubernetes-1.13',
      auth: { token: false, clientCert: true },
    })
    try {
      const withCert = await server.kubeconfig(undefined, { auth: 'clientCert' })
      const { stdout } = await kubectl(withCert, ['get', '--raw', '/version'])
      expect(JSON.parse(stdout.toString())).toMatchObject({ gitVersion: 'v1.13.4' })
      // Without a certificate (a bearer token instead, which this server does not accept) → 401.
      const withoutCert = await server.kubeconfig(undefined, { auth: 'none' })
      await expect(
        kubectl(withoutCert, ['--token=not-a-credential', 'get', '--raw', '/version']),
      ).rejects.toThrow(/Unauthorized/)
    } finally {
      await server.close()
    }
  })
})
