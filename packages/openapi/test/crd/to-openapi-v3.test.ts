import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { shippedCrdBaseline } from '../../src/crd/baseline.js'
import { loadCrds } from '../../src/crd/load.js'
import { storageVersionHash } from '../../src/crd/discovery.js'
import { crdSchemaName, toValidOperationId } from '../../src/crd/routes.js'
import { crdsToOpenApiV3, type ConvertedGroupVersion } from '../../src/crd/to-openapi-v3.js'
import { OpenApiError } from '../../src/errors.js'
import type { JsonObject } from '../../src/types.js'

const FIXTURES = fileURLToPath(new URL('../fixtures/crds', import.meta.url))
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.'

let gvs: ConvertedGroupVersion[]
const gv = (key: string): ConvertedGroupVersion => {
  const found = gvs.find((g) => g.key === key)
  if (!found) throw new Error(`no ${key}`)
  return found
}
const schema = (key: string, name: string): JsonObject =>
  gv(key).document.components?.schemas?.[name] as JsonObject
const props = (s: JsonObject): Record<string, JsonObject> =>
  s.properties as Record<string, JsonObject>

beforeAll(async () => {
  const { crds } = await loadCrds([FIXTURES], { cwd: FIXTURES })
  gvs = crdsToOpenApiV3(crds, shippedCrdBaseline())
})

describe('naming rules', () => {
  it.each([
    { given: ['example.dev', 'v1', 'Widget'], want: 'dev.example.v1.Widget' },
    { given: ['cert-manager.io', 'v1', 'Certificate'], want: 'io.cert-manager.v1.Certificate' },
    {
      given: ['forklift.konveyor.io', 'v1beta1', 'Plan'],
      want: 'io.konveyor.forklift.v1beta1.Plan',
    },
  ])('crdSchemaName($given) (ToRESTFriendlyName)', ({ given, want }) => {
    expect(crdSchemaName(...(given as [string, string, string]))).toBe(want)
  })
  it.each([
    { given: ['cert-manager.io', true], want: 'CertManagerIo' },
    { given: ['v1beta1', true], want: 'V1beta1' },
    { given: ['example.dev', false], want: 'exampleDev' },
    { given: ['1a-b', false], want: 'AB' },
  ])('toValidOperationId($given)', ({ given, want }) => {
    expect(toValidOperationId(given[0] as string, given[1] as boolean)).toBe(want)
  })
  it('storageVersionHash is SHA-256 of group/version/kind, 8 bytes base64', () => {
    // apiserver storageversionhash_test.go computes this value for apps/v1 Deployment.
    expect(storageVersionHash('apps', 'v1', 'Deployment')).toBe('8aSe+NMegvE=')
  })
})

describe('crdsToOpenApiV3', () => {
  it('makes one document per served group-version, merging CRDs', () => {
    expect(gvs.map((g) => [g.key, g.crds])).toEqual([
      ['apis/example.dev/v1', ['gadgets.example.dev', 'widgets.example.dev']],
      ['apis/example.dev/v1beta1', ['widgets.example.dev']],
    ])
    expect(gv('apis/example.dev/v1').document.info).toEqual({
      title: 'Kubernetes CRD Swagger',
      version: 'v0.1.0',
    })
  })

  it('adds metadata, apiVersion, kind and the GVK to the kind schema', () => {
    const widget = schema('apis/example.dev/v1', 'dev.example.v1.Widget')
    expect(props(widget).metadata).toEqual({
      allOf: [{ $ref: `#/components/schemas/${META}ObjectMeta` }],
      description:
        "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
    })
    expect(props(widget).apiVersion?.type).toBe('string')
    expect(props(widget).kind?.type).toBe('string')
    expect(widget['x-kubernetes-group-version-kind']).toEqual([
      { group: 'example.dev', version: 'v1', kind: 'Widget' },
    ])
    expect(widget.description).toBe('A Widget is a test kind.')
  })

  it('unfolds int-or-string, keeps preserve-unknown-fields, defaults, nullable and example', () => {
    const spec = props(
      props(schema('apis/example.dev/v1', 'dev.example.v1.Widget')).spec as JsonObject,
    )
    expect(spec.size).toEqual({
      anyOf: [{ type: 'integer' }, { type: 'string' }],
      description: 'Size as a number of units or a quantity like "10Gi".',
      'x-kubernetes-int-or-string': true,
    })
    // A real 1.37 kube-apiserver publishes `example` (apiserver/schema Generic.Example).
    expect(spec.config).toEqual({
      type: 'object',
      'x-kubernetes-preserve-unknown-fields': true,
      example: { a: 1 },
    })
    expect(spec.replicas).toMatchObject({ default: 1, minimum: 0 })
    expect(spec.mode).toMatchObject({ nullable: true, default: 'fast', enum: ['fast', 'slow'] })
  })

  it('gives an embedded resource apiVersion, kind, metadata and requires kind and apiVersion', () => {
    const spec = props(
      props(schema('apis/example.dev/v1', 'dev.example.v1.Widget')).spec as JsonObject,
    )
    expect(Object.keys(props(spec.template as JsonObject)).sort()).toEqual([
      'apiVersion',
      'kind',
      'metadata',
    ])
    expect(spec.template?.required).toEqual(['kind', 'apiVersion'])
  })

  it('builds the List kind as buildListSchema does', () => {
    expect(schema('apis/example.dev/v1', 'dev.example.v1.WidgetList')).toMatchObject({
      description: 'WidgetList is a list of Widget',
      required: ['items'],
      'x-kubernetes-group-version-kind': [
        { group: 'example.dev', version: 'v1', kind: 'WidgetList' },
      ],
    })
    expect(schema('apis/example.dev/v1', 'dev.example.v1.WidgetList').type).toBe('object')
  })

  it('lays out the routes of generateBuilder, status and scale included', () => {
    expect(Object.keys(gv('apis/example.dev/v1').document.paths)).toEqual([
      '/apis/example.dev/v1/gadgets',
      '/apis/example.dev/v1/gadgets/{name}',
      '/apis/example.dev/v1/namespaces/{namespace}/widgets',
      '/apis/example.dev/v1/namespaces/{namespace}/widgets/{name}',
      '/apis/example.dev/v1/namespaces/{namespace}/widgets/{name}/scale',
      '/apis/example.dev/v1/namespaces/{namespace}/widgets/{name}/status',
      '/apis/example.dev/v1/widgets',
    ])
    const paths = gv('apis/example.dev/v1').document.paths
    const scale = paths[
      '/apis/example.dev/v1/namespaces/{namespace}/widgets/{name}/scale'
    ] as Record<string, JsonObject>
    expect(scale.patch).toMatchObject({
      operationId: 'patchExampleDevV1NamespacedWidgetScale',
      description: 'partially update scale of the specified Widget',
      'x-kubernetes-action': 'patch',
      'x-kubernetes-group-version-kind': { group: 'example.dev', kind: 'Widget', version: 'v1' },
    })
    expect((scale.parameters as unknown as JsonObject[]).map((p) => p.name)).toEqual([
      'name',
      'namespace',
      'pretty',
    ])
    const all = paths['/apis/example.dev/v1/widgets'] as Record<string, JsonObject>
    expect(all.get?.operationId).toBe('listExampleDevV1WidgetForAllNamespaces')
    const gadget = paths['/apis/example.dev/v1/gadgets/{name}'] as Record<string, JsonObject>
    expect(gadget.delete?.description).toBe('delete a Gadget')
    expect(gv('apis/example.dev/v1').document.components?.schemas).toHaveProperty([
      'io.k8s.api.autoscaling.v1.Scale',
    ])
    expect(gv('apis/example.dev/v1beta1').document.components?.schemas).not.toHaveProperty([
      'io.k8s.api.autoscaling.v1.Scale',
    ])
  })

  it('lists discovery as the CRD discovery controller does', () => {
    expect(gv('apis/example.dev/v1').discovery).toEqual({
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: 'example.dev/v1',
      resources: [
        {
          name: 'gadgets',
          singularName: 'gadget',
          namespaced: false,
          kind: 'Gadget',
          verbs: [
            'delete',
            'deletecollection',
            'get',
            'list',
            'patch',
            'create',
            'update',
            'watch',
          ],
          storageVersionHash: storageVersionHash('example.dev', 'v1', 'Gadget'),
        },
        {
          name: 'widgets',
          singularName: 'widget',
          namespaced: true,
          kind: 'Widget',
          verbs: [
            'delete',
            'deletecollection',
            'get',
            'list',
            'patch',
            'create',
            'update',
            'watch',
          ],
          shortNames: ['wd'],
          categories: ['all', 'example'],
          storageVersionHash: storageVersionHash('example.dev', 'v1', 'Widget'),
        },
        {
          name: 'widgets/scale',
          singularName: '',
          namespaced: true,
          group: 'autoscaling',
          version: 'v1',
          kind: 'Scale',
          verbs: ['get', 'patch', 'update'],
        },
        {
          name: 'widgets/status',
          singularName: '',
          namespaced: true,
          kind: 'Widget',
          verbs: ['get', 'patch', 'update'],
        },
      ],
    })
    // The storage version is hashed in every served version's list.
    expect(gv('apis/example.dev/v1beta1').discovery.resources[0]?.storageVersionHash).toBe(
      storageVersionHash('example.dev', 'v1', 'Widget'),
    )
  })

  it('reads a file named twice once', async () => {
    await expect(
      loadCrds(
        [`${FIXTURES}/widgets.yaml`, `${FIXTURES}/widgets.yaml`.replace('widgets', './widgets')],
        { cwd: FIXTURES },
      ),
    ).resolves.toMatchObject({ crds: [{ name: 'widgets.example.dev' }] })
  })
})

describe('loadCrds conflicts', () => {
  it('refuses a second CRD of the same name, naming both places', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'crd-conflict-'))
    const text = await readFile(`${FIXTURES}/widgets.yaml`, 'utf8')
    await writeFile(join(dir, 'a.yaml'), text)
    await writeFile(join(dir, 'b.yaml'), text)
    await expect(loadCrds(['.'], { cwd: dir })).rejects.toThrowError(
      new OpenApiError(
        'K8S_CODEGEN_OPENAPI_CRD_CONFLICT',
        'b.yaml document 1: CRD widgets.example.dev is already defined by a.yaml document 1',
      ),
    )
  })
})
