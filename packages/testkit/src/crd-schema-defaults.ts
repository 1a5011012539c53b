// The `default`s of a CRD schema, as kube-apiserver checks them when the CRD is created or updated
// (apiextensions-apiserver pkg/apiserver/schema/defaulting/validation.go ValidateDefaults, run by
// validation.go validateCustomResourceDefinitionValidation on a structural schema without
// structural errors): every node's default (not under additionalProperties, where defaults are
// forbidden) validated by @k8s-codegen/validation's validateSchemaDefault. The root is a resource:
// its (and every embedded resource's) apiVersion, kind and metadata are "inside metadata", whose
// defaults the server also checks make valid metadata in a surrounding object — not done here.
// The properties come in the CRD's order (Go's map order is random).
import { validateSchemaDefault, type FieldError } from '@k8s-codegen/validation'
import { isJsonObject, type JsonObject } from './_json.js'

/**
 * The errors of the defaults in the CRD schema `schema` at `path` (`….openAPIV3Schema`).
 *
 * @example
 * schemaDefaultErrors({ type: 'object', properties: { n: { type: 'integer', default: 'x' } } }, 'spec.validation.openAPIV3Schema')
 */
export function schemaDefaultErrors(schema: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = []
  visit(schema, path, errs)
  return errs
}

function visit(s: JsonObject, path: string, errs: FieldError[], depth = 0): void {
  if (depth > 100) return
  if (s['default'] !== undefined) errs.push(...validateSchemaDefault(s, `${path}.default`))
  const items = s['items']
  if (isJsonObject(items)) visit(items, `${path}.items`, errs, depth + 1)
  const properties = s['properties']
  if (!isJsonObject(properties)) return
  for (const key in properties) {
    const property = properties[key]
    if (isJsonObject(property)) visit(property, `${path}.properties[${key}]`, errs, depth + 1)
  }
}
