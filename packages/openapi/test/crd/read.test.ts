import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { OpenApiError } from '../../src/errors.js'
import { parseCrdDocuments, readCrdFiles } from '../../src/crd/read.js'
import { DEFAULT_CRD_READ_LIMITS } from '../../src/crd/read-limits.js'

const MAX_CRD_FILE_BYTES = DEFAULT_CRD_READ_LIMITS.fileBytes

const FIXTURES = fileURLToPath(new URL('../fixtures/crds', import.meta.url))
const crdYaml = (name: string): string =>
  `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: ${name}\n`

describe('parseCrdDocuments', () => {
  const rows: { given: string; want: { names: string[]; skipped: number; where?: object[] } }[] = [
    { given: '', want: { names: [], skipped: 0 } },
    { given: '---\n---\n', want: { names: [], skipped: 0 } },
    { given: crdYaml('a.x.io'), want: { names: ['a.x.io'], skipped: 0 } },
    {
      given: `kind: ConfigMap\n---\n${crdYaml('a.x.io')}---\n${crdYaml('b.x.io')}`,
      want: {
        names: ['a.x.io', 'b.x.io'],
        skipped: 1,
        where: [
          { file: 'f.yaml', index: 1 },
          { file: 'f.yaml', index: 2 },
        ],
      },
    },
    {
      given: JSON.stringify({
        kind: 'List',
        items: [
          { kind: 'Secret' },
          { kind: 'CustomResourceDefinition', metadata: { name: 'c.x.io' } },
        ],
      }),
      want: { names: ['c.x.io'], skipped: 1, where: [{ file: 'f.yaml', index: 0, item: 1 }] },
    },
  ]
  it.each(rows)('$given', async ({ given, want }) => {
    const got = await parseCrdDocuments(given, 'f.yaml')
    expect(got.documents.map((d) => (d.value.metadata as { name: string }).name)).toEqual(
      want.names,
    )
    expect(got.skipped).toBe(want.skipped)
    if (want.where) expect(got.documents.map((d) => d.where)).toEqual(want.where)
  })

  const refusals: { given: string; want: string }[] = [
    {
      given: 'a: [1, 2',
      want: 'f.yaml document 0: not valid YAML (line 1, column 9): unexpected end of the stream within a flow collection',
    },
    {
      given: 'kind: ConfigMap\n---\n# one\n# two\na: b\n  c: d\n',
      want: 'f.yaml document 1: not valid YAML (line 6, column 4): bad indentation of a mapping entry',
    },
    {
      given: 'kind: ConfigMap\n---\n- 1\n- 2\n',
      want: 'f.yaml document 1: a document must be a mapping (an object)',
    },
    { given: 'kind: List\nitems: 3\n', want: 'f.yaml document 0: items of a List must be a list' },
    {
      given: 'kind: List\nitems: [3]\n',
      want: 'f.yaml document 0 item 0: a list item must be a mapping',
    },
  ]
  it.each(refusals)('refuses $given', async ({ given, want }) => {
    await expect(parseCrdDocuments(given, 'f.yaml')).rejects.toThrowError(
      new OpenApiError('K8S_CODEGEN_OPENAPI_CRD_INVALID', want),
    )
  })

  it('finds every CRD of any sequence of documents, counting the rest (property)', async () => {
    const doc = fc.oneof(
      fc.constant('kind: ConfigMap\n'),
      fc.constant(crdYaml('w.x.io')),
      fc.constant('kind: List\nitems: [{kind: CustomResourceDefinition}, {kind: Pod}]\n'),
    )
    await fc.assert(
      fc.asyncProperty(fc.array(doc, { maxLength: 12 }), async (docs) => {
        const got = await parseCrdDocuments(docs.join('---\n'), 'f.yaml')
        const crds =
          docs.filter((d) => d.includes('metadata')).length +
          docs.filter((d) => d.includes('List')).length
        const others =
          docs.filter((d) => d.includes('ConfigMap')).length +
          docs.filter((d) => d.includes('List')).length
        expect(got.documents).toHaveLength(crds)
        expect(got.skipped).toBe(others)
      }),
    )
  })
})

describe('readCrdFiles', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'crd-read-'))
    await mkdir(join(dir, 'charts/a/crds'), { recursive: true })
    await mkdir(join(dir, 'charts/b/crds'), { recursive: true })
    await writeFile(join(dir, 'charts/a/crds/x.yaml'), crdYaml('x.a.io'))
    await writeFile(join(dir, 'charts/b/crds/y.yml'), crdYaml('y.b.io'))
    await writeFile(join(dir, 'charts/b/crds/notes.txt'), 'ignored')
    await writeFile(join(dir, 'latin1.yaml'), Buffer.from([0x6b, 0x3a, 0x20, 0xe9, 0x0a]))
    await writeFile(join(dir, 'big.yaml'), Buffer.alloc(MAX_CRD_FILE_BYTES + 1, 0x20))
  })

  it('walks directories recursively for .yaml, .yml and .json, sorted', async () => {
    const got = await readCrdFiles([FIXTURES], { cwd: FIXTURES })
    expect(got.files).toEqual(['nested/gadgets.json', 'widgets.yaml'])
    expect(got.documents.map((d) => d.where)).toEqual([
      { file: 'nested/gadgets.json', index: 0, item: 0 },
      { file: 'widgets.yaml', index: 1 },
    ])
    expect(got.skipped).toBe(1)
  })

  it('expands globs relative to cwd, ** crossing directories', async () => {
    expect(
      (await readCrdFiles(['charts/*/crds/*.y?(a)ml'.replace('?(a)', '*')], { cwd: dir })).files,
    ).toEqual(['charts/a/crds/x.yaml', 'charts/b/crds/y.yml'])
    expect((await readCrdFiles(['**/x.yaml'], { cwd: dir })).files).toEqual([
      'charts/a/crds/x.yaml',
    ])
  })

  const refusals: { given: string; code: string; want: string }[] = [
    {
      given: 'nope',
      code: 'K8S_CODEGEN_OPENAPI_CRD_MISSING',
      want: '--crds nope: no such file or directory',
    },
    {
      given: 'charts/*/none/*.yaml',
      code: 'K8S_CODEGEN_OPENAPI_CRD_MISSING',
      want: '--crds charts/*/none/*.yaml: matches no .yaml, .yml or .json file',
    },
    {
      given: 'latin1.yaml',
      code: 'K8S_CODEGEN_OPENAPI_CRD_INVALID',
      want: 'latin1.yaml: not UTF-8 text',
    },
    {
      given: 'big.yaml',
      code: 'K8S_CODEGEN_OPENAPI_CRD_TOO_LARGE',
      want: `big.yaml: larger than ${MAX_CRD_FILE_BYTES} bytes (raise the limit with --max-crd-file-bytes)`,
    },
  ]
  it.each(refusals)('refuses $given', async ({ given, code, want }) => {
    await expect(readCrdFiles([given], { cwd: dir })).rejects.toThrowError(
      new OpenApiError(code as 'K8S_CODEGEN_OPENAPI_CRD_MISSING', want),
    )
    await expect(readCrdFiles([given], { cwd: dir })).rejects.toMatchObject({ code })
  })
})
