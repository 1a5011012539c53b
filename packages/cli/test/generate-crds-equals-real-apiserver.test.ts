import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { loadSpecSet } from '@k8s-codegen/openapi'
import { findRealApiServer, startRealApiServer, type RealApiServer } from '@k8s-codegen/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { CORPUS_CRDS, cliIn, generatedFiles } from './_crd-cli.js'

// The real publisher is the oracle: a real kube-apiserver (test/apiserver, or envtest's
// binaries) serves the corpus CRDs, and what `generate --crds` converts without a cluster must
// equal what it publishes (apiextensions-apiserver pkg/controller/openapi/builder/builder.go,
// for /openapi/v3 and, split, /openapi/v2):
// - every group-version document and discovery list equals, as JSON values, the one `fetch`
//   stored from the server. The server's bytes themselves are Go's serialization (struct field
//   order inside a schema, e.g. `description` before `type`), which no JSON value carries: the
//   cache keeps fetched documents as served and converted ones canonical, so equality is of the
//   parsed documents (key order ignored, nothing else);
// - the generated TypeScript equals `fetch`'s byte for byte but the one header line naming the
//   lockfile's hash (the two lockfiles hash different bytes, as above) and the manifest.
// The base (ObjectMeta & co., the built-in group-versions) is the same server fetched before
// the CRDs were installed.
//
// Two differences are inherent, and only they are normalized:
// - in a v3 CRD document, DeleteOptions' `x-kubernetes-group-version-kind` lists every
//   DeleteOptions kind of client-go's scheme (builder.go generateBuildDefinitionsFunc:
//   NewDefinitionNamer(scheme.Scheme)), unserved versions included (authentication.k8s.io/
//   v1beta1 …); a built-in v3 document lists only its own group's, so no base document tells
//   the converter that list. The converted list must be part of the served one.
// - a discovery list's order is the CRD informer's (customresource_discovery_controller.go
//   iterates crdLister.List, a map): undefined; the converter sorts by name.
const DELETE_OPTIONS = 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions'
const GVK = 'x-kubernetes-group-version-kind'

function servedDeleteOptionsKinds(converted: unknown, served: unknown): unknown {
  const schemas = (doc: unknown): Record<string, Record<string, unknown>> | undefined =>
    (doc as { components?: { schemas?: Record<string, Record<string, unknown>> } }).components
      ?.schemas
  const mine = schemas(converted)?.[DELETE_OPTIONS]
  const theirs = schemas(served)?.[DELETE_OPTIONS]
  if (mine === undefined || theirs === undefined) return converted
  expect(theirs[GVK]).toEqual(expect.arrayContaining(mine[GVK] as unknown[]))
  const copy = structuredClone(converted)
  const target = schemas(copy)?.[DELETE_OPTIONS]
  if (target !== undefined) target[GVK] = theirs[GVK]
  return copy
}

function byName(list: unknown): unknown {
  const resources = (list as { resources?: { name: string }[] } | undefined)?.resources
  if (resources === undefined) return list
  return {
    ...(list as object),
    resources: [...resources].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  }
}
const CRDS = CORPUS_CRDS

const backend = findRealApiServer()
if (backend === undefined) {
  console.warn(
    'skipping generate --crds against a real kube-apiserver: no binary (KUBEBUILDER_ASSETS, K8S_CODEGEN_APISERVER_BIN or test/apiserver/bin); `npm run apiserver:build` builds one where Go is installed',
  )
}

let dir: string
let server: RealApiServer | undefined
let kubeconfig: string

const cli = (args: string[]): ReturnType<typeof cliIn> => cliIn(dir, args)

async function fetchInto(openapi: string, name: string, generate: boolean): Promise<void> {
  const run = await cli([
    'fetch',
    '--kubeconfig',
    kubeconfig,
    '--openapi',
    openapi,
    '--out',
    `${openapi}/${name}/k8s`,
    '--lockfile',
    `${openapi}/${name}/k8s-codegen.lock.json`,
    ...(generate ? [] : ['--no-generate']),
  ])
  expect(run.code, run.stderr).toBe(0)
}

const modes = ['v3', 'v2'] as const

describe.skipIf(backend === undefined)('generate --crds equals the real kube-apiserver', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'crds-vs-real-'))
    server = await startRealApiServer()
    kubeconfig = await server.kubeconfig(join(dir, 'kubeconfig'))
    for (const openapi of modes) await fetchInto(openapi, 'base', false)
    await server.installCrds(CRDS)
    for (const openapi of modes) await fetchInto(openapi, 'fetched', true)
    for (const openapi of modes) {
      const generated = await cli([
        'generate',
        '--crds',
        ...CRDS,
        '--base',
        `${openapi}/base/k8s-codegen.lock.json`,
        '--out',
        `${openapi}/generated/k8s`,
        '--lockfile',
        `${openapi}/generated/k8s-codegen.lock.json`,
      ])
      expect(generated.code, generated.stderr).toBe(0)
      expect(generated.stdout).toContain('read 51 CRDs from 51 files')
    }
  }, 900_000)
  afterAll(async () => {
    await server?.close()
    await rm(dir, { recursive: true, force: true })
  }, 60_000)

  // The conflict check's "same document": CRD files the cluster serves as installed are one
  // source, not two, however the server serialized them; an edited file is a second source.
  it('a --crds set of the CRDs the cluster serves as installed joins its /openapi/v3 without --crds-override; an edited one is refused', async () => {
    const fetchCrds = (crds: string[], name: string) =>
      cli([
        'fetch',
        '--kubeconfig',
        kubeconfig,
        '--openapi',
        'v3',
        '--no-generate',
        '--lockfile',
        `v3/${name}/k8s-codegen.lock.json`,
        '--crds',
        ...crds,
      ])
    const same = await fetchCrds(CRDS, 'same')
    expect(same.code, same.stderr).toBe(0)
    expect(same.stdout).toContain('read 51 CRDs from 51 files')
    const edited = join(dir, 'edited-crds')
    await cp(CRDS[0] as string, edited, { recursive: true })
    const widgets = join(edited, 'widgets.yaml')
    const text = await readFile(widgets, 'utf8')
    await writeFile(widgets, text.replace('A Widget is a test kind.', 'A Widget, edited.'))
    const refused = await fetchCrds([edited], 'edited')
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain(
      'CRD gadgets.example.dev, widgets.example.dev (apis/example.dev/v1) are also served by the base',
    )
  })

  describe.each(modes)('/openapi/%s', (openapi) => {
    it('converts every group-version document and discovery list as the server publishes it', async () => {
      const cacheDir = join(dir, 'cache')
      const [fetched, generated] = await Promise.all(
        ['fetched', 'generated'].map((name) =>
          loadSpecSet({ lockfile: join(dir, openapi, name, 'k8s-codegen.lock.json'), cacheDir }),
        ),
      )
      const served = new Map(fetched?.groupVersions.map((gv) => [gv.key, gv]))
      const converted = new Map(generated?.groupVersions.map((gv) => [gv.key, gv]))
      expect([...converted.keys()].sort()).toEqual([...served.keys()].sort())
      expect(converted.has('apis/forklift.konveyor.io/v1beta1')).toBe(true)
      for (const [key, gv] of converted) {
        const document = served.get(key)?.document
        expect(servedDeleteOptionsKinds(gv.document, document), `${key} document`).toStrictEqual(
          document,
        )
        expect(byName(gv.discovery), `${key} discovery`).toStrictEqual(
          byName(served.get(key)?.discovery),
        )
      }
    })

    it('writes the TypeScript fetch writes, byte for byte', async () => {
      const fetched = await generatedFiles(join(dir, openapi, 'fetched/k8s'))
      const generated = await generatedFiles(join(dir, openapi, 'generated/k8s'))
      expect([...generated.keys()].sort()).toEqual([...fetched.keys()].sort())
      for (const [path, text] of fetched) expect(generated.get(path), path).toBe(text)
    })
  })
})
