import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as fromSources from '../src/index.js'
import type { ApiServer } from '../src/index.js'
import { get } from './_client.js'

// A large CRD set is read on worker threads, which run only as built (turbo builds before test):
// a server of dist/ reads it there, one of src/ reads it on its own thread (no compiled worker).
// Both must serve the same bytes and refuse a bad set with the same error, the first in file
// order whichever worker finishes first.
const built: typeof fromSources = await import('../dist/index.js')
const fixtures = fileURLToPath(new URL('fixtures', import.meta.url))
const FIXTURES = ['crds/things.yaml', 'crds-scale/clusters.yaml', 'crds-preferred/gizmos.yaml']
const GROUPS = ['test.dev', 'pg.test.dev', 'pref.dev']
// Above the 2 MiB from which a set is read on workers.
const VARIANTS = 90
const PADDING = `# ${'padding '.repeat(1000)}\n`

const work = mkdtempSync(join(tmpdir(), 'testkit-crd-workers-'))
const many = join(work, 'many')
afterAll(() => rmSync(work, { recursive: true, force: true }))

beforeAll(() => {
  mkdirSync(many)
  for (let i = 0; i < VARIANTS; i++) {
    for (const [f, file] of FIXTURES.entries()) {
      const group = GROUPS[f] as string
      const text = readFileSync(join(fixtures, file), 'utf8').replaceAll(group, `g${i}.${group}`)
      writeFileSync(join(many, `${String(i).padStart(3, '0')}-${f}.yaml`), PADDING + text)
    }
  }
})

function dirWith(name: string, files: Record<string, string>): string {
  const dir = join(work, name)
  mkdirSync(dir, { recursive: true })
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text)
  return dir
}

const thing = readFileSync(join(fixtures, 'crds/things.yaml'), 'utf8')
const mask = (text: string): string =>
  text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'UID')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/g, 'TIME')

async function routes(server: ApiServer): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  const paths = [
    '/openapi/v3',
    '/openapi/v3/apis/g7.test.dev/v1',
    '/openapi/v3/apis/g7.pref.dev/v1beta2',
    '/apis/g7.test.dev/v1beta1',
    '/apis',
    '/apis/g89.pg.test.dev/v1/clusters',
    '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
    '/apis/apiextensions.k8s.io/v1/customresourcedefinitions?watch=1&resourceVersion=1&timeoutSeconds=1',
    '/openapi/v2',
  ]
  for (const path of paths) {
    const response = await get(server, path)
    out[path] = `${response.status} ${mask(response.body.toString())}`
  }
  return out
}

describe('CRD files read on worker threads', () => {
  it('serve what a read on the main thread serves', async () => {
    const served: Record<string, string>[] = []
    for (const kit of [built, fromSources]) {
      const server = await kit.startApiServer({ http: true, crds: [many] })
      try {
        served.push(await routes(server))
      } finally {
        await server.close()
      }
    }
    expect(served[0]).toEqual(served[1])
    const root = JSON.parse((served[0]?.['/openapi/v3'] ?? '').slice(4)) as { paths: object }
    expect(root.paths).toHaveProperty(['apis/g89.pref.dev/v1'])
  })

  const bad = {
    yaml: 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {\n',
    names:
      'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: x.y.dev\nspec:\n  group: y.dev\n',
    scope: thing.replace('scope: Namespaced', 'scope: 5').replaceAll('test.dev', 'scope.dev'),
  }
  it.each([
    {
      given: 'a YAML error in the first and in the last file',
      crds: () => [
        dirWith('a', { 'a.yaml': bad.yaml }),
        many,
        dirWith('z', { 'z.yaml': bad.yaml }),
      ],
      want: /a\.yaml document 0: not valid YAML \(line 3/,
    },
    {
      given: 'a YAML error in the last file',
      crds: () => [many, dirWith('z', { 'z.yaml': bad.yaml })],
      want: /z\.yaml document 0: not valid YAML \(line 3/,
    },
    {
      given: 'a CRD without names',
      crds: () => [many, dirWith('names', { 'names.yaml': bad.names })],
      want: /Cannot read properties of undefined/,
    },
    {
      given: 'a CRD its schema refuses',
      crds: () => [many, dirWith('scope', { 'scope.yaml': bad.scope })],
      // The Go decoder's 400, as kube-apiserver answers such a CRD.
      want: /cannot unmarshal number into Go struct field CustomResourceDefinitionSpec\.spec\.scope of type string/,
    },
    {
      given: 'a CRD twice',
      crds: () => [many, dirWith('twice', { 'a.yaml': thing, 'b.yaml': thing })],
      want: /"things\.test\.dev" already exists/,
    },
  ])('refuse $given as the main thread does', async ({ crds, want }) => {
    const paths = crds()
    const errors: unknown[] = []
    for (const kit of [built, fromSources]) {
      const started = kit.startApiServer({ http: true, crds: paths })
      errors.push(
        await started.then(
          (server) => server.close(),
          (error: unknown) => error,
        ),
      )
    }
    const [onWorkers, onMain] = errors as Error[]
    expect(onWorkers?.message).toMatch(want)
    expect({ ...onWorkers, name: onWorkers?.name, message: onWorkers?.message }).toEqual({
      ...onMain,
      name: onMain?.name,
      message: onMain?.message,
    })
  })
})
