import { describe, expect, it } from 'vitest'

import {
  DocumentPlans,
  generate,
  generateInto,
  type GenerateResult,
  type GroupVersionInput,
} from '../src/index.js'
import { corpusCrdInputs, goldenInputs } from './_inputs.js'

// A caller that holds each document before generating (the CLI, as `--crds` stores each
// converted group-version) plans it then: generating reads it only to print it, and gives the
// same files as reading it twice.

// The inputs with their documents behind `load()`, each call counted per key.
function counted(inputs: readonly GroupVersionInput[]): {
  inputs: GroupVersionInput[]
  loads: Map<string, number>
} {
  const loads = new Map<string, number>()
  return {
    inputs: inputs.map(({ document, ...gv }) => ({
      ...gv,
      load: () => {
        loads.set(gv.key, (loads.get(gv.key) ?? 0) + 1)
        return Promise.resolve(structuredClone(document))
      },
    })),
    loads,
  }
}

async function run(
  inputs: GroupVersionInput[],
  plans: DocumentPlans | undefined,
): Promise<Omit<GenerateResult, 'files'> & { files: [string, string][] }> {
  const files = new Map<string, string>()
  const summary = await generateInto(
    { groupVersions: inputs, lockfileHash: 'test', plans },
    { file: (path, content) => void files.set(path, content), discard: () => files.clear() },
  )
  return { files: [...files].sort(([a], [b]) => (a < b ? -1 : 1)), ...summary }
}

// Every read without plans, less one per document planned: planning read none.
const sum = (loads: Map<string, number>): number => [...loads.values()].reduce((a, b) => a + b, 0)

const corpus = async (): Promise<GroupVersionInput[]> => [
  ...(await corpusCrdInputs('gateway-api')),
  ...(await corpusCrdInputs('cert-manager')),
]

const rows: {
  given: string
  inputs: () => Promise<GroupVersionInput[]>
  /** What the plans are made of (default: each input as it is). */
  planned?: (gv: GroupVersionInput) => GroupVersionInput
  limits?: { depth: number }
  /** Reads saved: one per document when the plans are used, none when they are not. */
  want: 'each document read once less' | 'as many reads'
}[] = [
  {
    given: 'the golden inputs (a built-in and a CRD group-version)',
    inputs: () => Promise.resolve(goldenInputs()),
    want: 'each document read once less',
  },
  {
    given: 'the gateway-api and cert-manager CRDs of the corpus',
    inputs: corpus,
    want: 'each document read once less',
  },
  {
    given: 'plans of other documents (another hash)',
    inputs: corpus,
    planned: (gv) => ({ ...gv, hash: `${gv.hash}-other` }),
    want: 'as many reads',
  },
  {
    given: 'plans of another discovery list',
    inputs: corpus,
    planned: (gv) => ({ ...gv, discovery: { groupVersion: 'x/v1', resources: [] } }),
    want: 'as many reads',
  },
  {
    given: 'plans made under other limits',
    inputs: corpus,
    limits: { depth: 3 },
    want: 'as many reads',
  },
]

describe('documents planned while held', () => {
  it.each(rows)('$given: $want, the same files', async ({ inputs, planned, limits, want }) => {
    const given = await inputs()
    const held = await generate({ groupVersions: given, lockfileHash: 'test' })
    const without = counted(given)
    await run(without.inputs, undefined)
    const plans = new DocumentPlans(limits === undefined ? {} : { limits })
    for (const gv of given) plans.add(planned?.(gv) ?? gv, gv.document)
    const withPlans = counted(given)
    const got = await run(withPlans.inputs, plans)
    expect(got).toEqual({
      files: [...held.files],
      warnings: held.warnings,
      skipped: held.skipped,
      stats: held.stats,
      modules: held.modules,
    })
    expect(sum(without.loads) - sum(withPlans.loads)).toBe(
      want === 'as many reads' ? 0 : given.length,
    )
  })

  it('a document skipped while planned is skipped the same way', async () => {
    const [gv] = await corpusCrdInputs('cert-manager')
    if (gv === undefined) throw new Error('no cert-manager group-version')
    const document = structuredClone(gv.document) as { paths: Record<string, unknown> }
    // A plural the apiserver would not serve as a path segment.
    document.paths = Object.fromEntries(
      Object.entries(document.paths).map(([path, item]) => [path.replace(/s$/, 'S'), item]),
    )
    const bad = { ...gv, document }
    const plans = new DocumentPlans()
    plans.add(bad, document)
    const withPlans = counted([bad])
    const got = await run(withPlans.inputs, plans)
    const held = await generate({ groupVersions: [bad], lockfileHash: 'test' })
    expect({ skipped: got.skipped, loads: sum(withPlans.loads) }).toEqual({
      skipped: held.skipped,
      loads: 0,
    })
    expect(held.skipped.map((s) => s.code)).toEqual(['K8S_CODEGEN_CODEGEN_INVALID_NAME'])
  })
})
