// Each kind's name rule (src/name-rules.ts) with apimachinery pkg/util/validation's messages, as
// k8s.io/kubernetes v1.37.2 pkg/apis/*/validation passes them to ValidateObjectMeta.
import { describe, expect, it } from 'vitest'
import { nameRuleOf } from '../src/name-rules.js'

const labelRule =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
const subdomainRule =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
const dns1035Rule =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
const configKeyRule =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"

interface Row {
  given: { kind: string; group?: string; name: string; prefix?: boolean; kubeVersion?: string }
  want: string[]
}

const rows: Row[] = [
  // NameIsDNSSubdomain: custom resources and most built-ins
  { given: { kind: 'Widget', group: 'example.com', name: 'a.b-c' }, want: [] },
  { given: { kind: 'ConfigMap', name: 'A' }, want: [subdomainRule] },
  {
    given: { kind: 'Deployment', group: 'apps', name: 'x'.repeat(254) },
    want: ['must be no more than 253 characters'],
  },
  // maskTrailingDash: a generateName may end in '-'; Go replaces its last two bytes with "a"
  { given: { kind: 'ConfigMap', name: 'web-', prefix: true }, want: [] },
  { given: { kind: 'ConfigMap', name: 'web-', prefix: false }, want: [subdomainRule] },
  { given: { kind: 'ConfigMap', name: 'a.-', prefix: true }, want: [] },
  { given: { kind: 'ConfigMap', name: '-a-', prefix: true }, want: [subdomainRule] },
  // NameIsDNSLabel: Namespace, StatefulSet, Service since 1.36
  { given: { kind: 'Namespace', name: 'a.b' }, want: ['must not contain dots'] },
  { given: { kind: 'Namespace', name: 'A_b' }, want: [labelRule] },
  {
    given: { kind: 'Namespace', name: 'a'.repeat(64) },
    want: ['must be no more than 63 characters'],
  },
  { given: { kind: 'StatefulSet', group: 'apps', name: 'a.b' }, want: ['must not contain dots'] },
  { given: { kind: 'Service', name: '1abc' }, want: [] },
  { given: { kind: 'Service', name: '1abc', kubeVersion: '1.36' }, want: [] },
  { given: { kind: 'Service', name: '1abc', kubeVersion: 'v1.37.2' }, want: [] },
  // NameIsDNS1035Label: Service before 1.36
  { given: { kind: 'Service', name: '1abc', kubeVersion: '1.35' }, want: [dns1035Rule] },
  { given: { kind: 'Service', name: 'a.b', kubeVersion: '1.34' }, want: [dns1035Rule] },
  // A Service in another group is not the core Service
  { given: { kind: 'Service', group: 'example.com', name: '1abc.d' }, want: [] },
  // ValidateRBACName: path segment names
  {
    given: { kind: 'Role', group: 'rbac.authorization.k8s.io', name: 'system:Any_Name' },
    want: [],
  },
  {
    given: { kind: 'RoleBinding', group: 'rbac.authorization.k8s.io', name: '.' },
    want: ["may not be '.'"],
  },
  {
    given: { kind: 'ClusterRoleBinding', group: 'rbac.authorization.k8s.io', name: 'a/%' },
    want: ["may not contain '/'", "may not contain '%'"],
  },
  // ValidateCertificateRequestName: any name
  {
    given: { kind: 'CertificateSigningRequest', group: 'certificates.k8s.io', name: 'Any_Name' },
    want: [],
  },
  // ValidateStorageVersionName: <group>.<resource>
  {
    given: { kind: 'StorageVersion', group: 'internal.apiserver.k8s.io', name: 'apps.deployments' },
    want: [],
  },
  {
    given: { kind: 'StorageVersion', group: 'internal.apiserver.k8s.io', name: 'deployments' },
    want: ['name must be in the form of <group>.<resource>'],
  },
  {
    given: { kind: 'StorageVersion', group: 'internal.apiserver.k8s.io', name: 'Apps.1x' },
    want: [`the group segment ${subdomainRule}`, `the resource segment ${dns1035Rule}`],
  },
  // ValidLeaseCandidateName: IsConfigMapKey
  {
    given: { kind: 'LeaseCandidate', group: 'coordination.k8s.io', name: 'Kube_Scheduler-1' },
    want: [],
  },
  {
    given: { kind: 'LeaseCandidate', group: 'coordination.k8s.io', name: '..a' },
    want: ["must not start with '..'"],
  },
  {
    given: { kind: 'LeaseCandidate', group: 'coordination.k8s.io', name: 'a b' },
    want: [configKeyRule],
  },
]

describe('nameRuleOf', () => {
  it.each(rows)('$given.kind $given.name', ({ given, want }) => {
    const rule = nameRuleOf(given.group ?? '', given.kind, given.kubeVersion)
    expect(rule(given.name, given.prefix ?? false)).toEqual(want)
  })
})
