import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

import { describe, expect, it } from 'vitest'

import { generate, generateInto, type GroupVersionInput } from '../src/index.js'
import { corpusCrdInputs, goldenInputs } from './_inputs.js'

// A collection the test can force, to count which loaded documents are still alive.
setFlagsFromString('--expose_gc')
const gc = runInNewContext('gc') as () => void

// Two CRD group-versions whose copies of ObjectMeta differ (the second's `name` is a number): the
// copy is compared with the first document's, which was read before the second copy was seen.
async function conflictingCopies(): Promise<GroupVersionInput[]> {
  const [first, second] = (await corpusCrdInputs('gateway-api')).slice(0, 2) as [
    GroupVersionInput,
    GroupVersionInput,
  ]
  const document = structuredClone(second.document) as {
    components: { schemas: Record<string, { properties: Record<string, unknown> }> }
  }
  const meta = document.components.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']
  if (meta === undefined) throw new Error('the converted document carries no ObjectMeta')
  meta.properties.name = { type: 'integer' }
  return [first, { ...second, document }]
}

// The same inputs, each document read through `load()` as a fresh copy (as the CLI parses a
// cache file), with every copy handed out watched.
function loaded(inputs: readonly GroupVersionInput[]): {
  inputs: GroupVersionInput[]
  alive: () => number
} {
  const handed: WeakRef<object>[] = []
  return {
    inputs: inputs.map(({ document, ...gv }) => ({
      ...gv,
      load: () => {
        const copy = structuredClone(document) as { components: { schemas: object } }
        // The schemas are what a printer keeps of a document.
        handed.push(new WeakRef(copy.components.schemas))
        return Promise.resolve(copy)
      },
    })),
    alive: () => handed.filter((ref) => ref.deref() !== undefined).length,
  }
}

const rows: { given: string; inputs: () => Promise<GroupVersionInput[]> }[] = [
  {
    given: 'the golden inputs (a built-in and a CRD group-version)',
    inputs: () => Promise.resolve(goldenInputs()),
  },
  {
    given: 'the gateway-api and cert-manager CRDs of the corpus',
    inputs: async () => [
      ...(await corpusCrdInputs('gateway-api')),
      ...(await corpusCrdInputs('cert-manager')),
    ],
  },
  { given: 'two CRD group-versions with differing ObjectMeta copies', inputs: conflictingCopies },
]

describe('documents read through load()', () => {
  it.each(rows)('give the same output as documents held: $given', async ({ inputs }) => {
    const given = await inputs()
    const held = await generate({ groupVersions: given, lockfileHash: 'test' })
    const files = new Map<string, string>()
    const lazy = loaded(given)
    const summary = await generateInto(
      { groupVersions: lazy.inputs, lockfileHash: 'test' },
      {
        file: (path, content) => void files.set(path, content),
        discard: () => files.clear(),
      },
    )
    expect({ files: [...files].sort(([a], [b]) => (a < b ? -1 : 1)), ...summary }).toEqual({
      files: [...held.files],
      warnings: held.warnings,
      skipped: held.skipped,
      stats: held.stats,
      modules: held.modules,
    })
  })

  it('are let go: while files are printed, at most two documents are alive', async () => {
    const given = [
      ...(await corpusCrdInputs('gateway-api')),
      ...(await corpusCrdInputs('cert-manager')),
      ...(await corpusCrdInputs('keda')),
    ]
    const lazy = loaded(given)
    let most = 0
    await generateInto(
      { groupVersions: lazy.inputs, lockfileHash: 'test' },
      {
        file: async () => {
          // A new task: a WeakRef's target is kept alive until the job that made it ends.
          await new Promise((resolve) => setImmediate(resolve))
          gc()
          most = Math.max(most, lazy.alive())
        },
        discard: () => undefined,
      },
    )
    expect({ groupVersions: given.length > 2, most }).toEqual({ groupVersions: true, most: 2 })
  })
})
