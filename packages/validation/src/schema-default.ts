// apiextensions-apiserver pkg/apiserver/schema/defaulting/validation.go validate: what the server
// finds wrong with the `default` of one schema node when a CRD is created or updated — a default
// holding fields its schema prunes, then (the first that finds something) the node's schema
// validation of the value, then its x-kubernetes-validations rules, run as on an update from the
// value to itself and, when that passes, as on a create (the ratcheting check for optionalOldSelf
// rules). The checks of a default inside metadata that need the surrounding object
// (schemaobjectmeta Coerce and Validate: "must result in valid metadata") are not made.
import { validateRules } from './cel/validate-rules.js'
import type { FieldError } from './field-error.js'
import { invalid } from './field-error.js'
import { toFieldErrors } from './openapi-errors.js'
import { canonical, validateSchema } from './schema-validator.js'
import type { Schema } from './schema.js'
import { pruneValue } from './unknown-fields.js'

// A CRD schema has no $ref: every node is its own.
const resolve = (schema: Schema): Schema => schema

// The errors of a value validated at the root, moved under `at` (fldPath.Child(name)).
const under = (at: string, errs: readonly FieldError[]): FieldError[] =>
  errs.map((e) => ({
    ...e,
    field: e.field === '' || e.field === '<nil>' ? at : `${at}.${e.field}`,
  }))

/**
 * The errors of the `default` of the CRD schema node `schema`, reported at `at` (its path, ending
 * in `.default`), as the header describes.
 *
 * @example
 * validateSchemaDefault({ type: 'integer', default: 'x' }, 'spec.validation.openAPIV3Schema.properties[n].default')
 * // [{ type: 'FieldValueTypeInvalid', field: '….default', badValue: 'string', detail: ' in body must be of type integer: "string"' }]
 */
export function validateSchemaDefault(schema: Schema, at: string): FieldError[] {
  const value = schema.default
  if (value === undefined) return []
  const errs: FieldError[] = []
  // reflect.DeepEqual of the pruned copy and the default.
  if (canonical(pruneValue(resolve, schema, value)) !== canonical(value))
    errs.push(invalid(at, value, 'must not have unknown fields'))
  const schemaErrors = under(at, toFieldErrors(validateSchema({ resolve }, schema, value, '')))
  if (schemaErrors.length > 0) return [...errs, ...schemaErrors]
  const updated = under(at, validateRules(resolve, schema, value, value))
  if (updated.length > 0) return [...errs, ...updated]
  return [...errs, ...under(at, validateRules(resolve, schema, value))]
}
