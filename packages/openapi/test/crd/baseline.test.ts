import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import {
  CRD_QUERY_PARAMETERS,
  CRD_REFERENCED_SCHEMAS,
  crdBaselineFromDocuments,
  deriveCrdBaseline,
  shippedCrdBaseline,
} from '../../src/crd/baseline.js'
import { OpenApiError } from '../../src/errors.js'
import { refNames } from '../../src/crd/schema.js'

// The shipped baseline is derived data: this test re-derives it from the recorded Kubernetes 1.32
// /openapi/v2 document (../shared, see its PROVENANCE.md) and fails when the file differs.
// Regenerate with `K8S_CODEGEN_UPDATE_BASELINE=1 npx vitest run test/crd/baseline.test.ts`.
const SPEC = fileURLToPath(
  new URL('../../../../../shared/fixtures/kubernetes/v2/kubernetes-1.32.json', import.meta.url),
)
const SHIPPED = fileURLToPath(
  new URL('../../src/crd/baseline-kubernetes-1.32.json', import.meta.url),
)
const SOURCE =
  'kube-apiserver 1.32 /openapi/v2 as recorded in kubernetes-client/python kubernetes/swagger.json.unprocessed @ 5342870c (release-1.32), Apache-2.0; derived by deriveCrdBaseline()'

describe('shipped CRD baseline', () => {
  it.runIf(existsSync(SPEC))('is what deriveCrdBaseline gives for Kubernetes 1.32', () => {
    const derived = deriveCrdBaseline(JSON.parse(readFileSync(SPEC, 'utf8')), {
      kubernetesVersion: '1.32',
      source: SOURCE,
    })
    const text = `${JSON.stringify(derived, null, 2)}\n`
    if (process.env.K8S_CODEGEN_UPDATE_BASELINE === '1') writeFileSync(SHIPPED, text)
    // Compared as data: the file is formatted by prettier like every JSON file of the repo.
    expect(JSON.parse(readFileSync(SHIPPED, 'utf8'))).toEqual(derived)
  })

  it('holds every referenced schema and its $ref closure, and every query parameter', () => {
    const base = shippedCrdBaseline()
    for (const name of CRD_REFERENCED_SCHEMAS) expect(base.schemas).toHaveProperty([name])
    for (const schema of Object.values(base.schemas)) {
      for (const target of refNames(schema)) expect(base.schemas).toHaveProperty([target])
    }
    expect(Object.keys(base.parameters).sort()).toEqual([...CRD_QUERY_PARAMETERS].sort())
    expect(base.name).toBe('kubernetes 1.32 (shipped with k8s-codegen)')
  })

  it('refuses --base documents that lack a referenced schema, naming it', () => {
    const doc = { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'x' }, paths: {} }
    expect(() => crdBaselineFromDocuments([doc], 'specs/')).toThrowError(
      new OpenApiError(
        'K8S_CODEGEN_OPENAPI_BASE_INVALID',
        "specs/ defines no schema 'io.k8s.api.autoscaling.v1.Scale', which CRD documents reference",
      ),
    )
  })
})
