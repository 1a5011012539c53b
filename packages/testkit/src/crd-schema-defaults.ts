// The `default`s of a CRD schema, as kube-apiserver checks them when the CRD is created or updated
// (apiextensions-apiserver pkg/apiserver/schema/defaulting/validation.go ValidateDefaults, run by
// validation.go validateCustomResourceDefinitionValidation on a structural schema without
// structural errors): every node's default (not under additionalProperties, where defaults are
// forbidden) validated by @k8s-codegen/validation's validateSchemaDefault, on crd-validation.ts's
// walk of the schema. The root is a resource: its (and every embedded resource's) apiVersion,
// kind and metadata are "inside metadata", whose defaults the server also checks make valid
// metadata in a surrounding object — not done here. The properties come in the CRD's order (Go's
// map order is random).
import { validateSchemaDefault, type FieldError } from '@k8s-codegen/validation'
import type { JsonObject } from './_json.js'

// The keywords of a scalar schema whose default needs no more than a type and bounds check.
const PLAIN = new Set(['type', 'default', 'description', 'title', 'example', 'nullable'])
const INT32 = 2 ** 31

// Whether validateSchemaDefault would find nothing, seen without running it: a scalar default of
// its schema's type, within the schema's minimum and maximum and int32 range, and no other
// keyword (no pattern, enum, length, rule). Most defaults of generated CRDs are these; a server
// with a thousand CRDs checks tens of thousands of them at start.
function plainlyValid(s: JsonObject): boolean {
  const value = s['default']
  for (const key in s) {
    if (PLAIN.has(key)) continue
    if (key === 'format' && (s[key] === 'int32' || s[key] === 'int64') && s['type'] === 'integer')
      continue
    if ((key === 'minimum' || key === 'maximum') && typeof value === 'number') continue
    return false
  }
  const minimum = s['minimum']
  const maximum = s['maximum']
  if (typeof minimum === 'number' && !((value as number) >= minimum)) return false
  if (typeof maximum === 'number' && !((value as number) <= maximum)) return false
  switch (s['type']) {
    case 'string':
      return typeof value === 'string'
    case 'boolean':
      return typeof value === 'boolean'
    case 'number':
      return typeof value === 'number'
    case 'integer':
      return (
        Number.isSafeInteger(value) &&
        (s['format'] !== 'int32' || ((value as number) >= -INT32 && (value as number) < INT32))
      )
    default:
      return false
  }
}

/**
 * The errors of the `default` of the schema node `s` at `path` (none without one); the caller
 * walks the nodes ValidateDefaults visits (items and properties, not additionalProperties).
 *
 * @example
 * defaultErrors({ type: 'integer', default: 'x' }, 'spec.validation.openAPIV3Schema.properties[n]')
 */
export function defaultErrors(s: JsonObject, path: string): FieldError[] {
  if (s['default'] === undefined || plainlyValid(s)) return []
  return validateSchemaDefault(s, `${path}.default`)
}
