// What lost a user's files or state, or misled, when tried as a new user would.
// One emulator, one project directory per test; every test failed on the code that lost them.
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { startApiServer, type ApiServer } from '@k8s-codegen/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { runCli, runMain, summaryOf } from './_cli.js'

let root: string
let server: ApiServer
let kubeconfig: string
let cacheDir: string
/** A fetched project (lockfile, specs dir, generated output) that tests copy. */
let template: string

interface Run {
  code: number
  stdout: string
  stderr: string
}

function cli(args: string[], cwd: string): Promise<Run> {
  return runMain(args, { cwd, cacheDir })
}

async function tree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const path = join(entry.parentPath, entry.name)
    out[path.slice(dir.length + 1)] = await readFile(path, 'utf8')
  }
  return out
}

let n = 0
async function project(): Promise<string> {
  const dir = join(root, `p${n++}`)
  await cp(template, dir, { recursive: true })
  return dir
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cli-user-files-'))
  cacheDir = join(root, 'cache')
  server = await startApiServer({ exampleCrds: true })
  kubeconfig = await server.kubeconfig(join(root, 'kubeconfig'))
  template = join(root, 'template')
  await mkdir(template)
  const fetched = await cli(
    [
      'fetch',
      '--kubeconfig',
      kubeconfig,
      '--specs-dir',
      'specs',
      '--include',
      'core/v1',
      '--include',
      'apps',
      '--include',
      'batch',
    ],
    template,
  )
  if (fetched.code !== 0) throw new Error(`fetch failed: ${fetched.stderr}`)
}, 180_000)

afterAll(async () => {
  await server?.close()
  await rm(root, { recursive: true, force: true })
})

describe('filters', () => {
  it(
    "fetch --include 'app/*' (a typo) exits 1 listing what is served and removes nothing",
    { timeout: 120_000 },
    async () => {
      const dir = await project()
      const before = await tree(dir)
      const run = await cli(
        ['fetch', '--kubeconfig', kubeconfig, '--specs-dir', 'specs', '--include', 'app/*'],
        dir,
      )
      expect(run.code, run.stderr).toBe(1)
      expect(run.stderr).toContain("--include 'app/*' matches no group-version the server serves")
      expect(run.stderr).toMatch(/available: .*apps\/v1.*core\/v1/)
      expect(await tree(dir)).toEqual(before)
    },
  )

  it(
    'accepts api/v1 (how fetch prints group-versions) and ? in fetch and generate alike',
    { timeout: 120_000 },
    async () => {
      const dir = await project()
      const run = await cli(
        ['fetch', '--kubeconfig', kubeconfig, '--include', 'api/v1', '--include', 'apps/v?'],
        dir,
      )
      expect(run.code, run.stderr).toBe(0)
      const lock = JSON.parse(await readFile(join(dir, 'k8s-codegen.lock.json'), 'utf8')) as {
        groupVersions: Record<string, unknown>
      }
      expect(Object.keys(lock.groupVersions)).toEqual(['api/v1', 'apis/apps/v1'])
      const files = await readdir(join(dir, 'generated'), { recursive: true })
      expect(files).toEqual(expect.arrayContaining(['core/v1.ts', 'apps/v1.ts']))
      expect(files).not.toContain('batch/v1.ts')
    },
  )

  it('generate refuses a pattern matching no locked group-version, writing nothing', async () => {
    const dir = await project()
    const before = await tree(dir)
    const run = await cli(['generate', '--include', 'policy/*'], dir)
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(
      "--include 'policy/*' matches no group-version the lockfile's cluster source holds",
    )
    expect(await tree(dir)).toEqual(before)
  })
})

describe('lockfile location and recorded options', () => {
  it(
    'the lockfile stays in the project root whatever --out is, so `generate` alone finds it',
    { timeout: 120_000 },
    async () => {
      const dir = await project()
      const run = await cli(['generate', '--out', 'src/k8s'], dir)
      expect(run.code, run.stderr).toBe(0)
      expect(await readdir(join(dir, 'src', 'k8s'))).toContain('core')
    },
  )

  it(
    'generate --no-docs is recorded, so check agrees; check with another option names it',
    { timeout: 120_000 },
    async () => {
      const dir = await project()
      const generated = await cli(['generate', '--no-docs'], dir)
      expect(generated.code, generated.stderr).toBe(0)
      const lock = JSON.parse(await readFile(join(dir, 'k8s-codegen.lock.json'), 'utf8')) as {
        options: { docs: boolean }
      }
      expect(lock.options.docs).toBe(false)
      expect(await cli(['check'], dir)).toMatchObject({ code: 0 })
      const other = await cli(['check', '--docs'], dir)
      expect(other.code).toBe(1)
      expect(other.stdout).toContain('was generated with different options: docs: false → true')
      expect(other.stdout).not.toContain('hand-edited')
    },
  )
})

describe('offline verification', () => {
  it(
    'an edited committed spec fails generate (even when up to date) and check with exit 4, naming the file and both hashes',
    { timeout: 120_000 },
    async () => {
      const dir = await project()
      const spec = join(dir, 'specs', 'apis', 'apps', 'v1.json')
      const original = await readFile(spec, 'utf8')
      await writeFile(spec, original.replace('"openapi"', '"openapi" ').replace(/ $/, ''))
      for (const command of ['generate', 'check']) {
        const run = await cli([command, '--specs-dir', 'specs'], dir)
        expect(run.code, `${command}: ${run.stderr}`).toBe(4)
        expect(run.stderr).toContain(`${spec} does not hold the locked document: its SHA-512 is `)
        expect(run.stderr).toMatch(
          /its SHA-512 is [0-9A-F]{128}, the lockfile expects [0-9A-F]{128}/,
        )
        expect(run.stderr).toContain('K8S_CODEGEN_OPENAPI_SPEC_TAMPERED')
      }
    },
  )
})

describe('two runs at once', () => {
  it(
    "two generate processes into one --out: both succeed, the user's files survive, the output is whole",
    { timeout: 240_000 },
    async () => {
      const dir = await project()
      const out = join(dir, 'generated')
      await mkdir(join(out, 'mine'), { recursive: true })
      for (let i = 0; i < 500; i++) await writeFile(join(out, 'mine', `f${i}.txt`), `${i}\n`)
      const env = { K8S_CODEGEN_CACHE_DIR: cacheDir }
      // Different options, so each run really rewrites the output.
      const [a, b] = await Promise.all([
        runCli(['generate', '--no-docs', '--json'], { cwd: dir, env, timeoutMs: 180_000 }),
        runCli(['generate', '--docs', '--json'], { cwd: dir, env, timeoutMs: 180_000 }),
      ])
      expect(a.code, a.stderr).toBe(0)
      expect(b.code, b.stderr).toBe(0)
      expect(summaryOf(a).ok).toBe(true)
      expect(await readdir(join(out, 'mine'))).toHaveLength(500)
      expect(await readdir(dir)).not.toContainEqual(expect.stringContaining('k8s-codegen-old'))
      const checked = await cli(['check'], dir)
      expect(checked.code, checked.stdout).toBe(0)
    },
  )
})

describe('two fetches at once', () => {
  it(
    'with different options into one project: both succeed, one after the other, and the project ends as the last one left it',
    { timeout: 240_000 },
    async () => {
      const dir = await project()
      const env = { K8S_CODEGEN_CACHE_DIR: cacheDir }
      const fetch = (...args: string[]) =>
        runCli(['fetch', '--kubeconfig', kubeconfig, '--specs-dir', 'specs', '--json', ...args], {
          cwd: dir,
          env,
          timeoutMs: 180_000,
        })
      const [a, b] = await Promise.all([
        fetch('--no-include', '--include', 'core/v1', '--no-docs'),
        fetch('--no-include', '--include', 'batch', '--docs'),
      ])
      expect(a.code, a.stderr).toBe(0)
      expect(b.code, b.stderr).toBe(0)
      // Whichever took the lockfile's lock second decided the recorded options, and check finds
      // the output, the lockfile and --specs-dir agreeing.
      const lock = JSON.parse(await readFile(join(dir, 'k8s-codegen.lock.json'), 'utf8')) as {
        options: { include: string[]; docs: boolean }
        groupVersions: Record<string, unknown>
      }
      expect([
        { include: ['core/v1'], docs: false },
        { include: ['batch'], docs: true },
      ]).toContainEqual({ include: lock.options.include, docs: lock.options.docs })
      const checked = await cli(['check'], dir)
      expect(checked.code, checked.stdout).toBe(0)
      const specs = Object.keys(await tree(join(dir, 'specs'))).filter(
        (p) => !p.endsWith('.discovery.json'),
      )
      expect(specs.map((p) => p.replace(/\.json$/, '')).sort()).toEqual(
        Object.keys(lock.groupVersions).sort(),
      )
      const left = Object.keys(await tree(dir)).filter((p) => /journal|\.tmp$|\.lock\//.test(p))
      expect(left).toEqual([])
    },
  )
})

// issue 10: no deadline (a server answering 429 cost ~40 s per group-version) and no
// --request-timeout; both now bound a fetch, and a malformed duration is a usage error.
describe('a bounded fetch', () => {
  it(
    '--request-timeout (kubectl) bounds each request and --timeout the whole fetch; exit 2, nothing written',
    { timeout: 120_000 },
    async () => {
      const slow = await startApiServer({ exampleCrds: true })
      try {
        const config = await slow.kubeconfig(join(root, 'kubeconfig-slow'))
        slow.injectFault({ path: '/openapi/v3', kind: 'latency', ms: 5_000 })
        const dir = await project()
        const before = await tree(dir)
        const perRequest = await cli(
          ['fetch', '--kubeconfig', config, '--request-timeout', '1s', '--json'],
          dir,
        )
        expect(perRequest.code, perRequest.stderr).toBe(2)
        expect(JSON.parse(perRequest.stdout)).toMatchObject({
          error: { code: 'K8S_CODEGEN_CLUSTER_TIMEOUT' },
        })
        const whole = await cli(['fetch', '--kubeconfig', config, '--timeout', '1s', '--json'], dir)
        expect(whole.code, whole.stderr).toBe(2)
        expect(JSON.parse(whole.stdout)).toMatchObject({
          error: { code: expect.stringMatching(/TIMEOUT|DEADLINE/) as string },
        })
        expect(await tree(dir)).toEqual(before)
      } finally {
        await slow.close()
      }
    },
  )

  it.each([
    { flag: '--request-timeout', code: 'K8S_CODEGEN_CLUSTER_CONFIG_INVALID' },
    { flag: '--timeout', code: 'K8S_CODEGEN_CLI_USAGE' },
  ])('$flag 10x is refused (exit 1) before any request', async ({ flag, code }) => {
    const run = await cli(['fetch', '--kubeconfig', kubeconfig, flag, '10x', '--json'], root)
    expect(run.code, run.stderr).toBe(1)
    expect(JSON.parse(run.stdout)).toMatchObject({ error: { code } })
  })
})

describe('one reporter', () => {
  it.each([
    {
      args: ['connection', '--json', '--kubeconfig', '/nonexistent/config'],
      code: 'K8S_CODEGEN_CLUSTER_CONFIG_NOT_FOUND',
      exit: 1,
    },
    { args: ['proxy-url', '--json', 'deployment/x'], code: 'K8S_CODEGEN_CLI_USAGE', exit: 1 },
    { args: ['fetch', '--json', '--bogus'], code: 'K8S_CODEGEN_CLI_USAGE', exit: 1 },
    { args: ['--json'], code: 'K8S_CODEGEN_CLI_USAGE', exit: 1 },
    {
      args: ['connection', '--json', '--server', 'ht!tp://x'],
      code: 'K8S_CODEGEN_CLUSTER_CONFIG_INVALID',
      exit: 1,
    },
  ])('$args → exactly one JSON document with $code, exit $exit', async ({ args, code, exit }) => {
    const run = await cli(args, root)
    expect(run.code, run.stderr).toBe(exit)
    expect(run.stdout.trim().split('\n')).toHaveLength(1)
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, exitCode: exit, error: { code } })
  })

  it('the no-command message names every command', async () => {
    const run = await cli([], root)
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('fetch, generate, check, validate, connection or proxy-url')
  })
})
