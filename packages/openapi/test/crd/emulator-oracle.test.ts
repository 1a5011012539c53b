import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { loadCrdFiles, serveCrds } from '@k8s-codegen/testkit'
import { describe, expect, it } from 'vitest'

import { canonicalJson } from '../../src/_canonical-json.js'
import { shippedCrdBaseline } from '../../src/crd/baseline.js'
import { loadCrds } from '../../src/crd/load.js'
import { crdsToOpenApiV3 } from '../../src/crd/to-openapi-v3.js'
import { crdsToSwaggerV2 } from '../../src/crd/to-openapi-v2.js'

// The product's conversion (src/crd) against the emulator's own (testkit crd-documents.ts),
// written separately from the same apiextensions-apiserver sources: documents, discovery lists
// and the /openapi/v2 additions must be the same JSON for every CRD of the corpus, with the same
// baseline on both sides.
const require = createRequire(import.meta.url)
const CORPORA = {
  authored: fileURLToPath(new URL('../fixtures/crds', import.meta.url)),
  forklift: join(
    dirname(require.resolve('@kubev2v/types/package.json')),
    'src/generated/forklift/crds',
  ),
}

describe.each(Object.entries(CORPORA))('product and emulator agree on the %s CRDs', (_, dir) => {
  const baseline = shippedCrdBaseline()
  const builtins = {
    schema: (name: string) => baseline.schemas[name],
    parameter: (name: string) => baseline.parameters[name],
  }

  it('serves the same v3 documents and discovery lists', async () => {
    const product = crdsToOpenApiV3((await loadCrds([dir], { cwd: dir })).crds, baseline)
    const emulator = serveCrds(loadCrdFiles([dir]), builtins)
    expect(product.map((gv) => gv.key)).toEqual([...emulator.documents.keys()].sort())
    for (const gv of product) {
      expect(canonicalJson(gv.document), gv.key).toBe(canonicalJson(emulator.documents.get(gv.key)))
      expect(gv.discovery, gv.key).toEqual(emulator.discovery.get(gv.key))
    }
  })

  it('adds the same paths and definitions to /openapi/v2', async () => {
    const product = crdsToSwaggerV2((await loadCrds([dir], { cwd: dir })).crds, baseline.parameters)
    const emulator = serveCrds(loadCrdFiles([dir]), builtins)
    expect(canonicalJson(product.definitions)).toBe(canonicalJson(emulator.v2.definitions))
    expect(canonicalJson(product.paths)).toBe(canonicalJson(emulator.v2.paths))
  })
})
