// apimachinery pkg/api/validation/objectmeta.go ValidateObjectMetaAccessor: name and generateName
// by the kind's name rule (name-rules.ts), labels, annotations and finalizers.
import { invalid, required, tooLong, type FieldError } from './field-error.js'
import { utf8Length } from './formats.js'
import { isDns1123Subdomain, nameIsDnsLabel, type NameRule } from './name-rules.js'

/**
 * The name errors of an object's metadata on create, by its kind's name rule (`nameRuleOf`). The
 * server generates a name from generateName before validating; this checks generateName and,
 * when set, name.
 */
export function validateObjectMetaNames(
  metadata: { name?: unknown; generateName?: unknown },
  nameRule: NameRule,
): FieldError[] {
  const errs: FieldError[] = []
  const generateName = typeof metadata.generateName === 'string' ? metadata.generateName : ''
  const name = typeof metadata.name === 'string' ? metadata.name : ''
  if (generateName !== '') {
    for (const msg of nameRule(generateName, true))
      errs.push(invalid('metadata.generateName', generateName, msg))
  }
  if (name === '') {
    if (generateName === '')
      errs.push(required('metadata.name', 'name or generateName is required'))
  } else {
    for (const msg of nameRule(name, false)) errs.push(invalid('metadata.name', name, msg))
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

// meta/v1/validation ValidateLabels.
function labelErrors(metadata: Record<string, unknown>): FieldError[] {
  const errs: FieldError[] = []
  for (const [k, v] of stringEntries(metadata['labels'])) {
    for (const msg of isQualifiedName(k)) errs.push(invalid('metadata.labels', k, msg))
    for (const msg of isLabelValue(v)) errs.push(invalid('metadata.labels', v, msg))
  }
  return errs
}

// objectmeta.go ValidateAnnotations: keys are qualified names except that case doesn't
// matter, and 256 KiB in all.
function annotationErrors(metadata: Record<string, unknown>): FieldError[] {
  const errs: FieldError[] = []
  const annotations = stringEntries(metadata['annotations'])
  for (const [k] of annotations) {
    for (const msg of isQualifiedName(k.toLowerCase()))
      errs.push(invalid('metadata.annotations', k, msg))
  }
  const size = annotations.reduce((sum, [k, v]) => sum + utf8Length(k) + utf8Length(v), 0)
  if (size > 256 * 1024) errs.push(tooLong('metadata.annotations', 256 * 1024))
  return errs
}

/**
 * objectmeta.go validateObjectMetaAccessorWithOptsCommon, the parts a create can get wrong: the
 * namespace of a namespaced kind, labels (meta/v1/validation ValidateLabels), annotations
 * (ValidateAnnotations, 256 KiB in all) and finalizers (ValidateFinalizers).
 */
export function validateObjectMetaContent(
  metadata: Record<string, unknown>,
  namespaced: boolean,
): FieldError[] {
  const errs: FieldError[] = []
  // A namespaced object's namespace is a namespace name. (An empty one is the request's: the
  // server and kubectl-validate fill it in. A cluster-scoped object's is cleared:
  // apiserver pkg/registry/rest/meta.go EnsureObjectNamespaceMatchesRequestNamespace.)
  const namespace = metadata['namespace']
  if (namespaced && typeof namespace === 'string' && namespace !== '') {
    for (const msg of nameIsDnsLabel(namespace, false))
      errs.push(invalid('metadata.namespace', namespace, msg))
  }
  errs.push(...labelErrors(metadata), ...annotationErrors(metadata))
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

// The fields apiserver pkg/registry/rest/update.go BeforeUpdate carries over from the stored
// object before validating: a uid left out, and the server-set timestamps.
const carriedOver = ['creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds']

/**
 * The new object's metadata as BeforeUpdate hands it to validation: uid, creationTimestamp,
 * deletionTimestamp and deletionGracePeriodSeconds taken from the stored object where it has
 * them (a missing uid only), generation kept (the client cannot change it).
 */
export function prepareObjectMetaForUpdate(
  metadata: Record<string, unknown>,
  old: Record<string, unknown>,
): Record<string, unknown> {
  const out = { ...metadata }
  if (old.generation !== undefined) out.generation = old.generation
  if (typeof out.uid !== 'string' || out.uid === '') {
    if (old.uid !== undefined) out.uid = old.uid
  }
  for (const k of carriedOver)
    if (
      old[k] !== undefined &&
      old[k] !== null &&
      (k !== 'deletionGracePeriodSeconds' || out[k] === undefined)
    )
      out[k] = old[k]
  return out
}

// objectmeta.go ValidateObjectMetaAccessorUpdate: the immutable fields (ValidateImmutableField,
// "field is immutable"), then labels and annotations again.
function objectMetaAccessorUpdate(
  metadata: Record<string, unknown>,
  old: Record<string, unknown>,
): FieldError[] {
  const errs: FieldError[] = []
  for (const k of ['name', 'namespace', 'uid']) {
    const now = typeof metadata[k] === 'string' ? metadata[k] : ''
    const before = typeof old[k] === 'string' ? old[k] : ''
    if (now !== before) errs.push(invalid(`metadata.${k}`, now, 'field is immutable'))
  }
  return [...errs, ...labelErrors(metadata), ...annotationErrors(metadata)]
}

/**
 * The ObjectMeta errors of an update, in the server's order: rest/update.go
 * validateCommonFields (ValidateObjectMetaAccessor, then ValidateObjectMetaAccessorUpdate),
 * then the custom resource validator's own ValidateObjectMetaUpdate, which checks the immutable
 * fields, labels and annotations once more.
 */
export function validateObjectMetaUpdate(
  metadata: Record<string, unknown>,
  old: Record<string, unknown>,
  namespaced: boolean,
): FieldError[] {
  return [
    ...validateObjectMetaContent(metadata, namespaced),
    ...objectMetaAccessorUpdate(metadata, old),
    ...objectMetaAccessorUpdate(metadata, old),
  ]
}
