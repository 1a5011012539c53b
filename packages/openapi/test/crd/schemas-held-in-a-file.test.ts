import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { canonicalJson } from '../../src/_canonical-json.js'
import { SchemaSpill } from '../../src/crd/_schema-spill.js'
import { shippedCrdBaseline } from '../../src/crd/baseline.js'
import { loadCrds } from '../../src/crd/load.js'
import { crdsToOpenApiV3 } from '../../src/crd/to-openapi-v3.js'
import type { OpenApiError } from '../../src/errors.js'

// The CLI's corpus of real projects' CRDs.
const corpus = (project: string): string =>
  fileURLToPath(new URL(`../../../cli/test/corpus/crds/${project}`, import.meta.url))

// The spill's temporary directory goes where TMPDIR says: a directory of this test's own.
let spillDir: string
let previous: string | undefined
beforeEach(async () => {
  previous = process.env.TMPDIR
  spillDir = await mkdtemp(join(tmpdir(), 'schema-spill-test-'))
  process.env.TMPDIR = spillDir
})
afterEach(async () => {
  if (previous === undefined) delete process.env.TMPDIR
  else process.env.TMPDIR = previous
  await rm(spillDir, { recursive: true, force: true })
})

describe('CRD schemas held in a temporary file while converting', () => {
  const rows = [
    { given: 'cert-manager' },
    { given: 'gateway-api' },
    { given: 'prometheus-operator' },
    { given: 'crossplane' },
  ].map((row) => ({ ...row, want: 'the same documents as schemas held in memory' }))

  it.each(rows)('$given: $want', async ({ given }) => {
    const options = { cwd: process.cwd() }
    const held = await loadCrds([corpus(given)], options)
    const spill = new SchemaSpill()
    try {
      const spilled = await loadCrds([corpus(given)], { ...options, schemas: spill })
      const converted = (crds: typeof held.crds): string =>
        canonicalJson(crdsToOpenApiV3(crds, shippedCrdBaseline()))
      expect(converted(spilled.crds)).toBe(converted(held.crds))
    } finally {
      spill.close()
    }
  })

  it('leaves no file behind, even before it is closed (POSIX)', async () => {
    const spill = new SchemaSpill()
    const read = spill.hold({ type: 'object', description: 'kept' })
    const open = await readdir(spillDir)
    const value = read()
    spill.close()
    expect({ open, value, closed: await readdir(spillDir) }).toEqual({
      open: process.platform === 'win32' ? open : [],
      value: { type: 'object', description: 'kept' },
      closed: [],
    })
  })

  it('reports a later file that is not YAML before an earlier invalid CRD, as when all were read first', async () => {
    const dir = await mkdtemp(join(spillDir, 'crds-'))
    await writeFile(
      join(dir, 'a.yaml'),
      'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: bad\n',
    )
    await writeFile(join(dir, 'b.yaml'), 'kind: [unclosed\n')
    const error = await loadCrds([dir], { cwd: dir, schemas: new SchemaSpill() }).catch(
      (e: unknown) => e,
    )
    expect({
      code: (error as OpenApiError).code,
      message: (error as Error).message.split(':')[0],
    }).toEqual({ code: 'K8S_CODEGEN_OPENAPI_CRD_INVALID', message: 'b.yaml document 0' })
  })
})
