import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative, sep } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_CRD_FILES, findCrdFiles } from '../../src/crd/find-files.js'

// Which files `--crds` names: kubectl's `-f <dir> -R` walk (symlinked files read, symlinked
// directories not descended), node_modules and dot-directories only when named, and globs that
// cannot backtrack.
let dir: string
const names = async (pattern: string): Promise<string[]> =>
  (await findCrdFiles(pattern, dir)).map((f) => relative(dir, f).split(sep).join('/'))

async function put(path: string, text = 'kind: X\n'): Promise<void> {
  await mkdir(join(dir, path, '..'), { recursive: true })
  await writeFile(join(dir, path), text)
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crd-find-'))
  await put('crds/a.yaml')
  await put('crds/b.json')
  await put('crds/notes.txt')
  await put('crds/.hidden.yaml')
  await put('elsewhere/linked.yaml')
  await symlink(join(dir, 'elsewhere/linked.yaml'), join(dir, 'crds/link.yaml'))
  await symlink(join(dir, 'elsewhere'), join(dir, 'crds/linked-dir'))
  // A directory link back to its parent: a walk that followed it would never end.
  await symlink(join(dir, 'crds'), join(dir, 'crds/loop'))
  await put('charts/web/crds/w.yaml')
  await put('charts/web/templates/t.yaml')
  await put('.github/crds/g.yaml')
  await put('node_modules/pkg/crds/n.yaml')
  await put('[literal]/x.yaml')
  await put('ü😀/x.yaml')
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('findCrdFiles', () => {
  const rows: { given: string; want: string[] }[] = [
    {
      given: 'crds',
      want: ['crds/.hidden.yaml', 'crds/a.yaml', 'crds/b.json', 'crds/link.yaml'],
    },
    { given: 'crds/notes.txt', want: ['crds/notes.txt'] },
    { given: 'crds/link.yaml', want: ['crds/link.yaml'] },
    { given: 'crds/*.yaml', want: ['crds/a.yaml', 'crds/link.yaml'] },
    { given: 'crds/.*.yaml', want: ['crds/.hidden.yaml'] },
    { given: 'crds/[ab].*', want: ['crds/a.yaml', 'crds/b.json'] },
    { given: 'crds/[!a]*', want: ['crds/b.json', 'crds/link.yaml'] },
    { given: 'crds/?.json', want: ['crds/b.json'] },
    {
      given: '**/crds/*.yaml',
      want: ['charts/web/crds/w.yaml', 'crds/a.yaml', 'crds/link.yaml'],
    },
    { given: '.github/**/*.yaml', want: ['.github/crds/g.yaml'] },
    { given: '.github', want: ['.github/crds/g.yaml'] },
    { given: 'node_modules/*/crds/*.yaml', want: ['node_modules/pkg/crds/n.yaml'] },
    { given: 'charts/**', want: ['charts/web/crds/w.yaml', 'charts/web/templates/t.yaml'] },
    { given: 'charts/**/**/**/w.yaml', want: ['charts/web/crds/w.yaml'] },
    { given: '[[]literal]/*.yaml', want: ['[literal]/x.yaml'] },
    { given: '\\[literal]/*.yaml', want: ['[literal]/x.yaml'] },
    { given: '?😀/*.yaml', want: ['ü😀/x.yaml'] },
    { given: 'nothing/**/*.yaml', want: [] },
  ]
  it.each(rows)('$given names $want', async ({ given, want }) => {
    expect(await names(given)).toEqual(want)
  })

  const refusals: { given: string; code: string; message: RegExp }[] = [
    {
      given: 'crds/[z-a].yaml',
      code: 'K8S_CODEGEN_OPENAPI_CRD_PATTERN_INVALID',
      message: /"crds\/\[z-a\]\.yaml": the character range "z-a" is reversed/,
    },
    {
      given: 'crds/[abc.yaml',
      code: 'K8S_CODEGEN_OPENAPI_CRD_PATTERN_INVALID',
      message: /not closed with "\]"/,
    },
    {
      given: 'crds/[].yaml',
      code: 'K8S_CODEGEN_OPENAPI_CRD_PATTERN_INVALID',
      message: /not closed with "\]"/,
    },
    { given: 'nope', code: 'K8S_CODEGEN_OPENAPI_CRD_MISSING', message: /no such file/ },
  ]
  it.each(refusals)('refuses $given', async ({ given, code, message }) => {
    await expect(findCrdFiles(given, dir)).rejects.toMatchObject({ code, message })
  })

  it('names a symbolic link it cannot follow', async () => {
    const broken = await mkdtemp(join(tmpdir(), 'crd-broken-'))
    try {
      await symlink(join(broken, 'gone.yaml'), join(broken, 'dangling.yaml'))
      await expect(findCrdFiles(broken, dir)).rejects.toMatchObject({
        code: 'K8S_CODEGEN_OPENAPI_CRD_MISSING',
        message: /dangling\.yaml is a symbolic link that cannot be followed \(ENOENT\)/,
      })
    } finally {
      await rm(broken, { recursive: true, force: true })
    }
  })

  it('counts only candidate files toward the cap, and skips node_modules unless named', async () => {
    const big = await mkdtemp(join(tmpdir(), 'crd-big-'))
    try {
      await mkdir(join(big, 'node_modules/dep'), { recursive: true })
      await Promise.all(
        Array.from({ length: MAX_CRD_FILES + 1 }, (_, i) =>
          writeFile(join(big, 'node_modules/dep', `${i}.json`), '{}'),
        ),
      )
      await mkdir(join(big, 'app/crds'), { recursive: true })
      await writeFile(join(big, 'app/crds/x.yaml'), 'kind: X\n')
      expect(await findCrdFiles('**/crds/*.yaml', big)).toEqual([join(big, 'app/crds/x.yaml')])
      expect(await findCrdFiles('.', big)).toEqual([join(big, 'app/crds/x.yaml')])
      await expect(findCrdFiles('node_modules', big)).rejects.toMatchObject({
        code: 'K8S_CODEGEN_OPENAPI_CRD_INVALID',
        message: `--crds node_modules: names more than ${MAX_CRD_FILES} CRD files`,
      })
    } finally {
      await rm(big, { recursive: true, force: true })
    }
  })

  // Regression: a regular expression built from `**/**/…` backtracked for minutes over a deep
  // tree; the segment-by-segment matcher keeps a set of at most (segments + 1) positions.
  it('matches many ** over a 40-deep tree and a star-heavy name without backtracking', async () => {
    const deep = await mkdtemp(join(tmpdir(), 'crd-deep-'))
    try {
      const path = join(deep, ...Array.from({ length: 40 }, () => 'd'))
      await mkdir(path, { recursive: true })
      await writeFile(join(path, `${'a'.repeat(200)}.yaml`), 'kind: X\n')
      const pattern = `${Array.from({ length: 12 }, () => '**').join('/')}/*a*a*a*a*a*a*a*a*a*b.yaml`
      expect(await findCrdFiles(pattern, deep)).toEqual([])
      expect(await findCrdFiles('**/**/**/**/**/**/**/**/**/**/**/**/*a*a*a.yaml', deep)).toEqual([
        join(path, `${'a'.repeat(200)}.yaml`),
      ])
    } finally {
      await rm(deep, { recursive: true, force: true })
    }
  })
})
