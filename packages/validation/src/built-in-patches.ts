// What kubectl-validate changes in a group-version's published schemas before validating with
// them, so that they say what the server accepts (sigs.k8s.io/kubectl-validate v0.0.4):
// - pkg/validator/schema_patcher.go schemaPatches, applied to every definition of every document:
//   AllowEmptyByteFormat (built-in groups only), AnnotateNullable, IntOrStringDefinition,
//   RemoveInvalidDefaults;
// - pkg/openapiclient/patches/1.23/api/v1.json, its hand-written patch of core types (a JSON
//   merge patch): a container's `image` is required, a port's `protocol` is one of SCTP, TCP, UDP
//   and defaults to TCP. kubectl-validate loads it only for `--version 1.23` and for the core/v1
//   document; the server's own validation requires both everywhere a container appears
//   (core/validation validateContainers: `image: Required value`; validateContainerPorts:
//   `protocol: Unsupported value`), so this applies it to every document of a built-in group.
import { isObject, type Schema } from './schema.js'

type Schemas = Readonly<Record<string, unknown>>

// schema_patcher.go nullableSchemas: types whose Go MarshalJSON writes or accepts null.
const nullableSchemas = new Set([
  'io.k8s.apimachinery.pkg.runtime.RawExtension',
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time',
  'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime',
  'io.k8s.apimachinery.pkg.apis.meta.v1.Duration',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrStringArray',
  'io.k8s.apimachinery.pkg.api.resource.Quantity',
])
const intOrString = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString'
// Types whose Go UnmarshalJSON takes any JSON (apimachinery runtime RawExtension.UnmarshalJSON;
// apiextensions-apiserver pkg/apis/apiextensions/v1 JSON and JSONSchemaPropsOr* UnmarshalJSON,
// marshal.go): the server's strict decoder sees no field inside them, so nothing in them is an
// unknown field (a CRD manifest's `items: {type: string}` is no warning).
const opaqueSchemas = new Set([
  'io.k8s.apimachinery.pkg.runtime.RawExtension',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrArray',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrStringArray',
])
const invalidDefaultSchemas = new Set([...nullableSchemas, intOrString])

/**
 * schema_patcher.go isBuiltInType: the groups kubectl-validate treats as Kubernetes' own.
 *
 * @example
 * isBuiltInGroup('apps') // true
 */
export function isBuiltInGroup(group: string): boolean {
  return (
    group === '' ||
    group.endsWith('.k8s.io') ||
    ['apps', 'autoscaling', 'batch', 'policy'].includes(group)
  )
}

// utils.PostorderVisitor over utils.VisitSchema's children: a copy with `visit` applied to every
// subschema, children first.
function postorder(s: Schema, visit: (s: Schema) => Schema): Schema {
  const out: Record<string, unknown> = { ...s }
  if (s.properties !== undefined) {
    out.properties = Object.fromEntries(
      Object.entries(s.properties).map(([k, v]) => [k, postorder(v, visit)]),
    )
  }
  if (s.items !== undefined) out.items = postorder(s.items, visit)
  if (typeof s.additionalProperties === 'object')
    out.additionalProperties = postorder(s.additionalProperties, visit)
  if (s.not !== undefined) out.not = postorder(s.not, visit)
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = s[key]
    if (list !== undefined) out[key] = list.map((b) => postorder(b, visit))
  }
  return visit(out)
}

const without = (s: Schema, key: keyof Schema): Schema =>
  Object.fromEntries(Object.entries(s).filter(([k]) => k !== key))

// AllowEmptyByteFormat: a []byte field of a built-in type accepts "", a CRD's `byte` does not.
function allowEmptyByte(s: Schema): Schema {
  if (s.format !== 'byte' || s.type !== 'string') return s
  return {
    ...without(s, 'format'),
    allOf: [...(s.allOf ?? []), { anyOf: [{ format: 'byte' }, { maxLength: 0 }] }],
  }
}

// RemoveInvalidDefaults: the `default: {}` published on a reference to a type with its own JSON
// encoding is no value that type takes.
function removeInvalidDefault(s: Schema): Schema {
  if (!isObject(s.default) || Object.keys(s.default).length > 0) return s
  const refs = [s.$ref, ...(s.allOf ?? []).map((b) => b.$ref)]
  const invalid = refs.some(
    (r) => r !== undefined && invalidDefaultSchemas.has(r.split('/').pop() ?? ''),
  )
  if (!invalid) return s
  return without(s, 'default')
}

function patchDefinition(name: string, raw: Schema, builtIn: boolean): Schema {
  let s = raw
  if (builtIn) s = postorder(s, allowEmptyByte)
  if (nullableSchemas.has(name)) s = postorder(s, (x) => ({ ...x, nullable: true }))
  // IntOrStringDefinition: the server ignores the published definition for this.
  if (name === intOrString) s = { 'x-kubernetes-int-or-string': true }
  if (builtIn && opaqueSchemas.has(name)) s = { ...s, 'x-kubernetes-preserve-unknown-fields': true }
  s = postorder(s, removeInvalidDefault)
  if (builtIn && name === 'io.k8s.api.core.v1.Container') s = { ...s, required: ['name', 'image'] }
  if (builtIn && name === 'io.k8s.api.core.v1.ContainerPort') {
    const protocol = {
      ...s.properties?.protocol,
      type: 'string',
      default: 'TCP',
      enum: ['SCTP', 'TCP', 'UDP'],
    }
    s = { ...s, properties: { ...s.properties, protocol } }
  }
  return s
}

const patched = new WeakMap<Schemas, { builtIn: boolean; schemas: Schemas }>()

/**
 * A document's schemas with kubectl-validate's patches applied (see the file header), computed
 * once per schemas object. `builtIn` is {@link isBuiltInGroup} of the document's group.
 */
export function patchSchemas(schemas: Schemas, builtIn: boolean): Schemas {
  const memo = patched.get(schemas)
  if (memo !== undefined && memo.builtIn === builtIn) return memo.schemas
  const out: Record<string, unknown> = {}
  for (const [name, s] of Object.entries(schemas))
    out[name] = isObject(s) ? patchDefinition(name, s, builtIn) : s
  patched.set(schemas, { builtIn, schemas: out })
  return out
}
