// apimachinery pkg/api/validation/objectmeta.go ValidateObjectMetaAccessor, the part that checks
// names: a custom resource's name and generateName are DNS-1123 subdomains
// (NameIsDNSSubdomain, as apiextensions-apiserver's customResourceValidator passes it).
import { invalid, required, tooLong, type FieldError } from './field-error.js'
import { dns1123SubdomainFmt as subdomainFmt, utf8Length } from './formats.js'

const subdomain = new RegExp(`^${subdomainFmt}$`)

// apimachinery pkg/util/validation/validation.go IsDNS1123Subdomain, MaxLenError, RegexError
// (names); pkg/api/validate/content/dns.go says "bytes" where it says "characters" (label keys).
export function isDns1123Subdomain(value: string, unit = 'characters'): string[] {
  const errs: string[] = []
  if (utf8Length(value) > 253) errs.push(`must be no more than 253 ${unit}`)
  if (!subdomain.test(value)) {
    errs.push(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '" +
        subdomainFmt +
        "')",
    )
  }
  return errs
}

const labelFmt = '[a-z0-9]([-a-z0-9]*[a-z0-9])?'
const label = new RegExp(`^${labelFmt}$`)
const dns1035LabelFmt = '[a-z]([-a-z0-9]*[a-z0-9])?'
const dns1035Label = new RegExp(`^${dns1035LabelFmt}$`)

// validation.go IsDNS1123Label: at most 63 bytes; "must not contain dots" for a subdomain.
export function isDns1123Label(value: string): string[] {
  const errs: string[] = []
  if (utf8Length(value) > 63) errs.push('must be no more than 63 characters')
  if (!label.test(value)) {
    errs.push(
      subdomain.test(value)
        ? 'must not contain dots'
        : `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '${labelFmt}')`,
    )
  }
  return errs
}

// validation.go IsDNS1035Label.
export function isDns1035Label(value: string): string[] {
  const errs: string[] = []
  if (utf8Length(value) > 63) errs.push('must be no more than 63 characters')
  if (!dns1035Label.test(value))
    errs.push(
      `a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '${dns1035LabelFmt}')`,
    )
  return errs
}

// generic.go maskTrailingDash: a prefix (generateName) may end in '-' (its last two characters
// become "a" before the check, as the server does).
export function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? name.slice(0, -2) + 'a' : name
}

// generic.go NameIsDNSSubdomain.
function nameIsDnsSubdomain(name: string, prefix: boolean): string[] {
  return isDns1123Subdomain(prefix ? maskTrailingDash(name) : name)
}

/**
 * The name errors of a custom resource's metadata on create. The server generates a name from
 * generateName before validating; this checks generateName and, when set, name.
 */
export function validateObjectMetaNames(metadata: {
  name?: unknown
  generateName?: unknown
}): FieldError[] {
  const errs: FieldError[] = []
  const generateName = typeof metadata.generateName === 'string' ? metadata.generateName : ''
  const name = typeof metadata.name === 'string' ? metadata.name : ''
  if (generateName !== '') {
    for (const msg of nameIsDnsSubdomain(generateName, true))
      errs.push(invalid('metadata.generateName', generateName, msg))
  }
  if (name === '') {
    if (generateName === '')
      errs.push(required('metadata.name', 'name or generateName is required'))
  } else {
    for (const msg of nameIsDnsSubdomain(name, false))
      errs.push(invalid('metadata.name', name, msg))
  }
  return errs
}

const labelKeyFmt = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]'
const labelKeyMessage = `must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '${labelKeyFmt}')`
const labelKey = new RegExp(`^${labelKeyFmt}$`)
const labelValueFmt = `(${labelKeyFmt})?`
const labelValue = new RegExp(`^${labelValueFmt}$`)

// apimachinery pkg/api/validate/content/kube.go IsLabelKey (IsQualifiedName).
export function isQualifiedName(value: string): string[] {
  const errs: string[] = []
  const parts = value.split('/')
  let name = parts[0] ?? ''
  if (parts.length === 2) {
    const prefix = parts[0] ?? ''
    name = parts[1] ?? ''
    if (prefix.length === 0) errs.push('prefix part must be non-empty')
    else errs.push(...isDns1123Subdomain(prefix, 'bytes').map((m) => 'prefix part ' + m))
  } else if (parts.length > 2) {
    return [
      `a valid label key ${labelKeyMessage} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ]
  }
  if (name.length === 0) errs.push('name part must be non-empty')
  else if (utf8Length(name) > 63) errs.push('name part must be no more than 63 bytes')
  if (!labelKey.test(name)) errs.push('name part ' + labelKeyMessage)
  return errs
}

// content/kube.go IsLabelValue.
export function isLabelValue(value: string): string[] {
  const errs: string[] = []
  if (utf8Length(value) > 63) errs.push('must be no more than 63 bytes')
  if (!labelValue.test(value)) {
    errs.push(
      `a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '${labelValueFmt}')`,
    )
  }
  return errs
}

const stringEntries = (v: unknown): [string, string][] =>
  typeof v === 'object' && v !== null && !Array.isArray(v)
    ? Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string')
    : []

/**
 * objectmeta.go validateObjectMetaAccessorWithOptsCommon, the parts a create can get wrong:
 * labels (meta/v1/validation ValidateLabels), annotations (ValidateAnnotations, 256 KiB in all)
 * and finalizers (ValidateFinalizers).
 */
export function validateObjectMetaContent(metadata: Record<string, unknown>): FieldError[] {
  const errs: FieldError[] = []
  for (const [k, v] of stringEntries(metadata['labels'])) {
    for (const msg of isQualifiedName(k)) errs.push(invalid('metadata.labels', k, msg))
    for (const msg of isLabelValue(v)) errs.push(invalid('metadata.labels', v, msg))
  }
  const annotations = stringEntries(metadata['annotations'])
  for (const [k] of annotations) {
    // The rule is QualifiedName except that case doesn't matter.
    for (const msg of isQualifiedName(k.toLowerCase()))
      errs.push(invalid('metadata.annotations', k, msg))
  }
  const size = annotations.reduce((sum, [k, v]) => sum + utf8Length(k) + utf8Length(v), 0)
  if (size > 256 * 1024) errs.push(tooLong('metadata.annotations', 256 * 1024))
  const finalizers = Array.isArray(metadata['finalizers'])
    ? metadata['finalizers'].filter((f): f is string => typeof f === 'string')
    : []
  for (const f of finalizers)
    for (const msg of isQualifiedName(f)) errs.push(invalid('metadata.finalizers', f, msg))
  if (finalizers.includes('orphan') && finalizers.includes('foregroundDeletion')) {
    errs.push(
      invalid(
        'metadata.finalizers',
        finalizers,
        'finalizer orphan and foregroundDeletion cannot be both set',
      ),
    )
  }
  return errs
}
