// apiextensions-apiserver pkg/apiserver/schema/pruning/algorithm.go PruneWithOptions: the fields
// the apiserver drops from a custom resource, while decoding it (customresource_handler.go), because
// its schema does not declare them, then the nulls it drops where the schema allows none.
// Validation sees the pruned object. The server sorts the paths (sort.Strings) and
// reports each as `unknown field "<path>"`: a warning by default, a 400 under
// fieldValidation=Strict.
import { compareGoStrings } from './go-format.js'
import { isObject, setField, type JsonObject, type Schema } from './schema.js'

type Resolve = (schema: Schema) => Schema

const metaFields = new Set(['apiVersion', 'kind', 'metadata'])

/**
 * A pruned copy of `obj` and the sorted paths of the fields pruned (the resource root is an
 * embedded resource: its apiVersion, kind and metadata are kept as they are).
 */
export function prune(
  resolve: Resolve,
  schema: Schema,
  obj: JsonObject,
): { pruned: JsonObject; paths: string[] } {
  const paths: string[] = []
  const pruned = walk(resolve, embeddedRoot(resolve(schema)), obj, [], paths, false)
  return { pruned: pruned as JsonObject, paths: paths.sort(compareGoStrings) }
}

/**
 * `value` pruned as apiextensions-apiserver pkg/apiserver/schema/pruning Prune prunes a value of
 * the schema node `schema` (its apiVersion, kind and metadata kept when the node is an embedded
 * resource), as the server checks a schema `default` is already pruned.
 *
 * @example
 * pruneValue((s) => s, { type: 'object', properties: { a: { type: 'string' } } }, { a: 'x', b: 1 }) // { a: 'x' }
 */
export function pruneValue(resolve: Resolve, schema: Schema, value: unknown): unknown {
  return walk(resolve, schema, value, [], [], false)
}

// The root's schema as an embedded resource, made once per schema node so that it is one node
// (resolved once) for every object.
const embeddedRoots = new WeakMap<Schema, Schema>()
function embeddedRoot(s: Schema): Schema {
  let root = embeddedRoots.get(s)
  if (root === undefined) {
    root = { ...s, 'x-kubernetes-embedded-resource': true }
    embeddedRoots.set(s, root)
  }
  return root
}

function isNonNullableWithoutDefault(s: Schema | undefined): boolean {
  return s !== undefined && s.nullable !== true && s.default === undefined
}

// A path as a trail of keys and indices, made into text (`spec.ports[0].name`) only for a field
// that is reported: most objects have none.
type Trail = (string | number)[]

function pathOf(trail: Trail): string {
  let path = ''
  for (const segment of trail) {
    if (typeof segment === 'number') path = `${path}[${segment}]`
    else path = path === '' ? segment : `${path}.${segment}`
  }
  return path
}

function unknownAt(trail: Trail, k: string, out: string[]): void {
  trail.push(k)
  out.push(pathOf(trail))
  trail.pop()
}

// prune and skipPrune (`skipping`, which array items under a preserving schema inherit);
// `raw` undefined is a nil schema, under which every key is unknown.
function walk(
  resolve: Resolve,
  raw: Schema | undefined,
  x: unknown,
  trail: Trail,
  out: string[],
  skipping: boolean,
): unknown {
  const s = raw === undefined ? undefined : resolve(raw)
  const preserve = skipping || s?.['x-kubernetes-preserve-unknown-fields'] === true
  if (isObject(x)) {
    const kept: JsonObject = {}
    if (s === undefined) {
      for (const k of Object.keys(x)) unknownAt(trail, k, out)
      return kept
    }
    const embedded = s['x-kubernetes-embedded-resource'] === true
    const properties = s.properties
    const additional =
      typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined
    const openAdditional = s.additionalProperties !== undefined && s.additionalProperties !== false
    for (const k of Object.keys(x)) {
      const v = x[k]
      if (embedded && metaFields.has(k)) {
        setField(kept, k, v)
        continue
      }
      const prop =
        properties !== undefined && Object.hasOwn(properties, k) ? properties[k] : undefined
      // defaulting/prunenulls.go PruneNonNullableNullsWithoutDefaults runs right after pruning.
      if (v === null && isNonNullableWithoutDefault(prop ?? additional)) continue
      if (prop !== undefined || openAdditional) {
        trail.push(k)
        setField(kept, k, walk(resolve, prop ?? additional, v, trail, out, false))
        trail.pop()
      } else if (preserve) setField(kept, k, v)
      else if (!metaFields.has(k) || pathOf(trail) !== '') unknownAt(trail, k, out)
    }
    return kept
  }
  if (Array.isArray(x)) {
    if (preserve && s?.items === undefined) return x
    const items = s?.items
    const kept: unknown[] = []
    for (let i = 0; i < x.length; i++) {
      trail.push(i)
      kept.push(walk(resolve, items, x[i], trail, out, preserve))
      trail.pop()
    }
    return kept
  }
  return x
}
