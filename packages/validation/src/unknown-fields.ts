// apiextensions-apiserver pkg/apiserver/schema/pruning/algorithm.go PruneWithOptions: the fields
// the apiserver drops from a custom resource, while decoding it (customresource_handler.go), because
// its schema does not declare them, then the nulls it drops where the schema allows none.
// Validation sees the pruned object. The server sorts the paths (sort.Strings) and
// reports each as `unknown field "<path>"`: a warning by default, a 400 under
// fieldValidation=Strict.
import { compareGoStrings } from './go-format.js'
import { isObject, type JsonObject, type Schema } from './schema.js'

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
  const pruned = walk(resolve, embeddedRoot(resolve(schema)), obj, '', paths, false)
  return { pruned: pruned as JsonObject, paths: paths.sort(compareGoStrings) }
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

const key = (parent: string, k: string): string => (parent === '' ? k : `${parent}.${k}`)

// prune and skipPrune (`skipping`, which array items under a preserving schema inherit);
// `raw` undefined is a nil schema, under which every key is unknown.
function walk(
  resolve: Resolve,
  raw: Schema | undefined,
  x: unknown,
  path: string,
  out: string[],
  skipping: boolean,
): unknown {
  const s = raw === undefined ? undefined : resolve(raw)
  const preserve = skipping || s?.['x-kubernetes-preserve-unknown-fields'] === true
  if (isObject(x)) {
    const kept: JsonObject = {}
    for (const [k, v] of Object.entries(x)) {
      if (s === undefined) {
        out.push(key(path, k))
        continue
      }
      if (s['x-kubernetes-embedded-resource'] === true && metaFields.has(k)) {
        kept[k] = v
        continue
      }
      const prop =
        s.properties !== undefined && Object.hasOwn(s.properties, k) ? s.properties[k] : undefined
      const additional =
        typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined
      // defaulting/prunenulls.go PruneNonNullableNullsWithoutDefaults runs right after pruning.
      if (v === null && isNonNullableWithoutDefault(prop ?? additional)) continue
      if (prop !== undefined) kept[k] = walk(resolve, prop, v, key(path, k), out, false)
      else if (s.additionalProperties !== undefined && s.additionalProperties !== false) {
        kept[k] = walk(resolve, additional, v, key(path, k), out, false)
      } else if (preserve) kept[k] = v
      else if (!metaFields.has(k) || path !== '') out.push(key(path, k))
    }
    return kept
  }
  if (Array.isArray(x)) {
    if (preserve && s?.items === undefined) return x
    return x.map((v, i) => walk(resolve, s?.items, v, `${path}[${i}]`, out, preserve))
  }
  return x
}
