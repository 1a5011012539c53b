import { appendFile, cp, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

import { builtCodeIdentity, CODE_IDENTITY_FILE, codeIdentity } from '@k8s-codegen/openapi'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// The converter's identity keys every conversion record: it must change whenever the code of the
// bundle changes. The build writes it (build.mjs) so a run need not hash ~3 MB of chunks; a run
// uses it only while every hashed file keeps its size, else it hashes the bundle as before.
const CLI = fileURLToPath(new URL('..', import.meta.url))
const DIST = join(CLI, 'dist')

let work: string
beforeAll(async () => {
  // Beside dist/, so the bundle's external packages resolve from a copy as from dist/.
  work = await mkdtemp(join(CLI, 'node_modules', '.cache-code-identity-'))
})
afterAll(async () => {
  await rm(work, { recursive: true, force: true })
})

/** `converterId()` of a copy of the built bundle, edited by `edit` before it is imported. */
async function converterIdOfCopy(name: string, edit: (dist: string) => Promise<void>) {
  const dist = join(work, name)
  await cp(DIST, dist, { recursive: true })
  await edit(dist)
  // The chunk of openapi's index re-exports it (bundled, it is nowhere else by that name).
  const chunks = await readdir(join(dist, 'chunks'))
  for (const chunk of chunks) {
    const text = await readFile(join(dist, 'chunks', chunk), 'utf8')
    if (!/^\s+converterId,$/m.test(text) || !text.includes('readLockfileText')) continue
    const module = (await import(pathToFileURL(join(dist, 'chunks', chunk)).href)) as {
      converterId?: () => string
    }
    if (module.converterId !== undefined)
      return { id: module.converterId(), hashed: codeIdentity([join(dist, 'chunks'), dist]) }
  }
  throw new Error(`no chunk of ${dist} exports converterId`)
}

describe('the bundle’s code identity', () => {
  it('is what hashing the built chunks and entry points gives', async () => {
    const written = await readFile(join(DIST, CODE_IDENTITY_FILE), 'utf8')
    expect(written).toBe(builtCodeIdentity(join(DIST, 'chunks')))
    expect(written.split('\n')[0]).toBe(codeIdentity([join(DIST, 'chunks'), DIST]))
  })

  // What the identity file says is used while every file it lists is as it was when it was
  // written (so the run hashes nothing); a faked identity written for the copy as it is shows
  // which one a run took.
  const FAKE = 'A'.repeat(128)
  const fakeId = async (dist: string) => {
    // Files written a minute before their identity, as a build's are: none could have been
    // written after it within the file system's clock tick.
    const past = new Date(Date.now() - 60_000)
    for (const dir of [dist, join(dist, 'chunks')])
      for (const name of await readdir(dir))
        if (/\.(js|json)$/.test(name)) await utimes(join(dir, name), past, past)
    const text = builtCodeIdentity(join(dist, 'chunks'))
    await writeFile(join(dist, CODE_IDENTITY_FILE), `${FAKE}${text.slice(text.indexOf('\n'))}`)
  }
  it.each([
    { given: 'the bundle as built', edit: () => Promise.resolve(), want: 'written' },
    { given: 'an identity file with the sizes of the bundle', edit: fakeId, want: 'written' },
    {
      given: 'an entry point edited since (another size)',
      edit: async (dist: string) => {
        await fakeId(dist)
        await appendFile(join(dist, 'bin.js'), '\n// edited\n')
      },
      want: 'hashed',
    },
    {
      given: 'a chunk edited since, keeping its size',
      edit: async (dist: string) => {
        await fakeId(dist)
        const chunk = join(dist, 'chunks', (await readdir(join(dist, 'chunks')))[0] ?? '')
        const text = await readFile(chunk, 'utf8')
        await writeFile(chunk, `${text.slice(0, -1)}${text.endsWith(' ') ? '\t' : ' '}`)
      },
      want: 'hashed',
    },
    {
      given: 'an identity file whose sizes do not match',
      edit: (dist: string) =>
        writeFile(join(dist, CODE_IDENTITY_FILE), `${FAKE}\n1 chunks/none.js\n`),
      want: 'hashed',
    },
  ] as const)('a run of $given uses the identity $want', async ({ given, edit, want }) => {
    const name = given.replace(/\W+/g, '-')
    const { id, hashed } = await converterIdOfCopy(name, edit)
    const file = await readFile(join(work, name, CODE_IDENTITY_FILE), 'utf8')
    expect(id).toBe(want === 'written' ? file.split('\n')[0] : hashed)
    if (want === 'hashed') expect(id).not.toBe(FAKE)
  })

  // An installed bundle is a copy: every file's stat differs from the build's. Its first run
  // hashes and rewrites the identity file for the files as they are, so later runs hash nothing.
  it('a copied bundle is hashed once, and its identity file then names the files as they are', async () => {
    const { id, hashed } = await converterIdOfCopy('copied', () => Promise.resolve())
    expect(id).toBe(hashed)
    const file = await readFile(join(work, 'copied', CODE_IDENTITY_FILE), 'utf8')
    expect(file).toBe(builtCodeIdentity(join(work, 'copied', 'chunks')))
  })
})
