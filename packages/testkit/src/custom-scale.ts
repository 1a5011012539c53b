// The `/scale` subresource of a custom resource, as apiextensions-apiserver
// `pkg/registry/customresource/etcd.go` serves it: the replicas and the selector live where the
// CRD's `subresources.scale` says (specReplicasPath, statusReplicasPath, labelSelectorPath),
// read with unstructured.NestedInt64 / NestedString and written with SetNestedField.
import { isJsonObject, ownValue, setOwn, type JsonObject } from './_json.js'
import { ApiStatusError, badRequest, internalError, type StatusCause } from './status-errors.js'

/** A CRD version's `subresources.scale`. */
export interface ScalePaths {
  specReplicasPath: string
  statusReplicasPath: string
  labelSelectorPath: string | undefined
}

/**
 * The scale paths of every served version of these CRDs, by `<group>/<version>/<plural>`.
 *
 * @example
 * scalePathsOf(crdObjects).get('postgresql.cnpg.io/v1/clusters') // { specReplicasPath: '.spec.instances', … }
 */
export function scalePathsOf(crds: readonly JsonObject[]): Map<string, ScalePaths> {
  const out = new Map<string, ScalePaths>()
  for (const crd of crds) {
    const spec = isJsonObject(crd['spec']) ? crd['spec'] : {}
    const names = isJsonObject(spec['names']) ? spec['names'] : {}
    const versions = Array.isArray(spec['versions']) ? spec['versions'] : []
    for (const version of versions) {
      if (!isJsonObject(version) || !isJsonObject(version['subresources'])) continue
      const scale = version['subresources']['scale']
      if (!isJsonObject(scale)) continue
      const text = (value: unknown): string => (typeof value === 'string' ? value : '')
      out.set(`${text(spec['group'])}/${text(version['name'])}/${text(names['plural'])}`, {
        specReplicasPath: text(scale['specReplicasPath']),
        statusReplicasPath: text(scale['statusReplicasPath']),
        labelSelectorPath:
          typeof scale['labelSelectorPath'] === 'string' ? scale['labelSelectorPath'] : undefined,
      })
    }
  }
  return out
}

// etcd.go splitReplicasPath.
function fieldsOf(path: string): string[] {
  return (path.startsWith('.') ? path.slice(1) : path).split('.')
}

// Go's `%T` of a decoded JSON value, as unstructured's accessor errors print it.
function goType(value: unknown): string {
  if (typeof value === 'string') return 'string'
  if (typeof value === 'boolean') return 'bool'
  if (typeof value === 'number') return Number.isInteger(value) ? 'int64' : 'float64'
  if (Array.isArray(value)) return '[]interface {}'
  return 'map[string]interface {}'
}

// Go's `%v` of a decoded JSON value in those errors (a string unquoted).
function goValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value)
}

// unstructured.NestedFieldNoCopy + the typed accessor: undefined when absent; a value of another
// type is the accessor's error text.
function lookup(
  object: JsonObject,
  path: string,
  want: 'int64' | 'string',
): { value: unknown } | { error: string } {
  const fields = fieldsOf(path)
  let node: unknown = object
  for (const [i, field] of fields.entries()) {
    if (!isJsonObject(node)) {
      if (node === undefined || node === null) return { value: undefined }
      return {
        error: `.${fields.slice(0, i).join('.')} accessor error: ${goValue(node)} is of the type ${goType(node)}, expected map[string]interface{}`,
      }
    }
    node = ownValue(node, field)
  }
  if (node === undefined || node === null) return { value: undefined }
  if (goType(node) !== want) {
    return {
      error: `.${fields.join('.')} accessor error: ${goValue(node)} is of the type ${goType(node)}, expected ${want}`,
    }
  }
  return { value: node }
}

// The handlers return an accessor error as it is: a 500.
function nested(object: JsonObject, path: string, want: 'int64' | 'string'): unknown {
  const found = lookup(object, path, want)
  if ('error' in found) throw new ApiStatusError(500, '', found.error)
  return found.value
}

const maxInt32 = 2147483647

// ValidateScaleSpec / ValidateScaleStatus on one replicas path: field.Invalid at the path as
// written, with NestedInt64's 0 as the value of an accessor error.
function replicasCauses(object: JsonObject, path: string): StatusCause[] {
  const found = lookup(object, path, 'int64')
  const invalid = (value: number, detail: string): StatusCause[] => [
    { reason: 'FieldValueInvalid', message: `Invalid value: ${value}: ${detail}`, field: path },
  ]
  if ('error' in found) return invalid(0, found.error)
  const replicas = typeof found.value === 'number' ? found.value : 0
  if (replicas < 0) return invalid(replicas, 'should be a non-negative integer')
  if (replicas > maxInt32) return invalid(replicas, `should be less than or equal to ${maxInt32}`)
  return []
}

/**
 * apiextensions-apiserver `pkg/registry/customresource/validator.go` ValidateScaleSpec and
 * ValidateScaleStatus: the replicas at the scale paths are int32s of at least 0 and the label
 * selector a string, as the Scale subresource reads them.
 */
export function scaleCauses(object: JsonObject, paths: ScalePaths): StatusCause[] {
  const causes = [
    ...replicasCauses(object, paths.specReplicasPath),
    ...replicasCauses(object, paths.statusReplicasPath),
  ]
  if (paths.labelSelectorPath !== undefined) {
    const found = lookup(object, paths.labelSelectorPath, 'string')
    if ('error' in found)
      causes.push({
        reason: 'FieldValueInvalid',
        message: `Invalid value: "": ${found.error}`,
        field: paths.labelSelectorPath,
      })
  }
  return causes
}

/**
 * etcd.go scaleFromCustomResource: the Scale's replicas and selector read from `paths`;
 * `specReplicas` undefined when the object has none there.
 */
export function customScaleValues(
  object: JsonObject,
  paths: ScalePaths,
): { specReplicas: number | undefined; statusReplicas: number; selector: string } {
  const spec = nested(object, paths.specReplicasPath, 'int64') as number | undefined
  const status = nested(object, paths.statusReplicasPath, 'int64') as number | undefined
  const selector =
    paths.labelSelectorPath === undefined || paths.labelSelectorPath === ''
      ? ''
      : ((nested(object, paths.labelSelectorPath, 'string') as string | undefined) ?? '')
  return { specReplicas: spec, statusReplicas: status ?? 0, selector }
}

// etcd.go UpdatedObject: the smallest int32 marks a Scale read from an object without spec
// replicas; an update that leaves it so is refused.
const invalidSpecReplicas = -2147483648

/**
 * The spec replicas of a custom resource's Scale. For a read (ScaleREST.Get) an object without
 * them has no Scale (a 500); for an update they are the marker an update must replace.
 */
export function specReplicasOf(
  value: number | undefined,
  paths: ScalePaths,
  forUpdate: boolean,
): number {
  if (value !== undefined) return value
  if (forUpdate) return invalidSpecReplicas
  throw internalError(
    `the spec replicas field ${JSON.stringify(paths.specReplicasPath)} does not exist`,
  )
}

/**
 * scaleUpdatedObjectInfo.UpdatedObject: the Scale's `spec.replicas` written at specReplicasPath
 * (SetNestedField makes the missing maps); an update that left the marker is a 400.
 */
export function writeSpecReplicas(object: JsonObject, paths: ScalePaths, replicas: unknown): void {
  if (replicas === invalidSpecReplicas) {
    throw badRequest(
      `the spec replicas field ${JSON.stringify(paths.specReplicasPath)} cannot be empty`,
    )
  }
  const fields = fieldsOf(paths.specReplicasPath)
  let node = object
  for (const field of fields.slice(0, -1)) {
    const child = ownValue(node, field)
    if (isJsonObject(child)) node = child
    else {
      const created: JsonObject = {}
      setOwn(node, field, created)
      node = created
    }
  }
  setOwn(node, fields[fields.length - 1] ?? '', replicas)
}
