// A CRD version's selectable fields (`spec.versions[].selectableFields`, GA in 1.32): what
// kube-apiserver refuses in them (apiextensions-apiserver pkg/apis/apiextensions/validation
// validation.go ValidateCustomResourceSelectableFields) and how a field selector reads them from a
// custom resource (pkg/registry/customresource/strategy.go selectableFields: the value at the
// path printed with fmt.Sprint, '' when absent).
import {
  duplicate,
  invalid,
  required,
  tooMany,
  validFieldPath,
  type FieldError,
} from '@k8s-codegen/validation'
import { isJsonObject, type JsonObject } from './_json.js'
import type { ResourceInfo } from './resource-catalog.js'

/**
 * How many selectable fields a version may have (validation.go MaxSelectableFields).
 *
 * @example
 * MAX_SELECTABLE_FIELDS // 8
 */
export const MAX_SELECTABLE_FIELDS = 8

const SCALAR_TYPES = ['string', 'boolean', 'integer']

/**
 * The errors of the selectable fields `fields` of a version (or the spec) whose schema holder is
 * `validation` (`{ openAPIV3Schema }`), at `path`; `perVersion` picks the server's wording for a
 * missing schema; `allowTooMany` when an update keeps more than the maximum unchanged
 * (findTooManySelectableFieldsAllowed).
 *
 * @example
 * selectableFieldsErrors([{ jsonPath: '.spec.x' }], { openAPIV3Schema: schema }, 'spec.selectableFields', { perVersion: false, allowTooMany: false })
 */
export function selectableFieldsErrors(
  fields: unknown,
  validation: unknown,
  path: string,
  options: { perVersion: boolean; allowTooMany: boolean },
): FieldError[] {
  if (!Array.isArray(fields) || fields.length === 0) return []
  const schema = isJsonObject(validation) ? validation['openAPIV3Schema'] : undefined
  if (!isJsonObject(schema))
    return [
      invalid(
        path,
        '',
        options.perVersion
          ? 'may only be set when `version.schema.openAPIV3Schema` is not included'
          : 'may only be set when validations.schema is included',
      ),
    ]
  const errs: FieldError[] = []
  const unique = new Set<string>()
  for (const [i, field] of fields.entries()) {
    const at = `${path}[${i}].jsonPath`
    const jsonPath =
      isJsonObject(field) && typeof field['jsonPath'] === 'string' ? field['jsonPath'] : ''
    if (jsonPath === '') {
      errs.push(required(at, ''))
      continue
    }
    const found = validFieldPath(jsonPath, schema, { allowArrayNotation: false })
    if ('error' in found) {
      errs.push(invalid(at, jsonPath, `is an invalid path: ${found.error}`))
      continue
    }
    if (found.root === 'metadata')
      errs.push(invalid(at, jsonPath, 'must not point to fields in metadata'))
    const type = found.schema?.type
    if (typeof type !== 'string' || !SCALAR_TYPES.includes(type))
      errs.push(
        invalid(
          at,
          jsonPath,
          'must point to a field of type string, boolean or integer. Enum string fields and strings with formats are allowed.',
        ),
      )
    if (unique.has(found.path)) errs.push(duplicate(at, jsonPath))
    else unique.add(found.path)
  }
  if (unique.size > MAX_SELECTABLE_FIELDS && !options.allowTooMany)
    errs.push(tooMany(path, unique.size, MAX_SELECTABLE_FIELDS))
  return errs
}

/**
 * The field selector names of a custom resource version's selectable fields (their JSON paths
 * without the leading '.'), read from its served kind schema
 * (`x-kubernetes-selectable-fields`, builder.go buildSelectableFields); none for built-ins.
 *
 * @example
 * selectableFieldNames(info) // ['spec.color']
 */
export function selectableFieldNames(info: Pick<ResourceInfo, 'schema'>): string[] {
  const fields = info.schema?.['x-kubernetes-selectable-fields']
  if (!Array.isArray(fields)) return []
  return fields.flatMap((f) =>
    isJsonObject(f) && typeof f['fieldPath'] === 'string' ? [f['fieldPath']] : [],
  )
}

/**
 * The values of `names` (see {@link selectableFieldNames}) in `object`, as strategy.go
 * selectableFields prints them: fmt.Sprint of the value, '' when it is absent or null.
 *
 * @example
 * selectableFieldValues(['spec.count'], { spec: { count: 3 } }) // { 'spec.count': '3' }
 */
export function selectableFieldValues(
  names: readonly string[],
  object: JsonObject,
): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name of names) {
    // A valid selectable field is a chain of `.name` segments (no array notation).
    let node: unknown = object
    for (const segment of name.split('.')) node = isJsonObject(node) ? node[segment] : undefined
    out[name] =
      typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean'
        ? String(node)
        : ''
  }
  return out
}
