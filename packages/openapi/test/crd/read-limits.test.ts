import { mkdtemp, readdir, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { lockCrds } from '../../src/crd/lock.js'
import { readCrdFiles } from '../../src/crd/read.js'
import { DEFAULT_CRD_READ_LIMITS, type CrdReadLimits } from '../../src/crd/read-limits.js'
import { OpenApiError } from '../../src/errors.js'

// Every bound on `--crds` input holds while reading: a refusal names the file, the document and
// the limit, comes before the input is all in memory, and leaves nothing in the cache.

const crd = (name: string, description = 'a test kind'): string =>
  [
    'apiVersion: apiextensions.k8s.io/v1',
    'kind: CustomResourceDefinition',
    'metadata:',
    `  name: ${name}s.example.dev`,
    'spec:',
    '  group: example.dev',
    '  scope: Namespaced',
    `  names: { plural: ${name}s, singular: ${name}, kind: K${name}, listKind: K${name}List }`,
    '  versions:',
    '    - name: v1',
    '      served: true',
    '      storage: true',
    '      schema:',
    '        openAPIV3Schema:',
    '          type: object',
    `          description: ${description}`,
    '',
  ].join('\n')

// 10 levels of ten aliases each: 10^10 leaves once expanded, a few hundred bytes as written.
const laughs = [
  'a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]',
  ...Array.from(
    { length: 9 },
    (_, i) => `a${i + 1}: &a${i + 1} [${Array.from({ length: 10 }, () => `*a${i}`).join(', ')}]`,
  ),
].join('\n')

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crd-limits-'))
  await writeFile(join(dir, 'one.yaml'), crd('one'))
  await writeFile(join(dir, 'two.yaml'), crd('two'))
  await writeFile(join(dir, 'laughs.yaml'), `${crd('one')}---\n${laughs}\n`)
  await writeFile(join(dir, 'self.yaml'), `${crd('one')}---\na: &a [x, *a]\n`)
  // Four documents, the fourth not even YAML: the count refuses it before it is parsed.
  await writeFile(join(dir, 'many.yaml'), `${crd('one')}---\na: 1\n---\nb: 2\n---\nc: [\n`)
  await writeFile(join(dir, 'empties.yaml'), '---\n'.repeat(1_000_000))
})

describe('readCrdFiles bounds', () => {
  // Files are named relative to the working directory.
  const rows: { given: { files: string[]; limits?: Partial<CrdReadLimits> }; want: string }[] = [
    {
      given: { files: ['/dev/zero'] },
      want: `${relative(tmpdir() + '/x', '/dev/zero')}: larger than ${DEFAULT_CRD_READ_LIMITS.fileBytes} bytes (raise the limit with --max-crd-file-bytes)`,
    },
    {
      given: { files: ['one.yaml', 'two.yaml'], limits: { totalBytes: crd('one').length + 100 } },
      want: `two.yaml: the CRD files read so far are larger than ${crd('one').length + 100} bytes in all (raise the limit with --max-crd-total-bytes)`,
    },
    {
      given: { files: ['many.yaml'], limits: { documents: 3 } },
      want: 'many.yaml document 3: more than 3 documents in one file (raise the limit with --max-crd-documents)',
    },
    {
      given: { files: ['empties.yaml'] },
      want: 'empties.yaml document 10000: more than 10000 documents in one file (raise the limit with --max-crd-documents)',
    },
    {
      given: { files: ['laughs.yaml'] },
      want: `laughs.yaml document 1: larger than ${DEFAULT_CRD_READ_LIMITS.expandedBytes} bytes as JSON once its aliases are expanded (raise the limit with --max-crd-expanded-bytes)`,
    },
    {
      given: { files: ['self.yaml'] },
      want: `self.yaml document 1: larger than ${DEFAULT_CRD_READ_LIMITS.expandedBytes} bytes as JSON once its aliases are expanded (raise the limit with --max-crd-expanded-bytes)`,
    },
    {
      given: { files: ['one.yaml'], limits: { expandedBytes: 100 } },
      want: 'one.yaml document 0: larger than 100 bytes as JSON once its aliases are expanded (raise the limit with --max-crd-expanded-bytes)',
    },
  ]
  it.each(rows)('refuses $given', async ({ given, want }) => {
    await expect(
      readCrdFiles(given.files, { cwd: dir, limits: given.limits }),
    ).rejects.toThrowError(new OpenApiError('K8S_CODEGEN_OPENAPI_CRD_TOO_LARGE', want))
  })

  it('reads what is within every limit, aliases included', async () => {
    const got = await readCrdFiles(['one.yaml', 'two.yaml'], {
      cwd: dir,
      limits: { totalBytes: crd('one').length * 2 },
    })
    expect(got.documents).toHaveLength(2)
  })
})

describe('lockCrds on refused input', () => {
  it('a 10 MB file whose aliases expand to 600 MB is a coded error naming file and document, and nothing is cached', async () => {
    const project = await mkdtemp(join(tmpdir(), 'crd-limits-lock-'))
    const big = 'x'.repeat(10 * 1024 * 1024)
    const aliases = Array.from({ length: 60 }, () => '*big').join(', ')
    await writeFile(
      join(project, 'big.yaml'),
      crd('big', `&big ${big}`).replace('          type: object\n', '') +
        `          type: object\n          x-kubernetes-validations: [${aliases}]\n`,
    )
    const cacheDir = join(project, 'cache')
    await expect(
      lockCrds({
        crds: ['big.yaml'],
        cwd: project,
        lockfile: join(project, 'k8s-codegen.lock.json'),
        cacheDir,
      }),
    ).rejects.toMatchObject({
      code: 'K8S_CODEGEN_OPENAPI_CRD_TOO_LARGE',
      message: expect.stringContaining('big.yaml document 0: larger than') as unknown,
    })
    expect(existsSync(cacheDir) ? await readdir(cacheDir, { recursive: true }) : []).toEqual([])
    expect(existsSync(join(project, 'k8s-codegen.lock.json'))).toBe(false)
  })

  it('a 10 MB CRD within the limits converts', async () => {
    const project = await mkdtemp(join(tmpdir(), 'crd-limits-lock-'))
    await writeFile(join(project, 'big.yaml'), crd('big', 'y'.repeat(10 * 1024 * 1024)))
    const result = await lockCrds({
      crds: ['big.yaml'],
      cwd: project,
      lockfile: join(project, 'k8s-codegen.lock.json'),
      cacheDir: join(project, 'cache'),
    })
    expect(result.groupVersions).toEqual(['apis/example.dev/v1'])
  })

  it('a limit lowered after a conversion refuses the same files (no earlier conversion is reused)', async () => {
    const project = await mkdtemp(join(tmpdir(), 'crd-limits-lock-'))
    await writeFile(join(project, 'one.yaml'), crd('one'))
    const options = {
      crds: ['one.yaml'],
      cwd: project,
      lockfile: join(project, 'k8s-codegen.lock.json'),
      cacheDir: join(project, 'cache'),
    }
    await lockCrds(options)
    await expect(lockCrds({ ...options, limits: { fileBytes: 100 } })).rejects.toMatchObject({
      code: 'K8S_CODEGEN_OPENAPI_CRD_TOO_LARGE',
    })
  })
})
