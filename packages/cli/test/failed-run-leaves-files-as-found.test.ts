// A run that fails leaves the file system as it found it: no new directory (`--out`, its
// parents, the cache, the lockfile's directory), no lockfile, no lock, no temp file. `check`
// never writes, failing or not. Every row compares the whole tree of a project (directories
// included, the cache inside it) before and after one command.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { cp, lstat, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { sha512Hex } from '@k8s-codegen/openapi'
import { startApiServer, type ApiServer } from '@k8s-codegen/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { withLocks } from '../src/run-lock.js'
import { binPath, runCli, runMain } from './_cli.js'
import { tree } from './_tree.js'

const FIXTURES = fileURLToPath(new URL('../../openapi/test/fixtures/crds', import.meta.url))
const BAD_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: bad}
spec: {}
`

let root: string
let server: ApiServer
let kubeconfig: string
let closedPort: number
/** A project generated from the fixture CRDs (lockfile, cache, src/k8s), copied by rows. */
let generated: string

// The cache lives in the project (two levels deep, so a run that creates it creates a parent).
const cacheOf = (dir: string): string => join(dir, '.cache', 'k8s-codegen')
const cli = (dir: string, args: string[]) => runMain(args, { cwd: dir, cacheDir: cacheOf(dir) })

let n = 0
async function project(from?: string): Promise<string> {
  const dir = join(root, `p${n++}`)
  if (from !== undefined) {
    await cp(from, dir, { recursive: true })
    return dir
  }
  await mkdir(join(dir, 'bad'), { recursive: true })
  await writeFile(join(dir, 'bad/crd.yaml'), BAD_CRD)
  await cp(FIXTURES, join(dir, 'crds'), { recursive: true })
  return dir
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cli-failed-run-'))
  server = await startApiServer()
  kubeconfig = await server.kubeconfig(join(root, 'kubeconfig'))
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  closedPort = (probe.address() as { port: number }).port
  await new Promise((resolve) => probe.close(resolve))
  generated = await project()
  const run = await cli(generated, ['generate', '--crds', 'crds', '--out', 'src/k8s'])
  if (run.code !== 0) throw new Error(run.stderr)
}, 120_000)

afterAll(async () => {
  await server?.close()
  await rm(root, { recursive: true, force: true })
})

describe('a failed run leaves the tree as it found it', () => {
  const rows: {
    name: string
    given: {
      project: 'empty' | 'generated'
      args: () => string[]
      config?: string
      /** Sets the project up before its tree is taken. */
      prepare?: (dir: string) => Promise<void>
    }
    /**
     * `cache: 'whole entries'`: the run converted the CRDs before it failed, and kept what it
     * stored in the cache: content-addressed entries, each named by the SHA-512 of its bytes
     * (another run may be locking the same entry at the same time, so none is ever removed).
     */
    want: { code: number; stderr: RegExp; stdout?: RegExp; cache?: 'whole entries' }
  }[] = [
    {
      name: 'generate --crds with a refused CRD, into a new --out with a new parent',
      given: { project: 'empty', args: () => ['generate', '--crds', 'bad', '--out', 'src/k8s'] },
      want: { code: 1, stderr: /K8S_CODEGEN_OPENAPI_CRD_INVALID/ },
    },
    {
      name: 'generate --crds over a limit',
      given: {
        project: 'empty',
        args: () => [
          'generate',
          '--crds',
          'crds',
          '--out',
          'src/k8s',
          '--max-crd-file-bytes',
          '10',
        ],
      },
      want: { code: 1, stderr: /K8S_CODEGEN_OPENAPI_CRD_TOO_LARGE/ },
    },
    {
      name: 'generate --crds with a lockfile in a new directory',
      given: {
        project: 'empty',
        args: () => [
          'generate',
          '--crds',
          'bad',
          '--out',
          'src/k8s',
          '--lockfile',
          'locks/x/k.lock.json',
        ],
      },
      want: { code: 1, stderr: /K8S_CODEGEN_OPENAPI_CRD_INVALID/ },
    },
    {
      name: 'generate --crds with an include that matches nothing (after the CRDs were locked)',
      given: {
        project: 'empty',
        args: () => ['generate', '--crds', 'crds', '--out', 'src/k8s', '--include', 'nope/*'],
      },
      want: {
        code: 1,
        stderr: /--include 'nope\/\*' matches no group-version/,
        cache: 'whole entries',
      },
    },
    {
      name: 'generate with a bad flag',
      given: { project: 'empty', args: () => ['generate', '--out', 'src/k8s', '--max-depth', '0'] },
      want: { code: 1, stderr: /--max-depth must be a positive integer/ },
    },
    {
      name: 'generate with a config error',
      given: {
        project: 'empty',
        args: () => ['generate'],
        config: JSON.stringify({ out: 'src/k8s', output: 'x' }),
      },
      want: { code: 1, stderr: /K8S_CODEGEN_CLI_CONFIG_INVALID/ },
    },
    {
      name: 'generate with no lockfile',
      given: { project: 'empty', args: () => ['generate', '--out', 'src/k8s'] },
      want: { code: 1, stderr: /k8s-codegen\.lock\.json/ },
    },
    {
      name: 'generate over an existing output, a refused CRD',
      given: {
        project: 'generated',
        args: () => ['generate', '--crds', 'bad', '--out', 'src/k8s'],
      },
      want: { code: 1, stderr: /K8S_CODEGEN_OPENAPI_CRD_INVALID/ },
    },
    {
      name: 'fetch from an unreachable server (a closed local port), new cache, new --out',
      given: {
        project: 'empty',
        args: () => ['fetch', '--server', `http://127.0.0.1:${closedPort}`, '--out', 'src/k8s'],
      },
      want: { code: 2, stderr: /ECONNREFUSED|connect/ },
    },
    {
      name: 'fetch from an unreachable server with a new --specs-dir and lockfile directory',
      given: {
        project: 'empty',
        args: () => [
          'fetch',
          '--server',
          `http://127.0.0.1:${closedPort}`,
          '--specs-dir',
          'specs/k8s',
          '--lockfile',
          'locks/k8s-codegen.lock.json',
        ],
      },
      want: { code: 2, stderr: /ECONNREFUSED|connect/ },
    },
    {
      name: 'fetch refused by its filter (a pattern the server does not serve)',
      given: {
        project: 'empty',
        args: () => ['fetch', '--kubeconfig', kubeconfig, '--include', 'app/*', '--out', 'src/k8s'],
      },
      want: { code: 1, stderr: /--include 'app\/\*' matches no group-version the server serves/ },
    },
    {
      name: 'fetch --crds with a refused CRD',
      given: {
        project: 'empty',
        args: () => ['fetch', '--kubeconfig', kubeconfig, '--crds', 'bad', '--out', 'src/k8s'],
      },
      want: { code: 1, stderr: /K8S_CODEGEN_OPENAPI_CRD_INVALID/ },
    },
    {
      name: 'fetch --no-generate refused by its filter',
      given: {
        project: 'generated',
        args: () => ['fetch', '--kubeconfig', kubeconfig, '--include', 'app/*', '--no-generate'],
      },
      want: { code: 1, stderr: /matches no group-version the server serves/ },
    },
    {
      name: 'fetch whose generation then refuses a recorded --crds set: the fetched lockfile is put back',
      given: {
        project: 'generated',
        prepare: (dir) => writeFile(join(dir, 'crds/widgets.yaml'), BAD_CRD),
        args: () => ['fetch', '--kubeconfig', kubeconfig],
      },
      want: {
        code: 1,
        stderr: /K8S_CODEGEN_OPENAPI_CRD_INVALID/,
        stdout: /lockfile .* put back as it was, with --specs-dir, because a later step failed/,
        cache: 'whole entries',
      },
    },
    {
      name: 'fetch --specs-dir whose generation then refuses a recorded --crds set',
      given: {
        project: 'generated',
        prepare: (dir) => writeFile(join(dir, 'crds/widgets.yaml'), BAD_CRD),
        args: () => ['fetch', '--kubeconfig', kubeconfig, '--specs-dir', 'specs/k8s'],
      },
      want: { code: 1, stderr: /K8S_CODEGEN_OPENAPI_CRD_INVALID/, cache: 'whole entries' },
    },
    {
      name: 'fetch --no-generate whose --crds step then refuses a recorded set',
      given: {
        project: 'generated',
        prepare: async (dir) => {
          await cp(join(dir, 'crds'), join(dir, 'more'), { recursive: true })
          await writeFile(join(dir, 'crds/widgets.yaml'), BAD_CRD)
        },
        args: () => ['fetch', '--kubeconfig', kubeconfig, '--no-generate', '--crds', 'more'],
      },
      want: { code: 1, stderr: /K8S_CODEGEN_OPENAPI_CRD_INVALID/, cache: 'whole entries' },
    },
    {
      name: 'fetch whose output cannot be written (a file where a group directory goes), new lockfile directory and --specs-dir',
      given: {
        project: 'empty',
        prepare: async (dir) => {
          await mkdir(join(dir, 'src/k8s'), { recursive: true })
          await writeFile(join(dir, 'src/k8s/apps'), 'mine\n')
        },
        args: () => [
          'fetch',
          '--kubeconfig',
          kubeconfig,
          '--out',
          'src/k8s',
          '--lockfile',
          'locks/x/k.lock.json',
          '--specs-dir',
          'specs/k8s',
        ],
      },
      want: {
        code: 1,
        stderr:
          /src\/k8s holds an entry .*: apps \(a file where a generated directory goes\).*K8S_CODEGEN_CLI_OUTPUT_CONFLICT/,
        cache: 'whole entries',
      },
    },
    {
      name: 'check of a missing output (stale: exit 1) writes nothing',
      given: { project: 'generated', args: () => ['check', '--out', 'src/other'] },
      want: { code: 1, stderr: /^$/ },
    },
    {
      name: 'check of an up-to-date output (exit 0) writes nothing',
      given: { project: 'generated', args: () => ['check'] },
      want: { code: 0, stderr: /^$/ },
    },
    {
      name: 'check --crds in an empty project writes nothing',
      given: { project: 'empty', args: () => ['check', '--crds', 'crds', '--out', 'src/k8s'] },
      want: { code: 1, stderr: /^$/ },
    },
  ]
  it.each(rows)('$name', { timeout: 60_000 }, async ({ given, want }) => {
    const dir = await project(given.project === 'generated' ? generated : undefined)
    if (given.config !== undefined)
      await writeFile(join(dir, 'k8s-codegen.config.json'), given.config)
    await given.prepare?.(dir)
    const before = await tree(dir)
    const run = await cli(dir, given.args())
    expect(run.code, run.stderr).toBe(want.code)
    expect(run.stderr).toMatch(want.stderr)
    if (want.stdout !== undefined) expect(run.stdout).toMatch(want.stdout)
    const after = await tree(dir)
    if (want.cache === 'whole entries') {
      for (const [path, bytes] of Object.entries(after)) {
        if (path in before) continue
        expect(path).toMatch(/^\.cache($|\/)/)
        const name = basename(path)
        if (dirname(path).endsWith('/sha512'))
          expect(sha512Hex(Buffer.from(bytes, 'base64')), path).toBe(name)
        expect(name).not.toMatch(/\.tmp$/)
      }
      // The entries the project had are all still there, as they were; the cache's own
      // bookkeeping (verification stamps, run announcements) may differ.
      for (const [path, bytes] of Object.entries(before))
        if (dirname(path).endsWith('/sha512')) expect(after[path], path).toBe(bytes)
      for (const t of [before, after])
        for (const path of Object.keys(t)) if (path.startsWith('.cache')) delete t[path]
    }
    expect(after).toEqual(before)
  })

  it('a run that finds the lock held by another run', async () => {
    const dir = await project()
    const before = await tree(dir)
    const out = join(dir, 'src/k8s')
    // The holder created --out for its lock; the second run gives up waiting and removes nothing.
    const failed = await withLocks([{ kind: 'directory', path: out, what: '--out' }], async () => {
      const held = await tree(dir)
      const error: unknown = await withLocks(
        [
          { kind: 'file', path: join(dir, 'locks/k.lock.json'), what: 'the lockfile' },
          { kind: 'directory', path: out, what: '--out' },
        ],
        () => Promise.resolve(),
        { waitMs: 300, staleMs: 10_000 },
      ).catch((e: unknown) => e)
      expect(await tree(dir)).toEqual(held)
      // The holder fails too (with the error it saw): its own --out goes.
      throw error
    }).catch((e: unknown) => e)
    expect(failed).toMatchObject({ code: 'K8S_CODEGEN_CLI_LOCKED' })
    expect(await tree(dir)).toEqual(before)
  })
})

describe('two runs at once', () => {
  it('a run waiting on a failed run that created --out takes the lock once it is gone', async () => {
    const dir = await project()
    const out = join(dir, 'src/k8s')
    const target = [{ kind: 'directory' as const, path: out, what: '--out' }]
    let release: () => void = () => undefined
    const held = new Promise<void>((resolve) => (release = resolve))
    const first = withLocks(target, async () => {
      await held
      throw new Error('the first run fails')
    })
    await new Promise((r) => setTimeout(r, 100))
    const second = withLocks(target, async () => (await lstat(out)).isDirectory(), {
      waitMs: 10_000,
      staleMs: 10_000,
    })
    release()
    await expect(first).rejects.toThrow('the first run fails')
    expect(await second).toBe(true)
  })
})

describe('kill -9 mid-run', () => {
  it(
    'the next run leaves what a run never killed leaves: no lock, journal or temp file',
    { timeout: 120_000 },
    async () => {
      const [killedDir, cleanDir] = [await project(), await project()]
      const args = ['generate', '--crds', 'crds', '--out', 'src/k8s']
      const child = spawn(process.execPath, [binPath, ...args], {
        cwd: killedDir,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '/tmp',
          K8S_CODEGEN_CACHE_DIR: cacheOf(killedDir),
        },
        stdio: 'ignore',
      })
      try {
        // Killed mid-run: once it holds the --out lock (so it created --out), before it ends.
        const lock = join(killedDir, 'src/k8s/.k8s-codegen.lock')
        for (let i = 0; i < 600 && !existsSync(lock) && child.exitCode === null; i++)
          await new Promise((r) => setTimeout(r, 25))
        child.kill('SIGKILL')
        await new Promise((r) => child.on('close', r))
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      }
      // The bin again: a conversion record's key holds the converter's code, the bundle's here.
      expect(child.signalCode).toBe('SIGKILL')
      for (const dir of [killedDir, cleanDir]) {
        const run = await runCli(args, { cwd: dir, env: { K8S_CODEGEN_CACHE_DIR: cacheOf(dir) } })
        expect(run.code, run.stderr).toBe(0)
      }
      const names = (t: Record<string, string>): string[] =>
        Object.keys(t)
          .filter((p) => !p.startsWith('.cache/k8s-codegen/generations/'))
          .sort()
      // The generation record's name holds the absolute paths: compared by count.
      const [killed, clean] = [await tree(killedDir), await tree(cleanDir)]
      expect(names(killed)).toEqual(names(clean))
      expect(Object.keys(killed).filter((p) => p.includes('/generations/')).length).toBe(
        Object.keys(clean).filter((p) => p.includes('/generations/')).length,
      )
    },
  )
})
