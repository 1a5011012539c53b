import { appendFile, copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

import { afterAll, describe, expect, it } from 'vitest'

import { generatorId } from '../src/index.js'

const src = fileURLToPath(new URL('../src/', import.meta.url))
// Inside the repository, so the copies resolve openapi-typescript and prettier like src does.
const cache = fileURLToPath(new URL('../node_modules/.cache/', import.meta.url))
const made: string[] = []

/** A copy of the generator's modules, optionally with one module edited; its generatorId(). */
async function idOfCopy(edit?: { module: string; append: string }): Promise<string> {
  await mkdir(cache, { recursive: true })
  const dir = await mkdtemp(join(cache, 'generator-id-'))
  made.push(dir)
  for (const name of await readdir(src)) await copyFile(join(src, name), join(dir, name))
  if (edit !== undefined) await appendFile(join(dir, edit.module), edit.append)
  const copy = (await import(pathToFileURL(join(dir, 'generator-id.ts')).href)) as {
    generatorId: () => string
  }
  return copy.generatorId()
}

afterAll(async () => {
  for (const dir of made) await rm(dir, { recursive: true, force: true })
})

describe('generatorId', () => {
  it('is a sha256 of the generator, the same on every call and for an identical copy', async () => {
    expect(generatorId()).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(generatorId()).toBe(generatorId())
    expect(await idOfCopy()).toBe(generatorId())
  })

  it('changes when generator code changes without a version bump (stale output was kept as current)', async () => {
    const edited = await idOfCopy({
      module: 'emit-module.ts',
      append: '\nexport const changed = 1\n',
    })
    expect(edited).not.toBe(generatorId())
  })
})
