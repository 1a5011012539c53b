import { describe, expect, it } from 'vitest'

import { generate, generateInto, type GroupVersionInput } from '../src/index.js'
import { corpusCrdInputs, goldenInputs } from './_inputs.js'

// A module printed before from the same inputs (its key) is offered to the sink, which takes the
// files it kept instead of having the module printed again: after any change, the files are
// exactly a cold generation's, and only modules whose inputs changed are printed (index.ts, which
// lists them all, always is).

interface Kept {
  files: Map<string, string>
  modules: Map<string, string[]>
}

// One generation into memory, offering the modules of `kept`; what it printed and what it keeps.
async function run(
  groupVersions: GroupVersionInput[],
  options: { docs?: boolean; emit?: 'ts' | 'js' },
  kept: Kept | undefined,
): Promise<Kept & { printed: string[] }> {
  const files = new Map<string, string>()
  const printed: string[] = []
  const summary = await generateInto(
    { groupVersions, lockfileHash: 'test', options },
    {
      file: (path, content) => {
        files.set(path, content)
        printed.push(path)
      },
      discard: () => {
        files.clear()
        printed.length = 0
      },
      reuse: (key, paths) => {
        const held = kept?.modules.get(key)
        if (held?.join('\0') !== paths.join('\0')) return false
        for (const path of paths) files.set(path, kept?.files.get(path) ?? '')
        return true
      },
    },
  )
  const modules = new Map(summary.modules.map(({ key, files: paths }) => [key, paths]))
  return { files, modules, printed: printed.sort() }
}

const sorted = (files: Map<string, string>): [string, string][] =>
  [...files].sort(([a], [b]) => (a < b ? -1 : 1))

// The corpus CRDs of two projects and the golden inputs (a built-in core/v1 and a CRD
// group-version), as the lockfile names them.
async function inputs(): Promise<GroupVersionInput[]> {
  return [
    ...goldenInputs(),
    ...(await corpusCrdInputs('gateway-api')),
    ...(await corpusCrdInputs('cert-manager')),
  ]
}

// `key`'s document with the description of its first kind's schema changed (a new hash).
function describedAnew(gvs: GroupVersionInput[], key: string): GroupVersionInput[] {
  return gvs.map((gv) => {
    if (gv.key !== key) return gv
    const document = structuredClone(gv.document) as {
      components: { schemas: Record<string, { description?: string }> }
    }
    const [name] = Object.entries(document.components.schemas).find(
      ([, schema]) => 'x-kubernetes-group-version-kind' in schema,
    ) ?? ['']
    const schema = document.components.schemas[name]
    if (schema !== undefined) schema.description = `Edited. ${schema.description ?? ''}`
    return { ...gv, hash: `${gv.hash}-edited`, document }
  })
}

const rows: {
  given: string
  edit: (gvs: GroupVersionInput[]) => GroupVersionInput[]
  options?: { docs?: boolean; emit?: 'ts' | 'js' }
  /**
   * Printed besides index.ts: the modules printed from a changed document; 'every module' when
   * the change reaches them all.
   */
  want: string[] | 'every module'
}[] = [
  { given: 'nothing changed', edit: (gvs) => gvs, want: [] },
  {
    given: "a description in one CRD group-version's document",
    edit: (gvs) => describedAnew(gvs, 'apis/cert-manager.io/v1'),
    want: ['cert-manager.io/v1.ts'],
  },
  {
    given: "a description in the built-in core/v1's document",
    edit: (gvs) => describedAnew(gvs, 'api/v1'),
    // Every module holding schemas of that document (the first to define meta/v1 & co.).
    want: [
      'api/resource.ts',
      'core/v1.ts',
      'meta/v1.ts',
      'policy/v1.ts',
      'runtime.ts',
      'util/intstr.ts',
    ],
  },
  {
    given: 'the CRD facts of one group-version (a kind served by another resource name)',
    edit: (gvs) =>
      gvs.map((gv) =>
        gv.key === 'apis/example.dev/v1'
          ? { ...gv, crdFacts: { resources: [{ name: 'gadgets', kind: 'Gadget' }] } }
          : gv,
      ),
    // autoscaling/v1 holds the Scale schema example.dev/v1 is the first to define.
    want: ['autoscaling/v1.ts', 'example.dev/v1.ts'],
  },
  {
    given: 'a group-version removed (the placement changes)',
    edit: (gvs) => gvs.filter((gv) => gv.key !== 'apis/acme.cert-manager.io/v1'),
    want: 'every module',
  },
  {
    given: 'the options that shape output (--no-docs)',
    edit: (gvs) => gvs,
    options: { docs: false },
    want: 'every module',
  },
  {
    given: 'JavaScript emitted (--emit js), a description changed',
    edit: (gvs) => describedAnew(gvs, 'apis/cert-manager.io/v1'),
    options: { emit: 'js' },
    want: 'every module',
  },
]

describe('a generation reuses the modules whose inputs did not change', () => {
  it.each(rows)('$given', { timeout: 60_000 }, async ({ edit, options = {}, want }) => {
    const before = await inputs()
    const kept = await run(before, {}, undefined)
    const after = edit(before)
    const warm = await run(after, options, kept)
    const cold = await generate({ groupVersions: after, lockfileHash: 'test', options })
    expect(sorted(warm.files)).toEqual(sorted(cold.files))
    const index = options.emit === 'js' ? ['index.d.ts', 'index.js'] : ['index.ts']
    expect(warm.printed).toEqual(
      want === 'every module' ? [...cold.files.keys()].sort() : [...want, ...index].sort(),
    )
  })

  it('offers each module once, keyed by what it is printed from, and reuses under js too', async () => {
    const gvs = await inputs()
    const kept = await run(gvs, { emit: 'js' }, undefined)
    const edited = describedAnew(gvs, 'apis/gateway.networking.k8s.io/v1')
    const warm = await run(edited, { emit: 'js' }, kept)
    expect(warm.printed).toEqual([
      'gateway.networking.k8s.io/v1.d.ts',
      'gateway.networking.k8s.io/v1.js',
      'index.d.ts',
      'index.js',
    ])
    expect(new Set([...warm.modules.keys()]).size).toBe(warm.modules.size)
  })
})
