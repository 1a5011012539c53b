import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { recordedProfileDir, type ApiServer } from '../../src/index.js'
import { get } from '../_client.js'

// The bin is tested as built (turbo runs build before test): dist/bin/k8s-emulator.js.
const bin = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'dist',
  'bin',
  'k8s-emulator.js',
)
const work = mkdtempSync(join(tmpdir(), 'testkit-bin-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

interface Started {
  child: ChildProcess
  line: { url: string; kubeconfig: string }
  stdout: () => string
}

function start(args: string[]): Promise<Started> {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`k8s-emulator did not print its line within 50 s: ${stderr}`))
    }, 50_000)
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      const newline = stdout.indexOf('\n')
      if (newline !== -1) {
        clearTimeout(timer)
        resolve({
          child,
          line: JSON.parse(stdout.slice(0, newline)) as Started['line'],
          stdout: () => stdout,
        })
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`k8s-emulator exited with ${code}: ${stderr}`))
    })
  })
}

function exitOf(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
    child.once('exit', (code) => {
      clearTimeout(timer)
      resolve(code)
    })
    child.kill(signal)
  })
}

function asServer(url: string, kubeconfig: string): ApiServer {
  const config = JSON.parse(readFileSync(kubeconfig, 'utf8')) as {
    clusters: { cluster: Record<string, string> }[]
    users: { user: Record<string, string> }[]
  }
  const ca = config.clusters[0]?.cluster['certificate-authority-data']
  return {
    url,
    caPem: ca === undefined ? '' : Buffer.from(ca, 'base64').toString(),
    token: config.users[0]?.user['token'],
  } as ApiServer
}

describe('k8s-emulator bin', () => {
  it.each([{ signal: 'SIGTERM' as const }, { signal: 'SIGINT' as const }])(
    'prints one JSON line, serves, logs requests as JSON lines and exits 0 on $signal',
    async ({ signal }) => {
      const log = join(work, `${signal}.jsonl`)
      const kubeconfig = join(work, `${signal}.kubeconfig`)
      const { child, line, stdout } = await start([
        '--specs',
        'kubernetes-1.13',
        '--prefix',
        '/k8s/clusters/c-1',
        '--kubeconfig',
        kubeconfig,
        '--log',
        log,
        '--example-crds',
      ])
      try {
        expect(line).toEqual({
          url: expect.stringMatching(/^https:\/\/127\.0\.0\.1:\d+\/k8s\/clusters\/c-1$/) as string,
          kubeconfig,
        })
        const server = asServer(line.url, kubeconfig)
        expect((await get(server, '/version')).status).toBe(200)
        expect((await get(server, '/apis/example.dev/v1')).status).toBe(200)
        const entries = readFileSync(log, 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as { path: string; status: number })
        expect(entries.map((e) => [e.path, e.status])).toEqual([
          ['/k8s/clusters/c-1/version', 200],
          ['/k8s/clusters/c-1/apis/example.dev/v1', 200],
        ])
        expect(readFileSync(log, 'utf8')).not.toContain(server.token ?? '')
      } finally {
        expect(await exitOf(child, signal)).toBe(0)
      }
      expect(stdout().trim().split('\n')).toHaveLength(1)
    },
  )

  it('serves plain HTTP with --http', async () => {
    const { child, line } = await start(['--specs', 'kubernetes-1.13', '--http'])
    try {
      expect(line.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect((await get(asServer(line.url, line.kubeconfig), '/openapi/v2')).status).toBe(200)
    } finally {
      await exitOf(child, 'SIGTERM')
    }
  })

  it.skipIf(recordedProfileDir() === undefined)(
    'serves a group-version of the recorded v2 spec with --recorded-group-version',
    async () => {
      const { child, line } = await start(['--http', '--recorded-group-version', 'apis/policy/v1'])
      try {
        const response = await get(asServer(line.url, line.kubeconfig), '/apis/policy/v1')
        expect(response.status).toBe(200)
        const list = JSON.parse(response.body.toString('utf8')) as {
          resources: { name: string }[]
        }
        expect(list.resources.map((r) => r.name)).toEqual([
          'poddisruptionbudgets',
          'poddisruptionbudgets/status',
        ])
      } finally {
        await exitOf(child, 'SIGTERM')
      }
    },
  )

  it.skipIf(recordedProfileDir() === undefined).each([
    { given: [] as string[], want: { rbac: 200, policy: 200 } },
    { given: ['--recorded-group-version', 'apis/policy/v1'], want: { rbac: 404, policy: 200 } },
    { given: ['--recorded-group-version', 'none'], want: { rbac: 404, policy: 404 } },
  ])('serves the recorded 1.36 group-versions with $given', async ({ given, want }) => {
    const { child, line } = await start(['--http', ...given])
    try {
      const server = asServer(line.url, line.kubeconfig)
      expect({
        rbac: (await get(server, '/apis/rbac.authorization.k8s.io/v1')).status,
        policy: (await get(server, '/apis/policy/v1')).status,
      }).toEqual(want)
    } finally {
      await exitOf(child, 'SIGTERM')
    }
  })

  it('installs CRD files with --crds', async () => {
    const crds = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'crds')
    const { child, line } = await start(['--specs', 'kubernetes-1.13', '--http', '--crds', crds])
    try {
      const response = await get(asServer(line.url, line.kubeconfig), '/apis/test.dev/v1')
      expect(response.status).toBe(200)
      const list = JSON.parse(response.body.toString('utf8')) as { resources: { name: string }[] }
      expect(list.resources.map((r) => r.name)).toEqual([
        'knobs',
        'things',
        'things/scale',
        'things/status',
      ])
    } finally {
      await exitOf(child, 'SIGTERM')
    }
  })

  it.each([
    { given: ['--port', 'abc'], want: '--port must be a non-negative integer' },
    { given: ['--bogus'], want: "Unknown option '--bogus'" },
    { given: ['--specs', join(work, 'absent')], want: 'K8S_CODEGEN_TESTKIT_PROFILE_INVALID' },
  ])('exits 1 with a message naming the problem for $given', async ({ given, want }) => {
    const child = spawn(process.execPath, [bin, ...given], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
    expect(code).toBe(1)
    expect(stderr).toContain(want)
  })
})
