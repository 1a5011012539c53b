// Declarative fixups for known upstream spec gaps. Each names the schema it patches, the buggy
// shape it expects to find, and the replacement. When the expected shape is no longer what the
// cluster serves (upstream fixed it, or changed it), generation fails loudly instead of silently
// patching something else.
import { CodegenError } from './errors.js'
import type { Schema } from './types.js'

export interface Fixup {
  schema: string
  /** Why the served schema is wrong, with the upstream source that causes it. */
  reason: string
  /** True when the served schema still has the known buggy shape. */
  applies(served: Schema): boolean
  replacement: Schema
}

const APIEXTENSIONS = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1'
const JSON_SCHEMA_PROPS = { $ref: `#/components/schemas/${APIEXTENSIONS}.JSONSchemaProps` }

// The served schema carries only a description: no type, no properties, no composition.
function untyped(served: Schema): boolean {
  return (
    served.type === undefined &&
    served.properties === undefined &&
    served.oneOf === undefined &&
    served.anyOf === undefined &&
    served.allOf === undefined &&
    served.$ref === undefined
  )
}

/**
 * apiextensions-apiserver `pkg/apis/apiextensions/v1/types_jsonschema.go`: the `JSONSchemaPropsOr*`
 * types marshal to one of two JSON shapes, and their `OpenAPISchemaType()` returns nil, so the
 * served schema has no type at all and would read as `unknown`.
 */
export const FIXUPS: readonly Fixup[] = [
  {
    schema: `${APIEXTENSIONS}.JSONSchemaPropsOrBool`,
    reason: 'types_jsonschema.go JSONSchemaPropsOrBool marshals as a schema or a boolean',
    applies: untyped,
    replacement: { oneOf: [JSON_SCHEMA_PROPS, { type: 'boolean' }] },
  },
  {
    schema: `${APIEXTENSIONS}.JSONSchemaPropsOrArray`,
    reason:
      'types_jsonschema.go JSONSchemaPropsOrArray marshals as a schema or an array of schemas',
    applies: untyped,
    replacement: { oneOf: [JSON_SCHEMA_PROPS, { type: 'array', items: JSON_SCHEMA_PROPS }] },
  },
  {
    schema: `${APIEXTENSIONS}.JSONSchemaPropsOrStringArray`,
    reason:
      'types_jsonschema.go JSONSchemaPropsOrStringArray marshals as a schema or a string array',
    applies: untyped,
    replacement: { oneOf: [JSON_SCHEMA_PROPS, { type: 'array', items: { type: 'string' } }] },
  },
]

/**
 * Schemas whose served shape is a wire-format simplification rather than a bug: replaced by name
 * whatever the spec says. Quantity is served as `string` in v2 and `string | number` in v3; the
 * apiserver accepts both (apimachinery `pkg/api/resource/quantity.go` UnmarshalJSON).
 */
export const WELL_KNOWN: Readonly<Record<string, Schema>> = {
  'io.k8s.apimachinery.pkg.api.resource.Quantity': {
    oneOf: [{ type: 'string' }, { type: 'number' }],
  },
}

/**
 * Returns the schema to normalize for `name`: the fixup's replacement when it applies, the
 * well-known override, or the served schema. Throws when a fixup no longer applies.
 */
export function applyFixups(
  name: string,
  served: Schema,
  fixups: readonly Fixup[] = FIXUPS,
): Schema {
  const known = Object.hasOwn(WELL_KNOWN, name) ? WELL_KNOWN[name] : undefined
  if (known !== undefined) {
    return typeof served.description === 'string'
      ? { ...known, description: served.description }
      : known
  }
  const fixup = fixups.find((f) => f.schema === name)
  if (fixup === undefined) return served
  if (!fixup.applies(served)) {
    throw new CodegenError(
      'K8S_CODEGEN_CODEGEN_FIXUP_STALE',
      `schema ${name}: the fixup for a known upstream spec gap (${fixup.reason}) no longer matches the served schema; the upstream spec changed, so remove or update this fixup in @k8s-codegen/codegen fixups.ts`,
    )
  }
  return typeof served.description === 'string'
    ? { ...fixup.replacement, description: served.description }
    : fixup.replacement
}
