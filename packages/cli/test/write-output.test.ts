import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import {
  MANIFEST_NAME,
  diffOutput,
  isOutputCurrent,
  readManifest,
  writeOutput,
} from '../src/write-output.js'

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
      unchanged: 0,
    })
    expect(await readFile(join(out, 'core/v1.ts'), 'utf8')).toBe('export type A = string\n')
    expect((await readManifest(out))?.key).toBe('key-1')
    expect(await isOutputCurrent(out, 'key-1')).toBe(true)
    expect(await isOutputCurrent(out, 'key-2')).toBe(false)
  })

  it('rewrites nothing when nothing changed (mtimes kept)', async () => {
    await writeOutput(out, v1, 'key-1')
    const before = await mtimes([...v1.keys(), MANIFEST_NAME])
    await new Promise((r) => setTimeout(r, 20))
    const result = await writeOutput(out, v1, 'key-1')
    expect(result).toEqual({ written: [], removed: [], unchanged: 3 })
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
      unchanged: 1,
    })
    expect(await mtimes(['core/v1.ts'])).toEqual([coreBefore])
    expect((await readdir(out)).sort()).toEqual([
      MANIFEST_NAME,
      'README.md',
      'batch',
      'core',
      'index.ts',
    ])
    expect(await readFile(join(out, 'README.md'), 'utf8')).toBe('mine\n')
  })

  it('leaves no temp directories beside the output', async () => {
    await writeOutput(out, v1, 'key-1')
    await writeOutput(out, new Map([['index.ts', 'x\n']]), 'key-2')
    expect(await readdir(dir)).toEqual(['generated'])
  })

  it('repairs a swap interrupted between its two renames', async () => {
    await writeOutput(out, v1, 'key-1')
    // What a kill -9 right after `rename(out, old)` leaves: only the old tree, under its side name.
    const { rename } = await import('node:fs/promises')
    await rename(out, `${out}.k8s-codegen-old`)
    await mkdir(join(dir, 'generated.k8s-codegen-tmp-1-abcd'))
    expect(await isOutputCurrent(out, 'key-1')).toBe(true)
    expect((await readdir(dir)).sort()).toEqual(['generated'])
  })

  it('rejects a path that would escape --out, writing nothing', async () => {
    await expect(writeOutput(out, new Map([['../evil.ts', '']]), 'k')).rejects.toMatchObject({
      code: 'K8S_CODEGEN_CLI_OUTPUT_PATH',
    })
    expect(await readdir(dir)).toEqual([])
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
    })
    expect(await isOutputCurrent(out, 'key-1')).toBe(false)
  })
})

describe('kill -9 mid-write', () => {
  it('leaves the previous output intact', { timeout: 30_000 }, async () => {
    await writeOutput(out, v1, 'key-1')
    // A child rewriting thousands of files, killed while it is busy.
    // The child loads the source through jiti (a dependency of the CLI, for TypeScript configs):
    // Node 20 cannot load TypeScript itself, and the test must not depend on the dist layout.
    const script = `
      const { createJiti } = await import('jiti')
      const { writeOutput } = await createJiti(import.meta.url).import(${JSON.stringify(fileURLToPath(new URL('../src/write-output.ts', import.meta.url)))})
      const files = new Map()
      for (let i = 0; i < 4000; i++) files.set('big/f' + i + '.ts', 'export const x' + i + ' = ' + i + '\\n'.repeat(200))
      process.stdout.write('start\\n')
      await writeOutput(${JSON.stringify(out)}, files, 'key-2')
      process.stdout.write('done\\n')
    `
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    try {
      let stderr = ''
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
      // Kill it once its temp tree holds some files, i.e. in the middle of writing.
      for (let polls = 0; ; polls++) {
        const tmp = (await readdir(dir)).find((name) =>
          name.startsWith('generated.k8s-codegen-tmp-'),
        )
        const big = tmp === undefined ? [] : await readdir(join(dir, tmp, 'big')).catch(() => [])
        if (big.length > 50) break
        if (child.exitCode !== null || polls > 2000)
          throw new Error(`child was not caught mid-write: ${stderr}`)
        await new Promise((r) => setTimeout(r, 2))
      }
      child.kill('SIGKILL')
      await new Promise((r) => child.on('exit', r))
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    }
    // It died mid-write: its temp tree is still there, the output untouched.
    expect((await readdir(dir)).some((name) => name.startsWith('generated.k8s-codegen-tmp-'))).toBe(
      true,
    )
    expect(await readFile(join(out, 'core/v1.ts'), 'utf8')).toBe('export type A = string\n')
    expect(await isOutputCurrent(out, 'key-1')).toBe(true)
    expect(await readdir(dir)).toEqual(['generated'])
  })
})
