import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fetchSpecs, type FetchEvent, type FetchOptions } from '../src/fetch.js'
import { loadSpecSet } from '../src/load.js'
import { FakeSource } from './_fake-source.js'

// fetch reads what a cluster's CRDs say beyond their documents (deprecation, printer columns)
// from its CustomResourceDefinition objects, as generate --crds reads them from files.
const CRDS_KEY = 'apis/apiextensions.k8s.io/v1'
const CRDS_PATH = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions'
const keys = ['api/v1', CRDS_KEY, 'apis/example.dev/v1', 'apis/example.dev/v1beta1']

// A CRD as a server lists it: no kind or apiVersion on the items, server fields set.
const widgets = {
  metadata: { name: 'widgets.example.dev', uid: 'u', resourceVersion: '7' },
  spec: {
    group: 'example.dev',
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: { openAPIV3Schema: { type: 'object' } },
        additionalPrinterColumns: [{ name: 'Size', type: 'integer', jsonPath: '.spec.size' }],
      },
      {
        name: 'v1beta1',
        served: true,
        storage: false,
        deprecated: true,
        schema: { openAPIV3Schema: { type: 'object' } },
      },
    ],
  },
  status: { acceptedNames: { plural: 'widgets', kind: 'Widget' }, storedVersions: ['v1'] },
}

let dir: string
let options: FetchOptions
let events: FetchEvent[]
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'openapi-crd-facts-'))
  events = []
  options = {
    lockfile: join(dir, 'k8s-codegen.lock.json'),
    cacheDir: join(dir, 'cache'),
    onEvent: (e) => events.push(e),
  }
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

// The CRD list as a server pages it (limit and continue, the token being the next item's index).
function cluster(items: unknown[], status = 200): FakeSource {
  const source = new FakeSource(keys)
  source.intercept = ({ path }) => {
    const url = new URL(path, 'https://fake.invalid')
    if (url.pathname !== CRDS_PATH) return undefined
    const start = Number(url.searchParams.get('continue') ?? 0)
    const limit = Number(url.searchParams.get('limit') ?? 0) || items.length
    const next = start + limit < items.length ? String(start + limit) : undefined
    return source.respond(
      status,
      JSON.stringify({
        kind: 'CustomResourceDefinitionList',
        apiVersion: 'apiextensions.k8s.io/v1',
        metadata: next === undefined ? {} : { continue: next },
        items: items.slice(start, start + limit),
      }),
      path,
    )
  }
  return source
}

describe('fetchSpecs: CRD facts from the cluster', () => {
  it('locks each served version facts beside its group-version and loads them back', async () => {
    const source = cluster([widgets])
    const result = await fetchSpecs(source, { ...options, specsDir: join(dir, 'specs') })
    const locked = Object.entries(result.lockfile.groupVersions)
      .filter(([, gv]) => gv.status === 'ok' && gv.crdFacts !== undefined)
      .map(([key]) => key)
    expect(locked).toEqual(['apis/example.dev/v1', 'apis/example.dev/v1beta1'])
    const set = await loadSpecSet({ lockfile: options.lockfile, cacheDir: options.cacheDir })
    const facts = Object.fromEntries(set.groupVersions.map((gv) => [gv.key, gv.crdFacts]))
    expect(facts['apis/example.dev/v1']).toEqual({
      groupVersion: 'example.dev/v1',
      resources: [
        {
          name: 'widgets',
          kind: 'Widget',
          printerColumns: [{ name: 'Size', type: 'integer', jsonPath: '.spec.size' }],
        },
      ],
    })
    expect(facts['apis/example.dev/v1beta1']?.resources[0]?.deprecationWarning).toBe(
      'example.dev/v1beta1 Widget is deprecated; use example.dev/v1 Widget',
    )
    expect(facts['api/v1']).toBeUndefined()
    // The specs dir keeps them for offline runs, and loading from it alone finds them.
    expect(await readdir(join(dir, 'specs/apis/example.dev'))).toContain('v1.crd-facts.json')
    await rm(options.cacheDir as string, { recursive: true, force: true })
    const offline = await loadSpecSet({
      lockfile: options.lockfile,
      cacheDir: options.cacheDir,
      specsDir: join(dir, 'specs'),
    })
    expect(offline.groupVersions.find((gv) => gv.key === 'apis/example.dev/v1')?.crdFacts).toEqual(
      facts['apis/example.dev/v1'],
    )
  })

  it('reads the CRDs a page of 100 at a time (one list of 2,000 is over the response limit)', async () => {
    const gadgets = (i: number) => ({
      ...widgets,
      metadata: { ...widgets.metadata, name: `gadget${i}s.example.dev` },
      spec: {
        ...widgets.spec,
        names: { plural: `gadget${i}s`, kind: `Gadget${i}`, listKind: `Gadget${i}List` },
      },
    })
    const source = cluster([...Array.from({ length: 250 }, (_, i) => gadgets(i)), widgets])
    const result = await fetchSpecs(source, options)
    const pages = source.requests.filter((r) => r.path.startsWith(CRDS_PATH)).map((r) => r.path)
    expect(pages).toEqual([
      `${CRDS_PATH}?limit=100`,
      `${CRDS_PATH}?limit=100&continue=100`,
      `${CRDS_PATH}?limit=100&continue=200`,
    ])
    // widgets.example.dev comes on the last page; its facts are locked.
    const v1 = result.lockfile.groupVersions['apis/example.dev/v1']
    expect(v1?.status === 'ok' && v1.crdFacts !== undefined).toBe(true)
  })

  it('refuses a list that never ends (a continue token on every page)', async () => {
    const source = new FakeSource(keys)
    source.intercept = ({ path }) =>
      path.startsWith(CRDS_PATH)
        ? source.respond(200, JSON.stringify({ metadata: { continue: 'again' }, items: [] }), path)
        : undefined
    await expect(fetchSpecs(source, options)).rejects.toMatchObject({
      code: 'K8S_CODEGEN_OPENAPI_DOCUMENT_INVALID',
      message: expect.stringContaining('did not end after 1000 pages of 100') as string,
    })
  })

  it('makes no request for them when nothing changed, and keeps the lockfile byte for byte', async () => {
    const source = cluster([widgets])
    await fetchSpecs(source, options)
    const before = await readFile(options.lockfile, 'utf8')
    source.requests.length = 0
    const warm = await fetchSpecs(source, options)
    expect(warm.summary.requests).toBe(1)
    expect(await readFile(options.lockfile, 'utf8')).toBe(before)
    // The facts kept sit where the file writes them: the comparison copies no entry.
    const v1 = warm.lockfile.groupVersions['apis/example.dev/v1']
    expect(Object.keys(v1 ?? {})).toEqual(Object.keys(v1 ?? {}).sort())
    expect(Object.keys(v1 ?? {})).toContain('crdFacts')
  })

  // The other side: any served group-version changed (the CRDs' own, or another) lists them again.
  it.each(['apis/example.dev/v1', 'api/v1'])(
    'lists them again when %s changed',
    async (changed) => {
      const source = cluster([widgets])
      await fetchSpecs(source, options)
      source.set(changed, 'changed')
      source.requests.length = 0
      await fetchSpecs(source, options)
      expect(source.requests.map((r) => r.path)).toContain(`${CRDS_PATH}?limit=100`)
    },
  )

  it.each([
    {
      name: 'a CRD the server holds that is not valid now',
      given: { items: [{ ...widgets, spec: { ...widgets.spec, scope: 'Global' } }], status: 200 },
      want: "https://fake.invalid/prefix/apis/apiextensions.k8s.io/v1/customresourcedefinitions?limit=100 document 0 (widgets.example.dev) is not a valid CustomResourceDefinition: spec.scope: must be 'Namespaced' or 'Cluster'; skipped",
    },
    {
      name: 'a list the server refuses',
      given: { items: [], status: 403 },
      want: 'https://fake.invalid/prefix/apis/apiextensions.k8s.io/v1/customresourcedefinitions?limit=100 answered HTTP 403; CRD group-versions are locked without their deprecation warnings and printer columns',
    },
  ])('warns and locks no facts for $name', async ({ given, want }) => {
    const result = await fetchSpecs(cluster(given.items, given.status), options)
    expect(events.filter((e) => e.type === 'warning').map((e) => e.message)).toContain(want)
    expect(
      Object.values(result.lockfile.groupVersions).some(
        (gv) => gv.status === 'ok' && gv.crdFacts !== undefined,
      ),
    ).toBe(false)
  })

  it('asks nothing of a cluster that serves no apiextensions.k8s.io/v1', async () => {
    const source = new FakeSource(['api/v1', 'apis/example.dev/v1'])
    await fetchSpecs(source, options)
    expect(source.requests.map((r) => r.path)).not.toContain(CRDS_PATH)
  })
})
