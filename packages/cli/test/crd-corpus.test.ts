import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { loadCrds, type CustomResourceDefinition } from '@k8s-codegen/openapi'
import ts from 'typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { cliIn } from './_crd-cli.js'

// The CRD corpus (see corpus/README.md): real CRDs of public projects (corpus/crds, with their
// provenance), Forklift's read from node_modules, and the authored ones, generated with
// `generate --crds` alone, and the typed literals of corpus/examples type-checked against the
// output under the strictest options this repository uses.
const require = createRequire(import.meta.url)
const FORKLIFT = join(
  dirname(require.resolve('@kubev2v/types/package.json')),
  'src/generated/forklift/crds',
)
const AUTHORED = fileURLToPath(new URL('../../openapi/test/fixtures/crds', import.meta.url))
const CORPUS = fileURLToPath(new URL('corpus/crds', import.meta.url))
const EXAMPLES = fileURLToPath(new URL('corpus/examples', import.meta.url))

let dir: string
let stdout = ''
let code = -1

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crd-corpus-'))
  const run = await cliIn(dir, [
    'generate',
    '--crds',
    CORPUS,
    FORKLIFT,
    AUTHORED,
    '--out',
    'k8s',
    '--no-nocheck',
    '--json',
  ])
  ;({ code, stdout } = run)
  const { stderr } = run
  if (code !== 0) throw new Error(`generate --crds failed: ${stderr}`)
  await cp(EXAMPLES, join(dir, 'examples'), { recursive: true })
  await writeFile(join(dir, 'package.json'), '{ "type": "module" }\n')
  // The output's one dependency, installed as a user would: the workspace's runtime package.
  await mkdir(join(dir, 'node_modules', '@k8s-codegen'), { recursive: true })
  await symlink(
    dirname(require.resolve('@k8s-codegen/runtime/package.json')),
    join(dir, 'node_modules', '@k8s-codegen', 'runtime'),
  )
}, 180_000)

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

// Whether any schema node of a CRD's versions has `key: true` (or, for `default`, any value).
function anyNode(crd: CustomResourceDefinition, key: string): boolean {
  const visit = (node: unknown): boolean => {
    if (Array.isArray(node)) return node.some(visit)
    if (typeof node !== 'object' || node === null) return false
    const record = node as Record<string, unknown>
    if (key === 'default' ? key in record : record[key] === true) return true
    return Object.entries(record).some(([k, v]) => k !== 'default' && k !== 'example' && visit(v))
  }
  return crd.versions.some((v) => visit(v.schema))
}

// The features the issue asks the corpus to cover, each a predicate on one CRD.
const FEATURES = {
  'int-or-string': (c) => anyNode(c, 'x-kubernetes-int-or-string'),
  'preserve-unknown-fields': (c) => anyNode(c, 'x-kubernetes-preserve-unknown-fields'),
  'embedded-resource': (c) => anyNode(c, 'x-kubernetes-embedded-resource'),
  'several served versions': (c) => c.versions.filter((v) => v.served).length > 1,
  'a deprecated served version': (c) => c.versions.some((v) => v.served && v.deprecated === true),
  'cluster scope': (c) => c.scope === 'Cluster',
  'status subresource': (c) => c.versions.some((v) => v.subresources?.status !== undefined),
  'scale subresource': (c) => c.versions.some((v) => v.subresources?.scale !== undefined),
  defaults: (c) => anyNode(c, 'default'),
} satisfies Record<string, (crd: CustomResourceDefinition) => boolean>

// Which projects of corpus/crds have a CRD with each feature (the README's table says which CRD).
const COVERAGE: Record<keyof typeof FEATURES, string[]> = {
  'int-or-string': [
    'cert-manager',
    'cluster-api',
    'external-snapshotter',
    'keda',
    'prometheus-operator',
  ],
  'preserve-unknown-fields': ['cert-manager', 'crossplane'],
  'embedded-resource': ['crossplane'],
  'several served versions': ['cluster-api', 'crossplane', 'external-snapshotter', 'gateway-api'],
  'a deprecated served version': ['cluster-api', 'crossplane', 'external-snapshotter'],
  'cluster scope': ['cert-manager', 'crossplane', 'external-snapshotter', 'gateway-api', 'keda'],
  'status subresource': [
    'cert-manager',
    'cluster-api',
    'crossplane',
    'external-snapshotter',
    'flux-source-controller',
    'gateway-api',
    'keda',
    'prometheus-operator',
  ],
  'scale subresource': ['cluster-api'],
  defaults: [
    'cert-manager',
    'cluster-api',
    'crossplane',
    'flux-source-controller',
    'gateway-api',
    'keda',
    'prometheus-operator',
  ],
}

describe('CRD corpus', () => {
  it('holds real CRDs of several projects covering every feature the conversion handles', async () => {
    const projects = (await readdir(CORPUS, { withFileTypes: true }))
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
    const { crds, files } = await loadCrds([CORPUS], { cwd: CORPUS })
    expect({ crds: crds.length, files: files.length, projects }).toEqual({
      crds: 38,
      files: 38,
      projects: [
        'cert-manager',
        'cluster-api',
        'crossplane',
        'external-snapshotter',
        'flux-source-controller',
        'gateway-api',
        'keda',
        'prometheus-operator',
      ],
    })
    // loadCrds sorts by CRD name and names files relative to cwd; each corpus file is
    // <project>/<group>_<plural>.yaml, as controller-gen names them.
    const projectOf = (crd: CustomResourceDefinition): string | undefined =>
      files.find((f) => f.endsWith(`/${crd.group}_${crd.names.plural}.yaml`))?.split('/')[0]
    const coverage = Object.fromEntries(
      Object.entries(FEATURES).map(([feature, has]) => [
        feature,
        [...new Set(crds.filter(has).map(projectOf))].sort(),
      ]),
    )
    expect(coverage).toEqual(COVERAGE)
  })

  it('converts every CRD of the corpus into its group-versions', () => {
    const summary = JSON.parse(stdout) as {
      crds: { crds: number; files: number; skipped: number; groupVersions: string[] }
      groupVersions: number
      resources: number
    }
    expect(summary.crds).toEqual(
      expect.objectContaining({
        crds: 51,
        files: 51,
        // The authored fixtures hold one document that is not a CRD.
        skipped: 1,
        groupVersions: [
          'apis/acme.cert-manager.io/v1',
          'apis/apiextensions.crossplane.io/v1',
          'apis/apiextensions.crossplane.io/v1alpha1',
          'apis/apiextensions.crossplane.io/v1beta1',
          'apis/cert-manager.io/v1',
          'apis/cluster.x-k8s.io/v1beta1',
          'apis/cluster.x-k8s.io/v1beta2',
          'apis/eventing.keda.sh/v1alpha1',
          'apis/example.dev/v1',
          'apis/example.dev/v1beta1',
          'apis/forklift.konveyor.io/v1beta1',
          'apis/gateway.networking.k8s.io/v1',
          'apis/gateway.networking.k8s.io/v1beta1',
          'apis/groupsnapshot.storage.k8s.io/v1',
          'apis/groupsnapshot.storage.k8s.io/v1beta1',
          'apis/groupsnapshot.storage.k8s.io/v1beta2',
          'apis/ipam.cluster.x-k8s.io/v1alpha1',
          'apis/ipam.cluster.x-k8s.io/v1beta1',
          'apis/ipam.cluster.x-k8s.io/v1beta2',
          'apis/keda.sh/v1alpha1',
          'apis/monitoring.coreos.com/v1',
          'apis/pkg.crossplane.io/v1',
          'apis/pkg.crossplane.io/v1beta1',
          'apis/snapshot.storage.k8s.io/v1',
          'apis/source.toolkit.fluxcd.io/v1',
        ],
      }),
    )
    // Every served version of every CRD is one resource (a CRD served in three versions is
    // three), in the 25 CRD group-versions; autoscaling/v1 (Scale) and meta/v1 come from the
    // baseline.
    expect({ groupVersions: summary.groupVersions, resources: summary.resources }).toEqual({
      groupVersions: 25,
      resources: 68,
    })
  })

  it('has mistakes for the types to catch in every example file', async () => {
    const counts: Record<string, number> = {}
    for (const name of (await readdir(EXAMPLES)).sort()) {
      const text = await readFile(join(EXAMPLES, name), 'utf8')
      counts[name] = text.split('\n').filter((l) => /^\s*\/\/ @ts-expect-error /.test(l)).length
    }
    expect(counts).toEqual({
      'authored.ts': 3,
      'cert-manager.ts': 4,
      'cluster-api.ts': 4,
      'crossplane.ts': 3,
      'external-snapshotter.ts': 3,
      'flux-source-controller.ts': 3,
      'forklift.ts': 3,
      'gateway-api.ts': 3,
      'keda.ts': 3,
      'prometheus-operator.ts': 3,
    })
  })

  it('type-checks the output and every example, @ts-expect-error lines included', async () => {
    const examples = await readdir(EXAMPLES)
    expect(examples).toHaveLength(10)
    const program = ts.createProgram({
      rootNames: examples.map((name) => join(dir, 'examples', name)),
      options: {
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        strict: true,
        noUncheckedIndexedAccess: true,
        exactOptionalPropertyTypes: true,
        noEmit: true,
        types: [],
        // The target's default libraries (the runtime package uses URLSearchParams), as
        // hostile-server.test.ts type-checks output.
      },
    })
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))
    expect(diagnostics).toEqual([])
    // The examples reached the generated modules (a wrong import would be a diagnostic too).
    expect(program.getSourceFiles().map((f) => f.fileName)).toEqual(
      expect.arrayContaining(
        [
          'forklift.konveyor.io/v1beta1',
          'example.dev/v1',
          'cert-manager.io/v1',
          'cluster.x-k8s.io/v1beta2',
          'apiextensions.crossplane.io/v1',
          'snapshot.storage.k8s.io/v1',
          'source.toolkit.fluxcd.io/v1',
          'gateway.networking.k8s.io/v1',
          'keda.sh/v1alpha1',
          'monitoring.coreos.com/v1',
        ].map((gv) => join(dir, `k8s/${gv}.ts`)),
      ),
    )
  })
})
