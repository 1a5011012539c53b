// Built-in objects with the causes validateObject gives them against the shipped 1.37 documents,
// shared by the table test and the two oracles (a real kube-apiserver, kubectl-validate). A row
// says where an oracle answers otherwise, and why; the oracles check every other row.
import type { StatusCause } from '../src/index.js'

export interface BuiltInRow {
  /** The object; its apiVersion names the shipped document. */
  readonly given: { apiVersion: string; kind: string; metadata: Record<string, unknown> } & Record<
    string,
    unknown
  >
  /** Its collection on a server, for the real-apiserver oracle. */
  readonly path: string
  /** The causes, in order; undefined when the object is valid. */
  readonly want: readonly StatusCause[] | undefined
  /** Why a real kube-apiserver v1.37.2 answers otherwise; absent when it gives these causes. */
  readonly server?: string
  /** Why kubectl-validate v0.0.4 answers otherwise; absent when it gives these causes. */
  readonly kubectlValidate?: string
}

const ns = '/api/v1/namespaces/default'
const container = { name: 'c', image: 'nginx' }
const podTemplate = (spec: unknown = { containers: [container] }): unknown => ({
  metadata: { labels: { app: 'a' } },
  spec,
})
const invalid = (field: string, value: string, detail: string): StatusCause => ({
  reason: 'FieldValueInvalid',
  message: `Invalid value: ${JSON.stringify(value)}: ${detail}`,
  field,
})
const subdomainRule =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
const everyNameIsASubdomain =
  'it checks every name as a DNS-1123 subdomain (customresource strategy, NameIsDNSSubdomain)'

export const builtInRows: readonly BuiltInRow[] = [
  {
    given: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad_Name' } },
    path: `${ns}/configmaps`,
    want: [invalid('metadata.name', 'Bad_Name', subdomainRule)],
  },
  {
    given: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a.b' } },
    path: '/api/v1/namespaces',
    want: [invalid('metadata.name', 'a.b', 'must not contain dots')],
    kubectlValidate: everyNameIsASubdomain,
  },
  {
    given: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: '1abc.d' },
      spec: { ports: [{ port: 80 }] },
    },
    path: `${ns}/services`,
    want: [invalid('metadata.name', '1abc.d', 'must not contain dots')],
    kubectlValidate: everyNameIsASubdomain,
  },
  {
    given: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: '1abc' },
      spec: { ports: [{ port: 80 }] },
    },
    path: `${ns}/services`,
    want: undefined,
  },
  {
    given: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'a/b%c' },
    },
    path: '/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles',
    want: [
      invalid('metadata.name', 'a/b%c', "may not contain '/'"),
      invalid('metadata.name', 'a/b%c', "may not contain '%'"),
    ],
    kubectlValidate: everyNameIsASubdomain,
  },
  {
    given: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: '..' },
    },
    path: '/apis/rbac.authorization.k8s.io/v1/clusterroles',
    want: [invalid('metadata.name', '..', "may not be '..'")],
    kubectlValidate: everyNameIsASubdomain,
  },
  {
    given: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'system:Upper_Case' },
    },
    path: '/apis/rbac.authorization.k8s.io/v1/clusterroles',
    want: undefined,
    kubectlValidate: everyNameIsASubdomain,
  },
  {
    given: {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'a.b' },
      spec: { selector: { matchLabels: { app: 'a' } }, template: podTemplate() },
    },
    path: '/apis/apps/v1/namespaces/default/statefulsets',
    want: [invalid('metadata.name', 'a.b', 'must not contain dots')],
    kubectlValidate: everyNameIsASubdomain,
  },
  {
    given: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', labels: { 'a/b/c': 'x' }, creationTimestamp: null },
    },
    path: `${ns}/configmaps`,
    want: [
      invalid(
        'metadata.labels',
        'a/b/c',
        "a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
      ),
    ],
    kubectlValidate:
      'it is built on apimachinery v0.30.1, whose label key message starts "a qualified name must consist"; v0.37 (the server\'s) says "a valid label key must consist"',
  },
  {
    given: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'a.b' } },
    path: '/api/v1/namespaces/a.b/configmaps',
    want: [invalid('metadata.namespace', 'a.b', 'must not contain dots')],
    server: 'no namespace can have that name, so it answers 404 NotFound before validating',
  },
  {
    // A cluster-scoped object's namespace is cleared (rest.EnsureObjectNamespaceMatchesRequestNamespace).
    given: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'r', namespace: 'a.b' },
    },
    path: '/apis/rbac.authorization.k8s.io/v1/clusterroles',
    want: undefined,
  },
  {
    given: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'c' }] },
    },
    path: `${ns}/pods`,
    want: [
      {
        reason: 'FieldValueRequired',
        message: 'Required value',
        field: 'spec.containers[0].image',
      },
    ],
  },
  {
    given: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [{ ...container, ports: [{ containerPort: 80, protocol: 'FOO' }] }] },
    },
    path: `${ns}/pods`,
    want: [
      {
        reason: 'FieldValueNotSupported',
        message: 'Unsupported value: "FOO": supported values: "SCTP", "TCP", "UDP"',
        field: 'spec.containers[0].ports[0].protocol',
      },
    ],
  },
  {
    // The publisher's `default: {}` on `spec` is not applied.
    given: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } },
    path: `${ns}/pods`,
    want: undefined,
    server: 'its Go validation sees an empty spec: spec.containers: Required value',
    kubectlValidate:
      'it applies the `default: {}` and then reports spec.containers: Required value',
  },
  {
    // The schema's `name: { default: "" }` fills in the required name.
    given: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [{ image: 'nginx' }] },
    },
    path: `${ns}/pods`,
    want: undefined,
    server: 'its Go validation requires a name: spec.containers[0].name: Required value',
  },
  {
    given: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: {} },
    path: `${ns}/pods`,
    want: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers' }],
  },
  {
    given: {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's' },
      data: { a: 'not base64!' },
    },
    path: `${ns}/secrets`,
    // AllowEmptyByteFormat's `allOf: [{ anyOf: [{ format: byte }, { maxLength: 0 }] }]`.
    want: [
      {
        reason: 'FieldValueInvalid',
        message: 'Invalid value: "": "data.a" must validate at least one schema (anyOf)',
        field: '<nil>',
      },
      {
        reason: 'FieldValueTypeInvalid',
        message: 'Invalid value: "not base64!": data.a in body must be of type byte: "not base64!"',
        field: 'data.a',
      },
      {
        reason: 'FieldValueInvalid',
        message:
          'Invalid value: "": "data.a" must validate all the schemas (allOf). None validated',
        field: '<nil>',
      },
    ],
    server: 'it decodes a built-in into Go types first: a 400 BadRequest (illegal base64 data)',
  },
  {
    given: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [{ ...container, resources: { limits: { cpu: null } } }] },
    },
    path: `${ns}/pods`,
    // AnnotateNullable: a Quantity may be null.
    want: undefined,
  },
  {
    given: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { a: '' } },
    path: `${ns}/secrets`,
    want: undefined,
  },
  {
    given: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd' },
      spec: {
        selector: { matchLabels: { app: 'a' } },
        template: podTemplate({ containers: [{ name: 'c' }] }),
      },
    },
    path: '/apis/apps/v1/namespaces/default/deployments',
    want: [
      {
        reason: 'FieldValueRequired',
        message: 'Required value',
        field: 'spec.template.spec.containers[0].image',
      },
    ],
    kubectlValidate:
      'its hand-written patch (patches/1.23/api/v1.json) changes the core/v1 document only',
  },
  {
    given: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd' },
      spec: {
        selector: { matchLabels: { app: 'a' } },
        template: podTemplate(),
        strategy: { rollingUpdate: { maxSurge: true } },
      },
    },
    path: '/apis/apps/v1/namespaces/default/deployments',
    want: [
      {
        reason: 'FieldValueTypeInvalid',
        message:
          'Invalid value: "boolean": spec.strategy.rollingUpdate.maxSurge in body must be of type integer,string: "boolean"',
        field: 'spec.strategy.rollingUpdate.maxSurge',
      },
    ],
    server: 'it decodes a built-in into Go types first: a 400 BadRequest, no 422',
    kubectlValidate:
      'its IntOrStringDefinition patch leaves a schema with no type, so it accepts any value there',
  },
]
