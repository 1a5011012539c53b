import { cp, mkdir, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

import { startApiServer } from '@k8s-codegen/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { cliIn, copyWithoutCache, outcome } from './_crd-cli.js'

// `generate --crds` reuses what it converted before per CRD file and per group-version
// (openapi crd/conversion-cache.ts); whatever a user does to the files between two runs, the run
// that reuses must give exactly what a cold run gives on the same files from the same project
// state in a fresh cache: exit code, messages, output tree, lockfile and the cached documents the
// lockfile names. Each row also says how many files it parses anew and how many group-versions it
// converts anew (the facts and entries it adds to the cache): only what the edit touched. A module
// whose inputs did not change and whose files `--out` still holds is not printed again (the
// generation record's modules), so the rows also edit, delete and re-option the output.

interface Version {
  name: string
  description?: string
}

function crd(group: string, kind: string, versions: Version[], plural = `${kind.toLowerCase()}s`) {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: { kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase() },
      versions: versions.map((v, i) => ({
        name: v.name,
        served: true,
        storage: i === 0,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            description: v.description ?? `${kind} ${v.name}`,
            properties: {
              spec: {
                type: 'object',
                properties: { size: { type: 'integer', description: 'How big.' } },
              },
            },
          },
        },
      })),
    },
  }
}

// JSON documents are YAML; `---` separates the documents of a multi-document file.
const yaml = (...documents: unknown[]): string =>
  documents.map((d) => JSON.stringify(d, null, 2)).join('\n---\n') + '\n'

const CONFIG_MAP = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'not-a-crd' } }
const things = (gizmoGroup: string): string =>
  yaml(
    crd('other.dev', 'Thing', [{ name: 'v1' }]),
    CONFIG_MAP,
    crd(gizmoGroup, 'Gizmo', [{ name: 'v1' }]),
  )

const INITIAL: Record<string, string> = {
  'widgets.yaml': yaml(crd('example.dev', 'Widget', [{ name: 'v1' }])),
  'gadgets.yaml': yaml(crd('example.dev', 'Gadget', [{ name: 'v1' }, { name: 'v1beta1' }])),
  'things.yaml': things('other.dev'),
  'list.yaml': yaml({
    apiVersion: 'v1',
    kind: 'List',
    items: [
      crd('example.dev', 'Sprocket', [{ name: 'v1' }]),
      crd('third.dev', 'Cog', [{ name: 'v1' }]),
    ],
  }),
}

let root: string
const project = (): string => join(root, 'project')
const crds = (file: string): string => join(project(), 'crds', file)

// Each step changes the project's CRD files (or its cache) as a user would.
interface Want {
  code: number
  /** New file facts and group-version entries in the cache (undefined: not counted). */
  parsed?: number
  converted?: number
}
const STEPS: { given: string; edit: () => Promise<void>; args?: string[]; want: Want }[] = [
  { given: 'the first run', edit: async () => {}, want: { code: 0, parsed: 4, converted: 4 } },
  {
    given: 'a description edited',
    edit: () =>
      writeFile(
        crds('widgets.yaml'),
        yaml(crd('example.dev', 'Widget', [{ name: 'v1', description: 'Edited.' }])),
      ),
    want: { code: 0, parsed: 1, converted: 1 },
  },
  {
    given: 'a version added',
    edit: () =>
      writeFile(
        crds('gadgets.yaml'),
        yaml(crd('example.dev', 'Gadget', [{ name: 'v1' }, { name: 'v1beta1' }, { name: 'v2' }])),
      ),
    want: { code: 0, parsed: 1, converted: 3 },
  },
  {
    given: 'a kind moved to another group (in a multi-document file)',
    edit: () => writeFile(crds('things.yaml'), things('example.dev')),
    want: { code: 0, parsed: 1, converted: 2 },
  },
  {
    given: 'a file deleted',
    edit: () => rm(crds('list.yaml')),
    want: { code: 0, parsed: 0, converted: 1 },
  },
  {
    given: 'an output file of a module whose inputs did not change edited by hand',
    edit: () => writeFile(join(project(), 'k8s', 'other.dev', 'v1.ts'), '// mine\n'),
    want: { code: 0, parsed: 0, converted: 0 },
  },
  {
    given: 'an output file of a module whose inputs did not change deleted',
    edit: () => rm(join(project(), 'k8s', 'example.dev', 'v1beta1.ts')),
    want: { code: 0, parsed: 0, converted: 0 },
  },
  {
    given: 'the generation options changed (--no-docs)',
    edit: async () => {},
    args: ['--no-docs'],
    want: { code: 0, parsed: 0, converted: 0 },
  },
  {
    given: 'a description edited under the changed options',
    edit: () =>
      writeFile(
        crds('widgets.yaml'),
        yaml(crd('example.dev', 'Widget', [{ name: 'v1', description: 'Edited again.' }])),
      ),
    want: { code: 0, parsed: 1, converted: 1 },
  },
  {
    given: 'the generation options changed back (--docs), as they were two runs ago',
    edit: async () => {},
    args: ['--docs'],
    want: { code: 0, parsed: 0, converted: 0 },
  },
  {
    given: 'JavaScript emitted (--emit js), then a description edited',
    edit: async () => {
      const js = await generate(project(), ['--emit', 'js'])
      expect(js.code, js.stderr).toBe(0)
      await writeFile(
        crds('widgets.yaml'),
        yaml(crd('example.dev', 'Widget', [{ name: 'v1', description: 'Edited in js.' }])),
      )
    },
    want: { code: 0, parsed: 1, converted: 1 },
  },
  {
    given: 'TypeScript emitted again (--emit ts)',
    edit: async () => {},
    args: ['--emit', 'ts'],
    want: { code: 0, parsed: 0, converted: 0 },
  },
  {
    given: 'a CRD added that claims a kind another file defines',
    edit: () =>
      writeFile(
        crds('widgets-again.yaml'),
        yaml(crd('example.dev', 'Widget', [{ name: 'v1' }], 'widgetsagain')),
      ),
    want: { code: 1, parsed: 1, converted: 0 },
  },
  {
    given: 'the conflicting file removed and another renamed into a directory',
    edit: async () => {
      await rm(crds('widgets-again.yaml'))
      await mkdir(crds('more'))
      await rename(crds('gadgets.yaml'), crds('more/gadgets-renamed.yaml'))
    },
    want: { code: 0, parsed: 0, converted: 0 },
  },
  {
    given: 'a file moved back, with every cached conversion entry cut short',
    edit: async () => {
      await rename(crds('more/gadgets-renamed.yaml'), crds('gadgets.yaml'))
      for (const dir of ['crd-files', 'crd-group-versions', 'crd-conversions']) {
        const path = join(project(), 'cache', dir)
        for (const name of await readdir(path)) {
          const text = await readFile(join(path, name), 'utf8')
          await writeFile(join(path, name), text.slice(0, text.length >> 1))
        }
      }
    },
    want: { code: 0 },
  },
]

const entries = async (dir: string): Promise<Set<string>> =>
  new Set(await readdir(join(project(), 'cache', dir)).catch(() => []))
const added = (before: Set<string>, after: Set<string>): number =>
  [...after].filter((name) => !before.has(name)).length

const generate = (dir: string, args: string[] = []) =>
  cliIn(dir, ['generate', '--crds', 'crds', '--out', 'k8s', '--json', ...args])

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cli-crd-edits-'))
  for (const [file, text] of Object.entries(INITIAL)) {
    await mkdir(dirname(crds(file)), { recursive: true })
    await writeFile(crds(file), text)
  }
})
afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

describe('generate --crds after each edit equals a cold run', { timeout: 120_000 }, () => {
  it.each(STEPS.map((step, i) => ({ ...step, i })))('$given', async ({ edit, args, want, i }) => {
    await edit()
    // The same project state (CRD files, output, lockfile) without the cache: the cold run.
    const cold = await copyWithoutCache(project(), join(root, `cold-${i}`))
    const [files, groupVersions] = [await entries('crd-files'), await entries('crd-group-versions')]
    const warm = await outcome(project(), await generate(project(), args))
    const fresh = await outcome(cold, await generate(cold, args))
    expect(warm.code).toBe(want.code)
    expect(warm).toEqual(fresh)
    const counted = {
      code: warm.code,
      parsed: added(files, await entries('crd-files')),
      converted: added(groupVersions, await entries('crd-group-versions')),
    }
    expect(counted).toMatchObject(want)
    await rm(cold, { recursive: true })
  })
})

// With `--base` another lockfile (of other CRDs, or of a cluster, whose built-in meta/v1 the CRD
// documents then refer to; the cold run's cache holds its documents too, none of the conversion
// entries): a CRD the base already serves is refused alike, and the set is converted again only
// where it changed.
const based = (path: string): string => join(root, 'based', path)
const BASE_STEPS: {
  given: string
  edit: () => Promise<void>
  base?: string
  want: { code: number }
}[] = [
  {
    given: 'a set beside a base serving another kind of its group-version',
    edit: async () => {
      await mkdir(based('base'), { recursive: true })
      await mkdir(based('crds'))
      await writeFile(based('base/widgets.yaml'), INITIAL['widgets.yaml'] as string)
      await writeFile(based('crds/gadgets.yaml'), INITIAL['gadgets.yaml'] as string)
      const base = await cliIn(based(''), [
        'generate',
        '--crds',
        'base',
        '--lockfile',
        'base.lock.json',
        '--out',
        'base-k8s',
      ])
      expect(base.code, base.stderr).toBe(0)
    },
    want: { code: 0 },
  },
  {
    given: 'a CRD added whose plural the base serves',
    edit: () => writeFile(based('crds/widgets.yaml'), INITIAL['widgets.yaml'] as string),
    want: { code: 1 },
  },
  { given: 'that CRD removed', edit: () => rm(based('crds/widgets.yaml')), want: { code: 0 } },
  {
    given: 'a description edited',
    edit: () =>
      writeFile(
        based('crds/gadgets.yaml'),
        yaml(crd('example.dev', 'Gadget', [{ name: 'v1', description: 'Edited.' }])),
      ),
    want: { code: 0 },
  },
  {
    given: "--base changed to a cluster's lockfile (its built-in core/v1 and meta/v1)",
    edit: async () => {
      const server = await startApiServer()
      try {
        const kubeconfig = await server.kubeconfig(based('kubeconfig'))
        const fetched = await cliIn(based(''), [
          'fetch',
          '--kubeconfig',
          kubeconfig,
          '--include',
          'core/v1',
          '--lockfile',
          'cluster.lock.json',
          '--out',
          'cluster-k8s',
          '--no-generate',
        ])
        expect(fetched.code, fetched.stderr).toBe(0)
      } finally {
        await server.close()
      }
    },
    base: 'cluster.lock.json',
    want: { code: 0 },
  },
  {
    given: "a description edited on the cluster's base",
    edit: () =>
      writeFile(
        based('crds/gadgets.yaml'),
        yaml(crd('example.dev', 'Gadget', [{ name: 'v1', description: 'Edited on a cluster.' }])),
      ),
    base: 'cluster.lock.json',
    want: { code: 0 },
  },
  {
    given: '--base changed back to the lockfile of other CRDs',
    edit: async () => {},
    want: { code: 0 },
  },
]

describe('generate --crds --base after each edit equals a cold run', { timeout: 120_000 }, () => {
  const generateOnBase = (dir: string, base: string) =>
    cliIn(dir, ['generate', '--crds', 'crds', '--base', base, '--out', 'k8s', '--json'])
  it.each(BASE_STEPS.map((step, i) => ({ ...step, i })))(
    '$given',
    async ({ edit, base, want, i }) => {
      await edit()
      const cold = await copyWithoutCache(based(''), join(root, `cold-based-${i}`))
      await cp(based('cache/sha512'), join(cold, 'cache/sha512'), { recursive: true })
      const on = base ?? 'base.lock.json'
      const warm = await outcome(based(''), await generateOnBase(based(''), on))
      const fresh = await outcome(cold, await generateOnBase(cold, on))
      expect(warm.code).toBe(want.code)
      expect(warm).toEqual(fresh)
      await rm(cold, { recursive: true })
    },
  )
})
