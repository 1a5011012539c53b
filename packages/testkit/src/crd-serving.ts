import { isJsonObject, type JsonObject } from './_json.js'
import { serveCrdParts, type CrdBuiltins, type JsonText, type ServedCrds } from './crd-documents.js'
import { readCrdFiles, type ReadCrds } from './crd-read.js'
import type { ResourceInfo } from './resource-catalog.js'

// The emulator's `crds` option: what installed CRDs add to a profile's documents. The builtin
// schemas and query parameters CRD documents reference are the profile's own, looked up as a
// server has them: v3 component schemas (first group-version by key that defines one), or the
// v2 document's definitions and parameters.

function v3Builtins(documents: readonly unknown[]): CrdBuiltins {
  const parameters = new Map<string, JsonObject | undefined>()
  return {
    schema: (name) => {
      for (const doc of documents) {
        const schemas =
          isJsonObject(doc) && isJsonObject(doc.components) ? doc.components.schemas : undefined
        if (isJsonObject(schemas) && isJsonObject(schemas[name])) return schemas[name]
      }
      return undefined
    },
    // Every route of every CRD asks for the same dozen names: each is looked up once.
    parameter: (name) => {
      if (!parameters.has(name)) parameters.set(name, findParameter(documents, name))
      return parameters.get(name)
    },
  }
}

function findParameter(documents: readonly unknown[], name: string): JsonObject | undefined {
  for (const doc of documents) {
    const paths = isJsonObject(doc) && isJsonObject(doc.paths) ? doc.paths : {}
    for (const item of Object.values(paths)) {
      if (!isJsonObject(item)) continue
      for (const list of [
        item.parameters,
        ...Object.values(item).map((op) => (isJsonObject(op) ? op.parameters : undefined)),
      ]) {
        if (!Array.isArray(list)) continue
        const found = (list as unknown[]).find(
          (p) => isJsonObject(p) && p.in === 'query' && p.name === name,
        )
        if (isJsonObject(found)) return found
      }
    }
  }
  return undefined
}

function v2Builtins(v2: JsonObject): CrdBuiltins {
  const definitions = isJsonObject(v2.definitions) ? v2.definitions : {}
  const parameters = isJsonObject(v2.parameters) ? Object.values(v2.parameters) : []
  return {
    schema: (name) => {
      const found = definitions[name]
      if (!isJsonObject(found)) return undefined
      return JSON.parse(
        JSON.stringify(found).replaceAll('"#/definitions/', '"#/components/schemas/'),
      ) as JsonObject
    },
    parameter: (name) => {
      const found = parameters.find((p) => isJsonObject(p) && p.in === 'query' && p.name === name)
      if (!isJsonObject(found)) return undefined
      const { description, in: where, name: parameterName, ...schema } = found
      return {
        ...(description === undefined ? {} : { description }),
        in: where,
        name: parameterName,
        schema,
      }
    },
  }
}

/**
 * Where CRD documents find the server's builtin schemas and query parameters: its v3 documents
 * (group-versions by key), or its v2 document when it serves no v3.
 *
 * @example
 * const builtins = crdBuiltinsOf(profileV3Documents, undefined)
 */
export function crdBuiltinsOf(
  v3Documents: readonly unknown[] | undefined,
  v2: unknown,
): CrdBuiltins {
  return v3Documents !== undefined
    ? v3Builtins(v3Documents)
    : v2Builtins(isJsonObject(v2) ? v2 : {})
}

/**
 * A `/openapi/v2` document with the CRDs' paths and definitions merged in.
 *
 * @example
 * withCrdPaths(profile.v2(), serveCrds(crds, builtins).v2())
 */
export function withCrdPaths(
  v2: JsonObject,
  added: { paths: JsonObject; definitions: JsonObject },
): JsonObject {
  return {
    ...v2,
    paths: { ...(isJsonObject(v2.paths) ? v2.paths : {}), ...added.paths },
    definitions: {
      ...(isJsonObject(v2.definitions) ? v2.definitions : {}),
      ...added.definitions,
    },
  }
}

/**
 * What the CRD files add to a server: its documents, discovery lists and groups, its
 * `/openapi/v2` document with the CRDs merged in (when it serves one), built on first use, and
 * the CRDs as read ({@link readCrdFiles}, created as `info`'s resource when given).
 *
 * @example
 * const added = await crdAdditions(['crds/'], profileV3Documents, v2Document, undefined)
 * added.v2?.()
 */
export async function crdAdditions(
  paths: readonly string[],
  v3Documents: readonly unknown[] | undefined,
  v2: unknown,
  info: ResourceInfo | undefined,
): Promise<{ served: ServedCrds<JsonText[]>; v2: (() => JsonObject) | undefined; read: ReadCrds }> {
  const builtins = crdBuiltinsOf(v3Documents, v2)
  const read = await readCrdFiles(paths, (name) => builtins.parameter(name), info)
  const served = serveCrdParts(read.crds, builtins, read.specs)
  if (!isJsonObject(v2)) return { served, v2: undefined, read }
  return {
    served,
    read,
    v2: () => withCrdPaths(v2, served.v2()),
  }
}
