import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  lstat,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  readlink,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import {
  MANIFEST_NAME,
  diffOutput,
  isOutputCurrent,
  readManifest,
  recoverOutput,
  writeOutput,
  writeOutputFrom,
  type OutputSink,
} from '../src/write-output.js'

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex')

let dir: string
let out: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'k8s-codegen-write-output-'))
  out = join(dir, 'generated')
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const v1 = new Map([
  ['core/v1.ts', 'export type A = string\n'],
  ['apps/v1.ts', 'export type B = number\n'],
  ['index.ts', 'export {}\n'],
])

async function mtimes(paths: string[]): Promise<number[]> {
  return Promise.all(paths.map(async (p) => (await stat(join(out, p))).mtimeMs))
}

describe('writeOutput', () => {
  it('writes every file and a manifest into a new directory', async () => {
    const result = await writeOutput(out, v1, 'key-1')
    expect(result).toEqual({
      written: ['apps/v1.ts', 'core/v1.ts', 'index.ts'],
      removed: [],
      kept: [],
      unchanged: 0,
    })
    expect(await readFile(join(out, 'core/v1.ts'), 'utf8')).toBe('export type A = string\n')
    expect(readManifest(out)?.key).toBe('key-1')
    expect(await isOutputCurrent(out, 'key-1')).toBe(true)
    expect(await isOutputCurrent(out, 'key-2')).toBe(false)
  })

  it('rewrites nothing when nothing changed (mtimes kept)', async () => {
    await writeOutput(out, v1, 'key-1')
    const before = await mtimes([...v1.keys(), MANIFEST_NAME])
    await new Promise((r) => setTimeout(r, 20))
    const result = await writeOutput(out, v1, 'key-1')
    expect(result).toEqual({ written: [], removed: [], kept: [], unchanged: 3 })
    expect(await mtimes([...v1.keys(), MANIFEST_NAME])).toEqual(before)
  })

  it('rewrites only changed files, removes files no longer produced, keeps files that are not ours', async () => {
    await writeOutput(out, v1, 'key-1')
    await writeFile(join(out, 'README.md'), 'mine\n')
    const [coreBefore] = await mtimes(['core/v1.ts'])
    await new Promise((r) => setTimeout(r, 20))
    const next = new Map([
      ['core/v1.ts', 'export type A = string\n'],
      ['index.ts', 'export type C = boolean\n'],
      ['batch/v1.ts', 'export type D = 1\n'],
    ])
    const result = await writeOutput(out, next, 'key-2')
    expect(result).toEqual({
      written: ['batch/v1.ts', 'index.ts'],
      removed: ['apps/v1.ts'],
      kept: [],
      unchanged: 1,
    })
    expect(await mtimes(['core/v1.ts'])).toEqual([coreBefore])
    // apps/ held only the removed generated file, so it goes too.
    expect((await readdir(out)).sort()).toEqual([
      MANIFEST_NAME,
      'README.md',
      'batch',
      'core',
      'index.ts',
    ])
    expect(await readFile(join(out, 'README.md'), 'utf8')).toBe('mine\n')
  })

  // issue 10: symlinks and empty directories the user keeps in --out were deleted.
  it("keeps the user's symlinks, empty directories and files inside generated directories", async () => {
    await writeOutput(out, v1, 'key-1')
    await symlink('../outside.txt', join(out, 'link'))
    await mkdir(join(out, 'empty'))
    await writeFile(join(out, 'core', 'notes.md'), 'mine\n')
    await writeOutput(out, new Map([['index.ts', 'x\n']]), 'key-2')
    expect(await readlink(join(out, 'link'))).toBe('../outside.txt')
    expect((await stat(join(out, 'empty'))).isDirectory()).toBe(true)
    expect(await readFile(join(out, 'core', 'notes.md'), 'utf8')).toBe('mine\n')
    expect(await readdir(join(out, 'core'))).toEqual(['notes.md'])
  })

  // issue 10: a symlinked --out became a real directory.
  it('writes through a symlinked --out and keeps the link', async () => {
    const real = join(dir, 'real-out')
    await mkdir(real)
    await symlink(real, out)
    await writeOutput(out, v1, 'key-1')
    await writeOutput(out, new Map([['index.ts', 'x\n']]), 'key-2')
    expect((await lstat(out)).isSymbolicLink()).toBe(true)
    expect((await readdir(real)).sort()).toEqual([MANIFEST_NAME, 'index.ts'])
    expect(await isOutputCurrent(out, 'key-2')).toBe(true)
  })

  it('removes a no-longer-generated file only if it still holds what was written', async () => {
    await writeOutput(out, v1, 'key-1')
    await writeFile(join(out, 'apps/v1.ts'), 'export type B = number // my edit\n')
    const result = await writeOutput(out, new Map([['index.ts', 'x\n']]), 'key-2')
    expect(result).toMatchObject({ removed: ['core/v1.ts'], kept: ['apps/v1.ts'] })
    expect(await readFile(join(out, 'apps/v1.ts'), 'utf8')).toContain('my edit')
  })

  it('leaves no temp files or journal behind', async () => {
    await writeOutput(out, v1, 'key-1')
    await writeOutput(
      out,
      new Map([
        ['index.ts', 'x\n'],
        ['core/v1.ts', 'y\n'],
      ]),
      'key-2',
    )
    expect(await readdir(dir)).toEqual(['generated'])
    expect((await readdir(out, { recursive: true })).sort()).toEqual([
      MANIFEST_NAME,
      'core',
      'core/v1.ts',
      'index.ts',
    ])
  })

  // issue 10: a write error in one subdirectory (there: permissions) reported failure after the
  // write had succeeded and left `<out>.k8s-codegen-old/` beside it. Here the errors are a file
  // where a new generated directory must go and a name too long to create, which fail for every
  // user, root included.
  it.each([
    {
      given: 'a file of mine where a generated directory goes',
      path: 'batch/v1.ts',
      want: { code: 'K8S_CODEGEN_CLI_OUTPUT_CONFLICT', message: 'nothing was written' },
    },
    {
      // Its temp file's name (the name plus a suffix) is longer than a file name may be.
      given: 'a path the file system refuses to create (ENAMETOOLONG)',
      path: `${'a'.repeat(240)}.ts`,
      want: { code: 'K8S_CODEGEN_CLI_OUTPUT_WRITE', message: 'nothing was changed' },
    },
  ])('$given fails before anything changes, leaving nothing behind', async ({ path, want }) => {
    await writeOutput(out, v1, 'key-1')
    await writeFile(join(out, 'batch'), 'a file of mine\n')
    const next = new Map([...v1.entries(), [path, 'export type D = 1\n']])
    for (const [p, c] of v1) next.set(p, `${c}// v2\n`)
    await expect(writeOutput(out, next, 'key-2')).rejects.toMatchObject({
      code: want.code,
      message: expect.stringContaining(want.message) as string,
    })
    expect(await isOutputCurrent(out, 'key-1')).toBe(true)
    expect(await readFile(join(out, 'batch'), 'utf8')).toBe('a file of mine\n')
    expect(await readdir(dir)).toEqual(['generated'])
    expect((await readdir(out, { recursive: true })).sort()).toEqual(
      [MANIFEST_NAME, 'apps', 'apps/v1.ts', 'batch', 'core', 'core/v1.ts', 'index.ts'].sort(),
    )
  })

  it('rejects a path that would escape --out, writing nothing', async () => {
    await expect(writeOutput(out, new Map([['../evil.ts', '']]), 'k')).rejects.toMatchObject({
      code: 'K8S_CODEGEN_CLI_OUTPUT_PATH',
    })
    expect(await readdir(dir)).toEqual([])
  })
})

// The generator hands files over one at a time (writeOutputFrom); whatever it does after some
// were staged, the output is exactly the previous one or exactly what it produced.
describe('writeOutputFrom', () => {
  const changed = new Map([...v1].map(([p, c]) => [p, `${c}// v2\n`]))
  const rows: {
    given: string
    produce: (sink: OutputSink) => Promise<object>
    want: { current: string; files: Map<string, string> }
  }[] = [
    {
      given: 'a producer that throws after two files were staged',
      produce: async (sink) => {
        for (const [p, c] of [...changed].slice(0, 2)) await sink.file(p, c)
        throw new Error('the generator failed')
      },
      want: { current: 'key-1', files: v1 },
    },
    {
      given: 'a producer that discards what it handed over and starts again without a file',
      produce: async (sink) => {
        for (const [p, c] of changed) await sink.file(p, c)
        await sink.discard()
        for (const [p, c] of [...changed].filter(([p]) => p !== 'apps/v1.ts')) await sink.file(p, c)
        return {}
      },
      want: {
        current: 'key-2',
        files: new Map([...changed].filter(([p]) => p !== 'apps/v1.ts')),
      },
    },
    {
      given: 'a producer that hands over files it did not make again, as unchanged',
      produce: async (sink) => {
        for (const [p, c] of changed)
          if (p === 'apps/v1.ts') sink.unchanged(p, sha256(v1.get(p) ?? ''))
          else await sink.file(p, c)
        return {}
      },
      want: {
        current: 'key-2',
        files: new Map(
          [...changed].map(([p, c]) => [p, p === 'apps/v1.ts' ? (v1.get(p) ?? '') : c]),
        ),
      },
    },
    {
      given: 'a producer that hands the same path twice, once as unchanged',
      produce: async (sink) => {
        sink.unchanged('index.ts', sha256(v1.get('index.ts') ?? ''))
        await sink.file('index.ts', 'b\n')
        return {}
      },
      want: { current: 'key-1', files: v1 },
    },
    {
      given: 'a producer that hands the same path twice',
      produce: async (sink) => {
        await sink.file('index.ts', 'a\n')
        await sink.file('index.ts', 'b\n')
        return {}
      },
      want: { current: 'key-1', files: v1 },
    },
  ]
  it.each(rows)('$given', async ({ produce, want }) => {
    await writeOutput(out, v1, 'key-1')
    await writeOutputFrom(out, 'key-2', produce).catch(() => undefined)
    expect(await isOutputCurrent(out, want.current)).toBe(true)
    expect((await readdir(out, { recursive: true })).filter((n) => n.includes('.'))).toEqual(
      expect.arrayContaining([...want.files.keys(), MANIFEST_NAME]),
    )
    for (const [path, content] of want.files)
      expect(await readFile(join(out, path), 'utf8')).toBe(content)
    const left = (await readdir(out, { recursive: true })).filter(
      (n) => n.endsWith('.tmp') || n.includes('journal'),
    )
    expect(left).toEqual([])
  })

  it("rolls back a killed run's prepare journal, a torn last line included", async () => {
    await writeOutput(out, v1, 'key-1')
    const temp = 'core/.v1.ts.k8s-codegen-1-00000000.tmp'
    await writeFile(join(out, temp), 'half of a new file')
    // A pid above Linux's PID_MAX_LIMIT (2^22): the run that wrote it is certainly dead.
    const journal = `${JSON.stringify({ pid: 2 ** 22 + 1, state: 'prepare' })}\n${JSON.stringify(temp)}\n"core/.v1.ts.k8s-co`
    await writeFile(join(out, '.k8s-codegen-journal.json'), journal)
    await recoverOutput(out)
    expect(await isOutputCurrent(out, 'key-1')).toBe(true)
    expect((await readdir(out, { recursive: true })).sort()).toEqual(
      [MANIFEST_NAME, 'apps', 'apps/v1.ts', 'core', 'core/v1.ts', 'index.ts'].sort(),
    )
  })
})

describe('diffOutput', () => {
  it('reports hand-edited, missing and no-longer-generated files', async () => {
    await writeOutput(out, v1, 'key-1')
    await writeFile(join(out, 'core/v1.ts'), 'export type A = number // edited\n')
    await rm(join(out, 'index.ts'))
    const next = new Map([...v1].filter(([p]) => p !== 'apps/v1.ts'))
    expect(await diffOutput(out, next)).toEqual({
      changed: ['core/v1.ts'],
      missing: ['index.ts'],
      extra: ['apps/v1.ts'],
      foreign: [],
    })
    expect(await isOutputCurrent(out, 'key-1')).toBe(false)
  })
})

// The child rewrites thousands of files and is killed with SIGKILL at some point of its write
// (preparing temp files, or renaming them); after the next run's recovery the output must be
// exactly the previous or exactly the new one, never a mix. The child loads the source through
// jiti (a dependency of the CLI, for TypeScript configs): Node 20 cannot load TypeScript itself,
// and the test must not depend on the dist layout.
describe('kill -9 mid-write', () => {
  const count = 2000
  const content = (i: number, version: string): string =>
    `export const x${i} = '${version}'\n`.repeat(40)
  const files = (version: string) =>
    new Map(Array.from({ length: count }, (_, i) => [`big/f${i}.ts`, content(i, version)]))

  async function killAfter(delayMs: number): Promise<void> {
    const script = `
      const { createJiti } = await import('jiti')
      const { writeOutput } = await createJiti(import.meta.url).import(${JSON.stringify(fileURLToPath(new URL('../src/write-output.ts', import.meta.url)))})
      const files = new Map()
      for (let i = 0; i < ${count}; i++) files.set('big/f' + i + '.ts', ('export const x' + i + " = 'v2'\\n").repeat(40))
      await writeOutput(${JSON.stringify(out)}, files, 'key-2')
    `
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    try {
      let stderr = ''
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
      // Wait for the journal (the write has begun), then a little longer, then kill.
      const journal = join(out, '.k8s-codegen-journal.json')
      const started = Date.now()
      while ((await readFile(journal).catch(() => undefined)) === undefined) {
        if (child.exitCode !== null || Date.now() - started > 60_000)
          throw new Error(`the child never started writing: ${stderr}`)
        await new Promise((r) => setTimeout(r, 1))
      }
      await new Promise((r) => setTimeout(r, delayMs))
      child.kill('SIGKILL')
      await new Promise((r) => child.on('exit', r))
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    }
  }

  it.each([0, 20, 80, 250])(
    'killed %i ms into its write: after recovery, exactly the previous or the new output',
    { timeout: 180_000 },
    async (delayMs) => {
      await writeOutput(out, files('v1'), 'key-1')
      await killAfter(delayMs)
      await recoverOutput(out)
      const old = await isOutputCurrent(out, 'key-1')
      const next = await isOutputCurrent(out, 'key-2')
      expect(old !== next, `old ${old}, new ${next}`).toBe(true)
      const version = old ? 'v1' : 'v2'
      const names = await readdir(join(out, 'big'))
      expect(names).toHaveLength(count)
      for (const i of [0, 7, count - 1])
        expect(await readFile(join(out, `big/f${i}.ts`), 'utf8')).toBe(content(i, version))
      expect(await readdir(dir)).toEqual(['generated'])
    },
  )
})
