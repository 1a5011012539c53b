// Discovery, legacy and aggregated, and the OpenAPI v2 and v3 documents per group-version. The
// emulator serves the recorded 1.36 documents and a real server its own release, so built-in
// documents are compared by what both releases share (views); CRD documents whole.
import type { ParityRow } from './_scenario.js'

const aggregated =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json'

type Json = Record<string, unknown>

/** Only the entries of a list whose `field` is one of `names`. */
const only =
  (list: string, field: string, names: string[]) =>
  (body: unknown): unknown => ({
    ...(body as Json),
    [list]: ((body as Json)[list] as Json[]).filter((entry) =>
      names.includes(
        String(field === 'metadata.name' ? (entry['metadata'] as Json)['name'] : entry[field]),
      ),
    ),
  })

/** An `/openapi/v3` root reduced to `keys`, hashes hidden (documents differ by release). */
const rootView =
  (keys: string[]) =>
  (body: unknown): unknown => {
    // kube-apiserver sends the root without a JSON Content-Type: its body arrives as text.
    const root = (typeof body === 'string' ? JSON.parse(body) : body) as {
      paths: Record<string, { serverRelativeURL: string }>
    }
    const paths = root.paths
    return Object.fromEntries(
      keys.map((key) => [
        key,
        paths[key]?.serverRelativeURL.replace(/hash=[0-9A-F]+$/, 'hash=<hash>'),
      ]),
    )
  }

/** A document reduced to the schemas and paths of one API group (e.g. `dev.example`). */
const documentView =
  (schemaPrefix: string, pathPrefix: string) =>
  (body: unknown): unknown => {
    const doc = body as { definitions?: Json; components?: { schemas: Json }; paths: Json }
    const schemas = doc.definitions ?? doc.components?.schemas ?? {}
    return {
      schemas: Object.fromEntries(
        Object.entries(schemas).filter(([k]) => k.startsWith(schemaPrefix)),
      ),
      paths: Object.fromEntries(
        Object.entries(doc.paths).filter(([k]) => k.startsWith(pathPrefix)),
      ),
    }
  }

export const discoveries: ParityRow[] = [
  {
    given: {
      name: 'legacy discovery of the core group, apps and a CRD group',
      steps: [
        { path: '/api' },
        { path: '/api/v1' },
        {
          path: '/apis',
          view: only('groups', 'name', ['apps', 'example.dev', 'parity.example.dev']),
        },
        { path: '/apis/apps' },
        { path: '/apis/apps/v1' },
        { path: '/apis/example.dev' },
        { path: '/apis/example.dev/v1' },
        { path: '/apis/example.dev/v1beta1' },
        { path: '/apis/parity.example.dev/v1' },
        { path: '/apis/example.dev/v1alpha1' },
      ],
    },
    want: {
      simplifications: ['discovery and built-in documents', 'CRD OpenAPI documents'],
      differences: [
        '#1.body.apiVersion',
        '#1.body.resources[]',
        '#1.body.resources[].categories',
        '#1.body.resources[].group',
        '#1.body.resources[].kind',
        '#1.body.resources[].name',
        '#1.body.resources[].shortNames',
        '#1.body.resources[].singularName',
        '#1.body.resources[].storageVersionHash',
        '#1.body.resources[].verbs[]',
        '#1.body.resources[].version',
        '#6.body.resources[].group',
        '#6.body.resources[].kind',
        '#6.body.resources[].name',
        '#6.body.resources[].version',
        '#8.body.resources[].group',
        '#8.body.resources[].kind',
        '#8.body.resources[].name',
        '#8.body.resources[].version',
        '#9.body',
        '#9.headers.content-type',
      ],
    },
  },
  {
    given: {
      name: 'aggregated discovery (APIGroupDiscoveryList v2)',
      steps: [
        { path: '/api', accept: aggregated },
        {
          path: '/apis',
          accept: aggregated,
          view: only('items', 'metadata.name', ['apps', 'example.dev', 'parity.example.dev']),
        },
      ],
    },
    want: {
      simplifications: ['discovery and built-in documents'],
      differences: [
        '#0.body.items[].metadata',
        '#0.body.items[].versions[]',
        '#1.body.items[].metadata',
      ],
    },
  },
  {
    given: {
      name: 'the /openapi/v3 root and a CRD group-version document with its caching',
      steps: [
        { path: '/openapi/v3', view: rootView(['api/v1', 'apis/apps/v1', 'apis/example.dev/v1']) },
        { path: '/openapi/v3/apis/example.dev/v1' },
        { path: '/openapi/v3/apis/example.dev/v1?hash=0123ABC' },
        { path: '/openapi/v3/apis/nothing.example.dev/v1' },
        { path: '/openapi/v3/apis/example.dev/v1', accept: 'application/xml' },
      ],
    },
    want: {
      simplifications: ['discovery and built-in documents', 'CRD OpenAPI documents'],
      differences: [
        '#0.headers.content-type',
        '#1.body.components.schemas',
        '#1.body.paths./apis/example',
        '#3.headers.vary',
      ],
    },
  },
  {
    given: {
      name: 'a built-in group-version document: its paths and the schemas of its kinds',
      steps: [
        {
          path: '/openapi/v3/apis/apps/v1',
          view: (body) => ({
            paths: Object.keys((body as { paths: Json }).paths),
            schemas: Object.keys(
              (body as { components: { schemas: Json } }).components.schemas,
            ).filter((name) => name.startsWith('io.k8s.api.apps.v1.')),
          }),
        },
      ],
    },
  },
  {
    given: {
      name: '/openapi/v2: the CRD definitions and paths, caching headers',
      steps: [{ path: '/openapi/v2', view: documentView('dev.example', '/apis/example.dev') }],
    },
    want: {
      simplifications: ['CRD OpenAPI documents'],
      differences: ['#0.body.paths./apis/example'],
    },
  },
  {
    given: {
      name: 'an installed CRD is Established: accepted names, conditions and stored versions, written by the server',
      steps: [
        {
          path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.dev',
          view: (body) => {
            const crd = body as {
              status?: unknown
              metadata?: { managedFields?: { manager: string; subresource?: string }[] }
            }
            return {
              status: crd.status,
              // The manager is the server binary's name: kube-apiserver in a cluster.
              statusWriters: (crd.metadata?.managedFields ?? [])
                .filter((e) => e.subresource === 'status')
                .map((e) => ({ ...e, manager: '<server>' })),
            }
          },
        },
      ],
    },
  },
  {
    given: {
      // `kubectl get --raw /readyz?verbose`; k8s.io/apiserver pkg/server/healthz.
      name: 'health endpoints: /healthz, /livez and /readyz answer ok, one check alone, 404 for an unknown check',
      steps: [
        { path: '/healthz' },
        { path: '/livez' },
        { path: '/readyz' },
        { path: '/readyz/ping' },
        { path: '/livez/no-such-check' },
        { path: '/healthz/' },
        { path: '/readyz?verbose&exclude=ping' },
      ],
    },
    // The verbose list names each server's checks: kube-apiserver's etcd, log and post-start
    // hooks beside ping and shutdown.
    want: { simplifications: ['health checks'], differences: ['#6.body'] },
  },
]
