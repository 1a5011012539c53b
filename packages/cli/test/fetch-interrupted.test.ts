// A fetch (and a generate --crds) ended by a signal at each of its steps leaves all or nothing.
// SIGINT and SIGTERM are caught (bin.ts, interrupt.ts): before the new output is committed, the
// lockfile, --specs-dir and --out are put back as they were; once it is committed, the fetched
// lockfile and the new output are kept and the next run finishes the renames. SIGKILL cannot be
// caught: it leaves the fetched lockfile and --specs-dir (written together, each whole) beside the
// previous output, which `check` reports as stale and the next `generate` brings up to date. The
// run is stopped exactly at a step by a preloaded module (fixtures/stop-at-output-step.mjs) or,
// while it downloads, by the emulator holding one document back.
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { startApiServer, type ApiServer } from '@k8s-codegen/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { runCli, type CliRun } from './_cli.js'
import { tree as treeOf } from './_tree.js'

const STOP_AT = fileURLToPath(new URL('./fixtures/stop-at-output-step.mjs', import.meta.url))
const FIXTURE_CRDS = fileURLToPath(new URL('../../openapi/test/fixtures/crds', import.meta.url))

let root: string
let server: ApiServer
let kubeconfig: string
/** A project fetched with --include core/v1 (lockfile, --specs-dir, --out, cache). */
let fetched: string
/** The same project after an uninterrupted `fetch --include apps/v1`: what "the new state" is. */
let expected: Record<string, string>

const cacheOf = (dir: string): string => join(dir, '.cache')
const fetchArgs = (include: string): string[] => [
  'fetch',
  '--kubeconfig',
  kubeconfig,
  '--include',
  include,
  '--specs-dir',
  'specs',
  '--out',
  'src/k8s',
]

/** Every entry outside the cache. */
const tree = (dir: string) => treeOf(dir, (name) => name.startsWith('.cache'))

function run(dir: string, args: string[], extra: { stopAt?: string } = {}) {
  let signal: ((name: NodeJS.Signals) => void) | undefined
  let stderr = ''
  const waiters: { text: string; resolve: () => void }[] = []
  const done = runCli(args, {
    cwd: dir,
    env: {
      K8S_CODEGEN_CACHE_DIR: cacheOf(dir),
      ...(extra.stopAt === undefined ? {} : { K8S_CODEGEN_TEST_STOP_AT: extra.stopAt }),
    },
    nodeArgs: extra.stopAt === undefined ? [] : ['--import', STOP_AT],
    onSpawn: (child) => {
      signal = (name) => child.kill(name)
      child.stderr?.on('data', (d: Buffer) => {
        stderr += d.toString()
        for (const w of waiters) if (stderr.includes(w.text)) w.resolve()
      })
    },
  })
  return {
    done,
    /** Resolves once stderr shows `text`. */
    seen: (text: string) =>
      new Promise<void>((resolve) => {
        if (stderr.includes(text)) resolve()
        else waiters.push({ text, resolve })
      }),
    kill: (name: NodeJS.Signals) => signal?.(name),
  }
}

async function copyOf(from: string, name: string): Promise<string> {
  const dir = join(root, name)
  await cp(from, dir, { recursive: true })
  return dir
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cli-fetch-interrupted-'))
  server = await startApiServer()
  kubeconfig = await server.kubeconfig(join(root, 'kubeconfig'))
  fetched = join(root, 'fetched')
  await mkdir(fetched)
  const first = await runCli(fetchArgs('core/v1'), {
    cwd: fetched,
    env: { K8S_CODEGEN_CACHE_DIR: cacheOf(fetched) },
  })
  if (first.code !== 0) throw new Error(first.stderr)
  const clean = await copyOf(fetched, 'clean')
  const second = await runCli(fetchArgs('apps/v1'), {
    cwd: clean,
    env: { K8S_CODEGEN_CACHE_DIR: cacheOf(clean) },
  })
  if (second.code !== 0) throw new Error(second.stderr)
  expected = await tree(clean)
}, 120_000)

afterAll(async () => {
  await server?.close()
  await rm(root, { recursive: true, force: true })
})

describe('a fetch (or generate --crds) ended by a signal', { timeout: 120_000 }, () => {
  const rows: {
    name: string
    given: {
      step: 'download' | 'stage' | 'write' | 'commit' | 'committed'
      signal: NodeJS.Signals
      /** Default: the project fetched before; `empty`: a first fetch into a new --out. */
      project?: 'empty'
      /** Default: `fetch --include apps/v1`. */
      args?: string[]
    }
    /** `stderr`: what the run printed when it ended (nothing to match after SIGKILL). */
    want: { code: number | null; stderr?: RegExp; tree: 'as before' | 'the new one' }
  }[] = [
    {
      name: 'SIGINT while downloading: nothing written',
      given: { step: 'download', signal: 'SIGINT' },
      want: { code: 130, stderr: /interrupted by SIGINT: nothing was written/, tree: 'as before' },
    },
    {
      name: 'SIGINT while the output is staged: the lockfile, --specs-dir and --out put back',
      given: { step: 'stage', signal: 'SIGINT' },
      want: { code: 130, stderr: /interrupted by SIGINT: nothing kept/, tree: 'as before' },
    },
    {
      name: 'SIGINT while the first output is staged: no lockfile, --specs-dir or --out left',
      given: { step: 'stage', signal: 'SIGINT', project: 'empty' },
      want: { code: 130, stderr: /interrupted by SIGINT: nothing kept/, tree: 'as before' },
    },
    {
      name: 'SIGTERM while the output is staged: the same',
      given: { step: 'stage', signal: 'SIGTERM' },
      want: { code: 143, stderr: /interrupted by SIGTERM: nothing kept/, tree: 'as before' },
    },
    {
      name: 'SIGINT while a staged file is being written: no temp file left when the write lands',
      given: { step: 'write', signal: 'SIGINT' },
      want: { code: 130, stderr: /interrupted by SIGINT: nothing kept/, tree: 'as before' },
    },
    {
      name: "SIGTERM while the first output's staged file is being written: nothing left",
      given: { step: 'write', signal: 'SIGTERM', project: 'empty' },
      want: { code: 143, stderr: /interrupted by SIGTERM: nothing kept/, tree: 'as before' },
    },
    {
      name: 'SIGINT once the output is committed: the new state, finished by the next run',
      given: { step: 'commit', signal: 'SIGINT' },
      want: {
        code: 130,
        stderr: /kept the fetched lockfile .* and the new output/,
        tree: 'the new one',
      },
    },
    {
      name: 'SIGINT once the new output is in place and its journal gone: the new state kept',
      given: { step: 'committed', signal: 'SIGINT' },
      want: {
        code: 130,
        stderr: /kept the fetched lockfile .* and the new output/,
        tree: 'the new one',
      },
    },
    {
      name: 'SIGINT while generate --crds stages its output: the lockfile its CRD step wrote is put back',
      given: { step: 'stage', signal: 'SIGINT', args: ['generate', '--crds', FIXTURE_CRDS] },
      want: {
        code: 130,
        stderr:
          /interrupted by SIGINT before the new output was committed: the lockfile .* and the output are as they were/,
        tree: 'as before',
      },
    },
    {
      name: 'SIGKILL while downloading: nothing written',
      given: { step: 'download', signal: 'SIGKILL' },
      want: { code: null, tree: 'as before' },
    },
    {
      name: 'SIGKILL once the new output is in place and its journal gone: the new state',
      given: { step: 'committed', signal: 'SIGKILL' },
      want: { code: null, tree: 'the new one' },
    },
    {
      name: 'SIGKILL once the output is committed: the next run finishes it',
      given: { step: 'commit', signal: 'SIGKILL' },
      want: { code: null, tree: 'the new one' },
    },
  ]
  it.each(rows)('$name', async ({ given, want }) => {
    const name = `p-${given.step}-${given.signal}-${given.project ?? 'fetched'}`
    const dir =
      given.project === 'empty'
        ? await mkdir(join(root, name)).then(() => join(root, name))
        : await copyOf(fetched, name)
    const before = await tree(dir)
    const held =
      given.step === 'download'
        ? server.injectFault({ path: '/openapi/v3/apis/apps/v1', kind: 'latency', ms: 60_000 })
        : undefined
    try {
      const child = run(
        dir,
        given.args ?? [...fetchArgs('apps/v1'), ...(given.step === 'download' ? ['-v', '6'] : [])],
        given.step === 'download' ? {} : { stopAt: given.step },
      )
      await child.seen(
        given.step === 'download' ? '/openapi/v3" status="200' : `stopped at ${given.step}`,
      )
      child.kill(given.signal)
      const ended: CliRun = await child.done
      expect(ended.code, ended.stderr).toBe(want.code)
      if (want.stderr !== undefined) expect(ended.stderr).toMatch(want.stderr)
      else expect(ended.signal).toBe(given.signal)
    } finally {
      held?.()
    }
    if (want.tree === 'as before') {
      // A run killed with SIGKILL cannot remove its locks: the next run takes them over once
      // they are stale (run-lock.ts); nothing else may be left.
      const after = await tree(dir)
      if (given.signal === 'SIGKILL')
        for (const path of Object.keys(after))
          if (/\.k8s-codegen\.lock(\/|$)/.test(path)) delete after[path]
      expect(after).toEqual(before)
      return
    }
    const next = await runCli(['generate'], {
      cwd: dir,
      env: { K8S_CODEGEN_CACHE_DIR: cacheOf(dir) },
    })
    expect(next.code, next.stderr).toBe(0)
    expect(await tree(dir)).toEqual(expected)
  })
})

describe('a generate killed with SIGKILL while its output is staged', { timeout: 120_000 }, () => {
  it('leaves a lockfile that agrees with the output (check passes); the same command again finishes and leaves no journal or temp file', async () => {
    const dir = await copyOf(fetched, 'g-kill')
    const env = { K8S_CODEGEN_CACHE_DIR: cacheOf(dir) }
    const child = run(dir, ['generate', '--no-docs'], { stopAt: 'stage' })
    await child.seen('stopped at stage')
    child.kill('SIGKILL')
    expect((await child.done).signal).toBe('SIGKILL')
    // The options are recorded only once the files are staged, just before the commit: killed
    // while staging, the lockfile still holds the options the output was generated with.
    const check = await runCli(['check', '--json'], { cwd: dir, env })
    expect(check.code, check.stdout).toBe(0)
    const again = await runCli(['generate', '--no-docs', '--json'], { cwd: dir, env })
    expect(again.code, again.stderr).toBe(0)
    expect(JSON.parse(again.stdout)).toMatchObject({ options: { docs: false } })
    expect((await runCli(['check'], { cwd: dir, env })).code).toBe(0)
    const left = Object.keys(await tree(dir)).filter((p) => /journal|\.tmp$/.test(p))
    expect(left).toEqual([])
  })
})

describe(
  'a fetch killed with SIGKILL while the output is staged (the one partial state)',
  { timeout: 120_000 },
  () => {
    it('leaves the fetched lockfile and --specs-dir beside the previous output: check says stale, generate finishes', async () => {
      const dir = await copyOf(fetched, 'p-kill')
      const child = run(dir, fetchArgs('apps/v1'), { stopAt: 'stage' })
      await child.seen('stopped at stage')
      child.kill('SIGKILL')
      expect((await child.done).signal).toBe('SIGKILL')
      const after = await tree(dir)
      for (const path of ['k8s-codegen.lock.json', 'specs/apis/apps/v1.json'])
        expect(after[path], path).toBe(expected[path])
      const env = { K8S_CODEGEN_CACHE_DIR: cacheOf(dir) }
      const check = await runCli(['check'], { cwd: dir, env })
      expect(check.code, check.stdout + check.stderr).toBe(1)
      const next = await runCli(['generate'], { cwd: dir, env })
      expect(next.code, next.stderr).toBe(0)
      expect(await tree(dir)).toEqual(expected)
    })
  },
)
