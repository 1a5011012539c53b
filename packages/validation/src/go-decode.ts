// The first type error kube-apiserver's JSON decoder meets when it decodes a body into a built-in
// kind's Go struct (sigs.k8s.io/json internal/golang/encoding/json/decode.go, the fork of
// encoding/json the apiserver's serializer uses), before any validation runs: a JSON value whose
// kind the Go field cannot hold (`data: { a: 1 }` in a ConfigMap), an integer field given a
// fraction or a number past its range. Its text is UnmarshalTypeError.Error():
// `json: cannot unmarshal <value> into Go struct field <Struct>.<path> of type <Go type>`, where
// Struct is the struct holding the innermost field and path the JSON names of the struct fields
// from the root (addErrorContext; map keys and list indices are not part of it).
//
// The Go types are read from the published schema: a `$ref` names a struct (its Go type is
// `<package>.<Type>`, `io.k8s.api.core.v1.Container` → `v1.Container`), `format` an integer's or
// number's size, `format: byte` a []byte. Types with their own UnmarshalJSON (Quantity,
// IntOrString, Time, RawExtension, …) answer in their own words and are not checked, nor is a
// []byte's base64 text. Not reproduced: a field of a struct embedded without a JSON name (Go
// adds the embedded type's name to the path: `spec.volumes.VolumeSource.configMap`), since the
// published schema flattens it.
import { isObject, referenceOf, type Schema } from './schema.js'

type Named = (ref: string) => { name: string; schema: Schema } | undefined

// Types whose Go UnmarshalJSON decides what it takes (apimachinery resource.Quantity,
// intstr.IntOrString, meta/v1 Time, MicroTime, Duration, FieldsV1, runtime.RawExtension;
// apiextensions v1 JSON and JSONSchemaProps*).
const ownUnmarshalers = new Set([
  'io.k8s.apimachinery.pkg.api.resource.Quantity',
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time',
  'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime',
  'io.k8s.apimachinery.pkg.apis.meta.v1.Duration',
  'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1',
  'io.k8s.apimachinery.pkg.runtime.RawExtension',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrArray',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrStringArray',
])

// The Go packages whose types the apiserver decodes built-in kinds into, as their definitions
// are named (kube-openapi's friendly names: the reversed Go package path).
const goPackagePrefixes = [
  'io.k8s.api.',
  'io.k8s.apimachinery.',
  'io.k8s.apiextensions-apiserver.',
  'io.k8s.kube-aggregator.',
]

/**
 * Whether a definition names a Go type of Kubernetes' own packages (a custom resource's schema,
 * named after its group, is decoded without one).
 *
 * @example
 * isGoTypeDefinition('io.k8s.api.core.v1.ConfigMap') // true
 */
export function isGoTypeDefinition(name: string): boolean {
  return goPackagePrefixes.some((p) => name.startsWith(p))
}

// What a node of the schema decodes into: a struct (its definition), a Go kind, or nothing checked.
type GoType =
  | { kind: 'struct'; type: string; name: string; schema: Schema }
  | { kind: 'slice' | 'map'; type: string; element: Schema }
  | { kind: 'string' | 'bool' | 'float'; type: string }
  | { kind: 'int'; type: string; min: number; max: number }
  | undefined

const ranges: Record<string, [number, number]> = {
  int32: [-(2 ** 31), 2 ** 31 - 1],
  int64: [-(2 ** 63), 2 ** 63 - 1],
}

function goTypeOf(named: Named, s: Schema): GoType {
  const ref = referenceOf(s)
  if (ref !== undefined) {
    const found = named(ref)
    if (found === undefined || ownUnmarshalers.has(found.name)) return undefined
    if (found.schema.type === 'object' && found.schema.properties !== undefined) {
      const segments = found.name.split('.')
      const name = segments.at(-1) ?? found.name
      return {
        kind: 'struct',
        type: `${segments.at(-2) ?? ''}.${name}`,
        name,
        schema: found.schema,
      }
    }
    return goTypeOf(named, found.schema)
  }
  if (s['x-kubernetes-int-or-string'] === true) return undefined
  switch (s.type) {
    case 'string':
      // A []byte takes a base64 string; anything else is refused as for a slice of uint8.
      return s.format === 'byte'
        ? { kind: 'string', type: '[]uint8' }
        : { kind: 'string', type: 'string' }
    case 'boolean':
      return { kind: 'bool', type: 'bool' }
    case 'integer': {
      const size = s.format === 'int32' ? 'int32' : 'int64'
      const [min, max] = ranges[size] as [number, number]
      return { kind: 'int', type: size, min, max }
    }
    case 'number':
      return { kind: 'float', type: s.format === 'float' ? 'float32' : 'float64' }
    case 'array': {
      if (s.items === undefined) return undefined
      const element = elementType(named, s.items)
      return element === undefined
        ? undefined
        : { kind: 'slice', type: `[]${element}`, element: s.items }
    }
    case 'object': {
      const values = s.additionalProperties
      if (typeof values !== 'object') return undefined
      const element = elementType(named, values)
      return element === undefined
        ? undefined
        : { kind: 'map', type: `map[string]${element}`, element: values }
    }
    case undefined:
    default:
      return undefined
  }
}

// A slice's or map's element type as reflect.Type.String() writes it; undefined when it is not
// known (then the container is not checked either, its type text being unknown).
function elementType(named: Named, s: Schema): string | undefined {
  const ref = referenceOf(s)
  if (ref !== undefined) {
    const found = named(ref)
    if (found === undefined) return undefined
    const segments = found.name.split('.')
    return `${segments.at(-2) ?? ''}.${segments.at(-1) ?? ''}`
  }
  return goTypeOf(named, s)?.type
}

// literalStore's and array()/object()'s word for the JSON value that did not fit.
function jsonValueWord(value: unknown): string {
  if (Array.isArray(value)) return 'array'
  if (isObject(value)) return 'object'
  if (typeof value === 'boolean') return 'bool'
  if (typeof value === 'number') return 'number'
  return 'string'
}

interface Context {
  struct: string
  fields: string[]
}

function mismatch(ctx: Context, value: string, type: string): string {
  return `json: cannot unmarshal ${value} into Go struct field ${ctx.struct}.${ctx.fields.join('.')} of type ${type}`
}

function check(named: Named, s: Schema, value: unknown, ctx: Context): string | undefined {
  // A null leaves any Go value as it was.
  if (value === null) return undefined
  const go = goTypeOf(named, s)
  if (go === undefined) return undefined
  switch (go.kind) {
    case 'string':
    case 'bool':
    case 'float': {
      const want = go.kind === 'string' ? 'string' : go.kind === 'bool' ? 'boolean' : 'number'
      return typeof value === want ? undefined : mismatch(ctx, jsonValueWord(value), go.type)
    }
    case 'int':
      if (typeof value !== 'number') return mismatch(ctx, jsonValueWord(value), go.type)
      // strconv.ParseInt of the literal: a fraction or a value past the type's range.
      return Number.isInteger(value) && value >= go.min && value <= go.max
        ? undefined
        : mismatch(ctx, `number ${String(value)}`, go.type)
    case 'slice':
      if (!Array.isArray(value)) return mismatch(ctx, jsonValueWord(value), go.type)
      for (const item of value) {
        const found = check(named, go.element, item, ctx)
        if (found !== undefined) return found
      }
      return undefined
    case 'map':
      if (!isObject(value)) return mismatch(ctx, jsonValueWord(value), go.type)
      for (const item of Object.values(value)) {
        const found = check(named, go.element, item, ctx)
        if (found !== undefined) return found
      }
      return undefined
    case 'struct':
      if (!isObject(value)) return mismatch(ctx, jsonValueWord(value), go.type)
      return checkFields(named, go.name, go.schema, value, ctx.fields)
  }
}

function checkFields(
  named: Named,
  struct: string,
  schema: Schema,
  value: Record<string, unknown>,
  fields: string[],
): string | undefined {
  // The fields in the order the body has them: the decoder keeps the first error it meets.
  for (const [key, field] of Object.entries(value)) {
    const property = schema.properties?.[key]
    if (property === undefined) continue
    const found = check(named, property, field, { struct, fields: [...fields, key] })
    if (found !== undefined) return found
  }
  return undefined
}

/**
 * The Go decoder's error for `object` decoded into the struct `definition` names (the kind's
 * schema), or undefined when every field's JSON value fits its Go type. `apiVersion` and `kind`
 * are read before (the serializer's meta factory) and not checked here.
 *
 * @example
 * goDecodeError(named, 'io.k8s.api.core.v1.ConfigMap', configMapSchema, { data: { a: 1 } })
 * // 'json: cannot unmarshal number into Go struct field ConfigMap.data of type string'
 */
export function goDecodeError(
  named: Named,
  definition: string,
  schema: Schema,
  object: Record<string, unknown>,
): string | undefined {
  const fields = Object.fromEntries(
    Object.entries(object).filter(([key]) => key !== 'apiVersion' && key !== 'kind'),
  )
  return checkFields(named, definition.split('.').at(-1) ?? definition, schema, fields, [])
}
