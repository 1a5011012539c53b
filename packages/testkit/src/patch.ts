// The three non-apply patch types of apiserver `pkg/endpoints/handlers/patch.go`:
// JSON merge patch (RFC 7386, evanphx/json-patch MergePatch), JSON patch (RFC 6902,
// evanphx/json-patch Patch.Apply) and strategic merge patch (apimachinery
// `pkg/util/strategicpatch/patch.go` StrategicMergePatch with the schema's
// `x-kubernetes-patch-strategy` / `x-kubernetes-patch-merge-key`).
import { isJsonObject, ownValue, setOwn, type JsonObject } from './_json.js'
import { childOf, itemsOf, patchStrategyOf, type SchemaNode } from './_schema.js'

/** A patch that cannot be applied; the handler answers 422 (or 400 for a malformed patch). */
export class PatchError extends Error {
  readonly malformed: boolean
  constructor(message: string, malformed = false) {
    super(message)
    this.name = 'PatchError'
    this.malformed = malformed
  }
}

function clone<T>(value: T): T {
  return structuredClone(value)
}

/**
 * RFC 7386 JSON merge patch: objects merge, `null` deletes, everything else replaces.
 *
 * @example
 * mergePatch({ a: 1, b: { c: 2 } }, { b: { c: null, d: 3 } }) // { a: 1, b: { d: 3 } }
 */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return clone(patch)
  const out: JsonObject = isJsonObject(target) ? { ...target } : {}
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key]
    else setOwn(out, key, mergePatch(ownValue(out, key), value))
  }
  return out
}

// RFC 6901 pointer → tokens.
function pointer(path: unknown): string[] {
  if (typeof path !== 'string') throw new PatchError('path must be a string', true)
  if (path === '') return []
  if (!path.startsWith('/')) throw new PatchError(`invalid JSON pointer ${JSON.stringify(path)}`)
  return path
    .slice(1)
    .split('/')
    .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'))
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]))
  if (isJsonObject(a) && isJsonObject(b)) {
    const ka = Object.keys(a)
    if (ka.length !== Object.keys(b).length) return false
    return ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]))
  }
  return false
}

export { deepEqual }

interface Located {
  parent: unknown
  key: string
}

function locate(doc: unknown, tokens: string[], op: string, path: string): Located {
  let node = doc
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(node)) node = node[Number(token)]
    else if (isJsonObject(node)) node = ownValue(node, token)
    else node = undefined
    if (node === undefined)
      throw new PatchError(
        `${op} operation does not apply: doc is missing path: "${path}": missing value`,
      )
  }
  return { parent: node, key: tokens[tokens.length - 1] ?? '' }
}

function arrayIndex(
  parent: unknown[],
  key: string,
  op: string,
  path: string,
  insert: boolean,
): number {
  if (insert && key === '-') return parent.length
  if (!/^(0|[1-9]\d*)$/.test(key))
    throw new PatchError(
      `${op} operation does not apply: doc is missing path: "${path}": missing value`,
    )
  const index = Number(key)
  if (index > parent.length || (!insert && index >= parent.length))
    throw new PatchError(`Unable to access invalid index: ${index}: invalid index referenced`)
  return index
}

function getAt(doc: unknown, path: string, op: string): unknown {
  const tokens = pointer(path)
  if (tokens.length === 0) return doc
  const { parent, key } = locate(doc, tokens, op, path)
  let value: unknown
  if (Array.isArray(parent)) value = parent[arrayIndex(parent, key, op, path, false)]
  else if (isJsonObject(parent) && Object.hasOwn(parent, key)) value = parent[key]
  if (value === undefined)
    throw new PatchError(
      `${op} operation does not apply: doc is missing key: ${path}: missing value`,
    )
  return value
}

function removeAt(doc: unknown, path: string, op: string): unknown {
  const tokens = pointer(path)
  const { parent, key } = locate(doc, tokens, op, path)
  if (Array.isArray(parent)) return parent.splice(arrayIndex(parent, key, op, path, false), 1)[0]
  if (!isJsonObject(parent) || !Object.hasOwn(parent, key))
    throw new PatchError(
      `${op} operation does not apply: doc is missing key: ${path}: missing value`,
    )
  const value = parent[key]
  delete parent[key]
  return value
}

function addAt(doc: unknown, path: string, value: unknown, op: string, replace: boolean): unknown {
  const tokens = pointer(path)
  if (tokens.length === 0) return value
  const { parent, key } = locate(doc, tokens, op, path)
  if (Array.isArray(parent)) {
    const index = arrayIndex(parent, key, op, path, !replace)
    if (replace) parent[index] = value
    else parent.splice(index, 0, value)
  } else if (isJsonObject(parent)) {
    if (replace && !Object.hasOwn(parent, key))
      throw new PatchError(
        `replace operation does not apply: doc is missing key: ${path}: missing value`,
      )
    setOwn(parent, key, value)
  } else {
    throw new PatchError(
      `${op} operation does not apply: doc is missing path: "${path}": missing value`,
    )
  }
  return doc
}

// apiserver `pkg/server/config.go` JSONPatchMaxCopyBytes (3 MiB), which it sets as
// evanphx/json-patch's AccumulatedCopySizeLimit: the JSON bytes all `copy` operations of one
// patch may add (json-patch v4 `patch.go` copy: the size of the copied value's JSON).
const maxCopyBytes = 3 * 1024 * 1024

/**
 * RFC 6902 JSON patch, with evanphx/json-patch's error texts and its copy-size limit.
 *
 * @example
 * jsonPatch({ a: [1] }, [{ op: 'add', path: '/a/-', value: 2 }]) // { a: [1, 2] }
 */
export function jsonPatch(target: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch))
    throw new PatchError(
      'json: cannot unmarshal object into Go value of type jsonpatch.Patch',
      true,
    )
  let doc = clone(target)
  let copied = 0
  for (const raw of patch) {
    if (!isJsonObject(raw))
      throw new PatchError('json: cannot unmarshal into Go value of type jsonpatch.Operation', true)
    const op = raw['op']
    const path = raw['path']
    switch (op) {
      case 'add':
        doc = addAt(doc, String(path), clone(raw['value']), 'add', false)
        break
      case 'remove':
        removeAt(doc, String(path), 'remove')
        break
      case 'replace':
        doc = addAt(doc, String(path), clone(raw['value']), 'replace', true)
        break
      case 'move': {
        const value = removeAt(doc, String(raw['from']), 'move')
        doc = addAt(doc, String(path), value, 'move', false)
        break
      }
      case 'copy': {
        const text = JSON.stringify(getAt(doc, String(raw['from']), 'copy'))
        copied += Buffer.byteLength(text)
        if (copied > maxCopyBytes) {
          throw new PatchError(
            `Unable to complete the copy, the accumulated size increase of copy is ${copied}, exceeding the limit ${maxCopyBytes}`,
          )
        }
        doc = addAt(doc, String(path), JSON.parse(text) as unknown, 'copy', false)
        break
      }
      case 'test': {
        const value = getAt(doc, String(path), 'test')
        if (!deepEqual(value, raw['value']))
          throw new PatchError(`testing value ${String(path)} failed: test failed`)
        break
      }
      default:
        throw new PatchError(`Unexpected kind: ${String(op)}`)
    }
  }
  return doc
}

const directivePrefixes = ['$setElementOrder/', '$deleteFromPrimitiveList/', '$retainKeys']

/**
 * Strategic merge patch: like a merge patch, except that lists whose schema says
 * `x-kubernetes-patch-strategy: merge` merge by their merge key (or as a set of primitives),
 * and the directives `$patch: replace|delete|merge`, `$retainKeys`,
 * `$deleteFromPrimitiveList/<field>` and `$setElementOrder/<field>` apply.
 *
 * @example
 * strategicMergePatch(pod, { spec: { containers: [{ name: 'a', image: 'b' }] } }, podSchema)
 */
export function strategicMergePatch(original: unknown, patch: unknown, node: SchemaNode): unknown {
  if (!isJsonObject(patch)) return clone(patch)
  const directive = patch['$patch']
  if (directive === 'replace') {
    const rest = { ...patch }
    delete rest['$patch']
    return stripDirectives(rest)
  }
  if (directive === 'delete') return undefined
  if (directive !== undefined && directive !== 'merge')
    throw new PatchError(
      `Unknown patch type: ${JSON.stringify(directive)} in map: ${JSON.stringify(patch)}`,
    )
  const out: JsonObject = isJsonObject(original) ? { ...original } : {}
  const retain = patch['$retainKeys']
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys' || key.startsWith('$setElementOrder/')) continue
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const field = key.slice('$deleteFromPrimitiveList/'.length)
      const list = ownValue(out, field)
      if (Array.isArray(list) && Array.isArray(value))
        setOwn(
          out,
          field,
          list.filter((v) => !value.some((d) => deepEqual(d, v))),
        )
      continue
    }
    const child = childOf(node, key)
    if (value === null) {
      delete out[key]
    } else if (Array.isArray(value)) {
      setOwn(out, key, mergeList(ownValue(out, key), value, child))
    } else if (isJsonObject(value)) {
      const merged = strategicMergePatch(ownValue(out, key), value, child)
      if (merged === undefined) delete out[key]
      else setOwn(out, key, merged)
    } else {
      setOwn(out, key, value)
    }
  }
  if (Array.isArray(retain)) {
    for (const key of Object.keys(out)) if (!retain.includes(key)) delete out[key]
  }
  return out
}

function mergeList(original: unknown, patch: unknown[], node: SchemaNode): unknown[] {
  const { strategies, mergeKey } = patchStrategyOf(node)
  const items = itemsOf(node)
  if (!strategies.includes('merge')) return stripDirectives(patch) as unknown[]
  const base: unknown[] = Array.isArray(original) ? [...(original as unknown[])] : []
  if (patch.some((p) => isJsonObject(p) && p['$patch'] === 'replace')) {
    return patch.filter((p) => !(isJsonObject(p) && p['$patch'] === 'replace')).map(stripDirectives)
  }
  if (mergeKey === undefined) {
    // A set of primitives: union, keeping the original order first.
    for (const value of patch) if (!base.some((b) => deepEqual(b, value))) base.push(value)
    return base
  }
  for (const element of patch) {
    if (!isJsonObject(element))
      throw new PatchError(
        `map: ${JSON.stringify(element)} does not contain declared merge key: ${mergeKey}`,
      )
    if (!Object.hasOwn(element, mergeKey))
      throw new PatchError(
        `map: ${JSON.stringify(element)} does not contain declared merge key: ${mergeKey}`,
      )
    const index = base.findIndex(
      (b) => isJsonObject(b) && deepEqual(b[mergeKey], element[mergeKey]),
    )
    if (element['$patch'] === 'delete') {
      if (index !== -1) base.splice(index, 1)
      continue
    }
    if (index === -1) base.push(stripDirectives(element))
    else base[index] = strategicMergePatch(base[index], element, items)
  }
  return base
}

function stripDirectives(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripDirectives)
  if (!isJsonObject(value)) return value
  const out: JsonObject = {}
  for (const [key, child] of Object.entries(value)) {
    if (key === '$patch' || directivePrefixes.some((p) => key.startsWith(p))) continue
    setOwn(out, key, stripDirectives(child))
  }
  return out
}
