// `check` after one edit prints (in memory) only the modules that may differ: a module whose key
// the last `generate` recorded and whose files `--out` still holds is taken as it is (the same
// key gives the same bytes), so a hand-edited file costs its own module, not the whole output.
// Each row counts the files codegen printed and checks the verdict is the one a full comparison
// gives (the last row removes the record: everything is printed).
import { appendFile, mkdtemp, readdir, rm, unlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import type * as Codegen from '@k8s-codegen/codegen'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'

import { CORPUS_CRDS, cliIn } from './_crd-cli.js'

const printed = vi.hoisted(() => ({ files: [] as string[] }))
vi.mock('@k8s-codegen/codegen', async (importOriginal) => {
  const actual = await importOriginal<typeof Codegen>()
  return {
    ...actual,
    generateInto: (input: Codegen.GenerateInput, sink: Codegen.FileSink) =>
      actual.generateInto(input, {
        ...sink,
        file: (path, content) => {
          printed.files.push(path)
          return sink.file(path, content)
        },
      }),
  }
})

let root: string

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cli-check-prints-'))
})

afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

// A project generated from the corpus (its own cache: the record is keyed by the project's
// absolute paths, so a copied project would have none); its module files, sorted.
async function generatedProject(name: string): Promise<{ dir: string; modules: string[] }> {
  const dir = join(root, name)
  const run = await cliIn(dir, ['generate', '--crds', ...CORPUS_CRDS, '--out', 'src/k8s'])
  if (run.code !== 0) throw new Error(run.stderr)
  const modules = (await readdir(join(dir, 'src/k8s'), { recursive: true }))
    .filter((p) => p.endsWith('.ts') && p.includes('/'))
    .sort()
  return { dir, modules }
}

describe('check after one edit', { timeout: 300_000 }, () => {
  const rows: {
    given: string
    edit: (dir: string, file: string) => Promise<void>
    want: { changed: string[]; missing: string[]; printedAtMost: 'one module' | 'everything' }
  }[] = [
    {
      given: 'a generated file edited by hand',
      edit: (dir, file) => appendFile(join(dir, 'src/k8s', file), '// mine\n'),
      want: { changed: ['<file>'], missing: [], printedAtMost: 'one module' },
    },
    {
      given: 'a generated file deleted',
      edit: (dir, file) => unlink(join(dir, 'src/k8s', file)),
      want: { changed: [], missing: ['<file>'], printedAtMost: 'one module' },
    },
    {
      given: 'a generated file edited, and no record of the last generate',
      edit: async (dir, file) => {
        await appendFile(join(dir, 'src/k8s', file), '// mine\n')
        await rm(join(dir, 'cache/generations'), { recursive: true, force: true })
      },
      want: { changed: ['<file>'], missing: [], printedAtMost: 'everything' },
    },
  ]
  it.each(rows)('$given', async ({ given, edit, want }) => {
    const { dir, modules: moduleFiles } = await generatedProject(given.replace(/\W+/g, '-'))
    const file = moduleFiles[Math.floor(moduleFiles.length / 2)] as string
    await edit(dir, file)
    printed.files.length = 0
    const run = await cliIn(dir, ['check', '--json'])
    expect(run.code, run.stderr).toBe(1)
    const summary = JSON.parse(run.stdout) as { changed: string[]; missing: string[] }
    const named = (paths: string[]) => paths.map((p) => (p === '<file>' ? file : p))
    expect({ changed: summary.changed, missing: summary.missing }).toEqual({
      changed: named(want.changed),
      missing: named(want.missing),
    })
    const modules = printed.files.filter((p) => p !== 'index.ts')
    if (want.printedAtMost === 'one module') {
      expect(modules).toContain(file)
      expect(modules.length).toBeLessThanOrEqual(2)
    } else {
      expect(modules.sort()).toEqual(moduleFiles)
    }
  })
})
