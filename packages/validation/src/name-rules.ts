// The name rule each built-in kind's validation passes to ValidateObjectMeta (k8s.io/kubernetes
// v1.37.2 pkg/apis/<group>/validation, `ValidateObjectMeta(&obj.ObjectMeta, …, Validate<Kind>Name,
// …)`), with apimachinery pkg/util/validation's messages. A custom resource's name is a DNS-1123
// subdomain (apiextensions-apiserver customResourceValidator, NameIsDNSSubdomain), and so is every
// built-in kind not listed here.
import { dns1123LabelFmt, dns1123SubdomainFmt, utf8Length } from './formats.js'

/** apimachinery pkg/api/validation ValidateNameFunc: the messages of a name (or a prefix). */
export type NameRule = (name: string, prefix: boolean) => string[]

const label = new RegExp(`^${dns1123LabelFmt}$`)
const subdomain = new RegExp(`^${dns1123SubdomainFmt}$`)
const dns1035LabelFmt = '[a-z]([-a-z0-9]*[a-z0-9])?'
const dns1035Label = new RegExp(`^${dns1035LabelFmt}$`)
const configMapKeyFmt = '[-._a-zA-Z0-9]+'
const configMapKey = new RegExp(`^${configMapKeyFmt}$`)

// validation.go MaxLenError and RegexError.
const maxLenError = (length: number, unit = 'characters'): string =>
  `must be no more than ${length} ${unit}`
const regexError = (msg: string, fmt: string, ...examples: string[]): string =>
  `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${fmt}')`

/**
 * validation.go IsDNS1123Subdomain; apimachinery pkg/api/validate/content/dns.go says "bytes"
 * where it says "characters" (label key prefixes).
 *
 * @example
 * isDns1123Subdomain('example.com') // []
 * isDns1123Subdomain('Example')[0] // 'a lowercase RFC 1123 subdomain must consist of …'
 */
export function isDns1123Subdomain(value: string, unit = 'characters'): string[] {
  const errs: string[] = []
  if (utf8Length(value) > 253) errs.push(maxLenError(253, unit))
  if (!subdomain.test(value)) {
    errs.push(
      regexError(
        'a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, ' +
          "'-' or '.', and must start and end with an alphanumeric character",
        dns1123SubdomainFmt,
        'example.com',
      ),
    )
  }
  return errs
}

// validation.go IsDNS1123Label: a valid subdomain that is no label can only have dots.
export function isDns1123Label(value: string): string[] {
  const errs: string[] = []
  if (utf8Length(value) > 63) errs.push(maxLenError(63))
  if (!label.test(value)) {
    errs.push(
      subdomain.test(value)
        ? 'must not contain dots'
        : regexError(
            'a lowercase RFC 1123 label must consist of lower case alphanumeric characters or ' +
              "'-', and must start and end with an alphanumeric character",
            dns1123LabelFmt,
            'my-name',
            '123-abc',
          ),
    )
  }
  return errs
}

/**
 * validation.go IsDNS1035Label: the messages of a value that is not a DNS-1035 label.
 *
 * @example
 * isDns1035Label('v1') // []
 * isDns1035Label('V1')[0] // 'a DNS-1035 label must consist of lower case alphanumeric characters …'
 */
export function isDns1035Label(value: string): string[] {
  const errs: string[] = []
  if (utf8Length(value) > 63) errs.push(maxLenError(63))
  if (!dns1035Label.test(value)) {
    errs.push(
      regexError(
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start " +
          'with an alphabetic character, and end with an alphanumeric character',
        dns1035LabelFmt,
        'my-name',
        'abc-123',
      ),
    )
  }
  return errs
}

// validation.go IsConfigMapKey with hasChDirPrefix.
function isConfigMapKey(value: string): string[] {
  const errs: string[] = []
  if (utf8Length(value) > 253) errs.push(maxLenError(253))
  if (!configMapKey.test(value)) {
    errs.push(
      regexError(
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
        configMapKeyFmt,
        'key.name',
        'KEY_NAME',
        'key-name',
      ),
    )
  }
  if (value === '.') errs.push("must not be '.'")
  else if (value === '..') errs.push("must not be '..'")
  else if (value.startsWith('..')) errs.push("must not start with '..'")
  return errs
}

// apimachinery pkg/api/validate/content/path.go IsPathSegmentName.
function isPathSegmentName(value: string): string[] {
  if (value === '.' || value === '..') return [`may not be '${value}'`]
  return ['/', '%'].filter((c) => value.includes(c)).map((c) => `may not contain '${c}'`)
}

// apimachinery pkg/api/validation/generic.go maskTrailingDash: a prefix may end in '-' (Go
// replaces its last two bytes with "a" before the check).
export function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? name.slice(0, -2) + 'a' : name
}
const masked = (rule: (v: string) => string[]): NameRule => {
  return (name, prefix) => rule(prefix ? maskTrailingDash(name) : name)
}

/** generic.go NameIsDNSSubdomain: custom resources and most built-in kinds. */
const nameIsDnsSubdomain: NameRule = masked((v) => isDns1123Subdomain(v))
/** generic.go NameIsDNSLabel, also ValidateNamespaceName: a namespace's own rule. */
export const nameIsDnsLabel: NameRule = masked(isDns1123Label)
const nameIsDns1035Label: NameRule = masked(isDns1035Label)

// apiserverinternal/validation ValidateStorageVersionName: `<group>.<resource>`.
const storageVersionName: NameRule = (name) => {
  const dot = name.lastIndexOf('.')
  if (dot < 0) return ['name must be in the form of <group>.<resource>']
  return [
    ...isDns1123Subdomain(name.slice(0, dot)).map((m) => 'the group segment ' + m),
    ...isDns1035Label(name.slice(dot + 1)).map((m) => 'the resource segment ' + m),
  ]
}

// RelaxedServiceNameValidation (pkg/features/kube_features.go) is on by default from 1.36: a
// Service name is then a DNS-1123 label, before it a DNS-1035 label (core/validation
// ValidateService, validateServiceNameFunc).
const serviceName = (kubeVersion: string | undefined): NameRule => {
  const match = /^v?(\d+)\.(\d+)/.exec(kubeVersion ?? '')
  const before136 = match !== null && (Number(match[1]) < 1 || Number(match[2]) < 36)
  return before136 ? nameIsDns1035Label : nameIsDnsLabel
}

const rules: Readonly<Record<string, NameRule>> = {
  // core/validation ValidateNamespaceName (generic.go: NameIsDNSLabel)
  '/Namespace': nameIsDnsLabel,
  // apps/validation ValidateStatefulSetName
  'apps/StatefulSet': nameIsDnsLabel,
  // rbac/validation ValidateRBACName (content.IsPathSegmentName), for all four kinds
  'rbac.authorization.k8s.io/Role': (name) => isPathSegmentName(name),
  'rbac.authorization.k8s.io/ClusterRole': (name) => isPathSegmentName(name),
  'rbac.authorization.k8s.io/RoleBinding': (name) => isPathSegmentName(name),
  'rbac.authorization.k8s.io/ClusterRoleBinding': (name) => isPathSegmentName(name),
  // certificates/validation ValidateCertificateRequestName: any name
  'certificates.k8s.io/CertificateSigningRequest': () => [],
  'internal.apiserver.k8s.io/StorageVersion': storageVersionName,
  // coordination/validation ValidLeaseCandidateName (IsConfigMapKey, which allows a trailing '-')
  'coordination.k8s.io/LeaseCandidate': (name) => isConfigMapKey(name),
  // Not reproduced, so not checked: networking/validation ValidateIPAddressName (the name is an
  // IP address, with IsValidIP's messages) and certificates/validation
  // ValidateClusterTrustBundleName (derived from spec.signerName).
  'networking.k8s.io/IPAddress': () => [],
  'certificates.k8s.io/ClusterTrustBundle': () => [],
}

/**
 * The name rule of a kind: its built-in validation's, or DNS-1123 subdomain (custom resources
 * and most built-ins). `kubeVersion` matters for Service only; absent, the newest rule applies.
 * The names of IPAddress (an IP address) and ClusterTrustBundle (derived from its signer) are not
 * checked.
 */
export function nameRuleOf(group: string, kind: string, kubeVersion?: string): NameRule {
  if (group === '' && kind === 'Service') return serviceName(kubeVersion)
  return rules[`${group}/${kind}`] ?? nameIsDnsSubdomain
}
