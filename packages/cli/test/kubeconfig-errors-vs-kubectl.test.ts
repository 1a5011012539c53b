// The same broken kubeconfig given to real kubectl and to `fetch`: kubectl is the oracle for
// *whether* it is broken (both refuse it), and for the exit codes we document differently. kubectl
// exits 1 for everything; `fetch` separates a kubeconfig mistake (1) from a server that refuses
// the credentials (2: README "Exit codes"). kubectl also falls back where we stop (a context
// naming a user the file lacks makes it prompt for a username: cluster README, "Deliberate
// differences"). Skipped without kubectl on PATH.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { startApiServer, type ApiServer } from '@k8s-codegen/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { runMain } from './_cli.js'

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' })
const hasKubectl = kubectl.status === 0
if (!hasKubectl)
  console.warn('skipping the kubeconfig errors compared with kubectl: no kubectl on PATH')

let dir: string
let server: ApiServer
let good: Record<string, unknown>
let closedPort: number

type Kubeconfig = {
  clusters: { name: string; cluster: Record<string, string> }[]
  contexts: { name: string; context: Record<string, string> }[]
  users: { name: string; user: Record<string, string> }[]
  'current-context': string
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-kubeconfig-vs-kubectl-'))
  server = await startApiServer()
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  closedPort = (probe.address() as { port: number }).port
  await new Promise((resolve) => probe.close(resolve))
  good = JSON.parse(
    await readFile(await server.kubeconfig(join(dir, 'kubeconfig')), 'utf8'),
  ) as Record<string, unknown>
})

afterAll(async () => {
  await server?.close()
  await rm(dir, { recursive: true, force: true })
})

// kubectl run asynchronously: the emulator answers from this process.
function runKubectl(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('kubectl', args, {
      env: { PATH: process.env.PATH ?? '', HOME: dir, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    // Its prompts go to stdout: both are read as one transcript.
    child.stdout.on('data', (d: Buffer) => (stderr += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('close', (code) => resolve({ code, stderr }))
  })
}

describe.skipIf(!hasKubectl)('a broken kubeconfig, kubectl and fetch', () => {
  const rows: {
    given: string
    edit: (k: Kubeconfig) => void
    args?: string[]
    want: { kubectl: RegExp; fetch: { code: number; stderr: RegExp } }
  }[] = [
    {
      given: 'a wrong token',
      edit: (k) => {
        ;(k.users[0] as { user: Record<string, string> }).user = { token: 'not-the-token' }
      },
      want: {
        kubectl: /You must be logged in to the server \(Unauthorized\)/,
        fetch: {
          code: 2,
          stderr:
            /rejected the credentials of user .*401 Unauthorized.*K8S_CODEGEN_CLUSTER_UNAUTHORIZED/,
        },
      },
    },
    {
      given: 'a server nothing listens on (a closed local port)',
      edit: (k) => {
        ;(k.clusters[0] as { cluster: Record<string, string> }).cluster.server =
          `https://127.0.0.1:${closedPort}`
      },
      want: {
        kubectl: /The connection to the server 127\.0\.0\.1:\d+ was refused/,
        fetch: {
          code: 2,
          stderr:
            /cannot reach the API server https:\/\/127\.0\.0\.1:\d+ .*ECONNREFUSED.*K8S_CODEGEN_CLUSTER_UNREACHABLE/,
        },
      },
    },
    {
      given: '--context nope',
      edit: () => undefined,
      args: ['--context', 'nope'],
      want: {
        kubectl: /context "nope" does not exist/,
        fetch: {
          code: 1,
          stderr:
            /context "nope" \(from --context\) does not exist in kubeconfig file .*available contexts: k8s-emulator/,
        },
      },
    },
    {
      given: 'a current-context with a typo',
      edit: (k) => {
        k['current-context'] = 'k8s-emulatr'
      },
      want: {
        kubectl: /context was not found for specified context: k8s-emulatr/,
        fetch: {
          code: 1,
          stderr: /context "k8s-emulatr" \(from current-context in .*\) does not exist/,
        },
      },
    },
    {
      given: 'a context naming a user the file lacks',
      edit: (k) => {
        ;(k.contexts[0] as { context: Record<string, string> }).context.user = 'k8s-emulatr'
      },
      want: {
        kubectl: /Please enter Username: error: EOF/,
        fetch: {
          code: 1,
          stderr:
            /user "k8s-emulatr" \(from context "k8s-emulator"\) does not exist.*K8S_CODEGEN_CLUSTER_CONFIG_USER_NOT_FOUND/,
        },
      },
    },
  ]
  it.each(rows)(
    '$given: both refuse it',
    { timeout: 60_000 },
    async ({ given, edit, args = [], want }) => {
      const broken = structuredClone(good) as unknown as Kubeconfig
      edit(broken)
      const path = join(dir, `${given.replace(/\W+/g, '-')}.json`)
      await writeFile(path, JSON.stringify(broken))
      const ctl = await runKubectl(['get', '--raw', '/openapi/v3', ...args], { KUBECONFIG: path })
      expect(ctl.code).toBe(1)
      expect(ctl.stderr).toMatch(want.kubectl)
      const ours = await runMain(['fetch', '--no-generate', ...args], {
        cwd: dir,
        env: { KUBECONFIG: path, K8S_CODEGEN_CACHE_DIR: join(dir, 'cache') },
      })
      expect(ours.code, ours.stderr).toBe(want.fetch.code)
      expect(ours.stderr).toMatch(want.fetch.stderr)
    },
  )

  it('KUBECONFIG with two files: the context, namespace and credentials kubectl resolves', async () => {
    const k = good as unknown as Kubeconfig & { clusters: unknown[] }
    const first = { ...k, users: [] }
    const second = {
      apiVersion: 'v1',
      kind: 'Config',
      users: k.users,
      contexts: [
        {
          name: 'other',
          context: { cluster: 'k8s-emulator', user: 'k8s-emulator', namespace: 'x' },
        },
      ],
      'current-context': 'other',
    }
    const [a, b] = [join(dir, 'a.json'), join(dir, 'b.json')]
    await writeFile(a, JSON.stringify(first))
    await writeFile(b, JSON.stringify(second))
    for (const order of [
      [a, b],
      [b, a],
    ]) {
      const KUBECONFIG = order.join(':')
      const view = spawnSync(
        'kubectl',
        [
          'config',
          'view',
          '--minify',
          '-o',
          'jsonpath={.contexts[0].name} {.contexts[0].context.namespace}',
        ],
        {
          env: { PATH: process.env.PATH ?? '', HOME: dir, KUBECONFIG },
          encoding: 'utf8',
        },
      )
      const [context = '', namespace = 'default'] = view.stdout.trim().split(' ')
      const ours = await runMain(['connection'], { cwd: dir, env: { KUBECONFIG } })
      expect(ours.code, ours.stderr).toBe(0)
      expect(ours.stdout).toMatch(new RegExp(`context: +${context}\\n`))
      expect(ours.stdout).toMatch(
        new RegExp(`namespace: +${namespace === '' ? 'default' : namespace}\\n`),
      )
      const fetched = await runMain(['fetch', '--no-generate', '--include', 'apps/v1'], {
        cwd: dir,
        env: { KUBECONFIG, K8S_CODEGEN_CACHE_DIR: join(dir, 'cache') },
      })
      expect(fetched.code, fetched.stderr).toBe(0)
    }
  })
})
