import { OpenApiError } from '../errors.js'
import type { CrdReadLimits } from './read-limits.js'
import type { JsonObject } from '../types.js'
import { describeLocation, eachCrdFile } from './read.js'
import type { CustomResourceDefinition } from './types.js'
import { validateCrd } from './validate.js'

/**
 * The validated CRDs of some files and what was skipped.
 *
 * @example
 * const { crds, skipped, files } = await loadCrds(['crds/'], { cwd: process.cwd() })
 */
export interface LoadedCrds {
  crds: CustomResourceDefinition[]
  /** Documents that are not CRDs. */
  skipped: number
  files: string[]
  /** Each file read → the uppercase hex SHA-512 of its bytes. */
  hashes: Map<string, string>
}

/**
 * Reads ({@link readCrdFiles}), validates ({@link validateCrd}) and cross-checks CRDs: two CRDs
 * with one `metadata.name`, or one kind or plural in one group, are refused with
 * `K8S_CODEGEN_OPENAPI_CRD_CONFLICT` (the apiserver's NamesAccepted condition would be false
 * for the second). Sorted by name. Each file is validated as soon as it is read and its parsed
 * documents let go; with `schemas`, each version's schema is then held there (a conversion of
 * thousands of CRDs holds them in a file, not the heap) and read from it each time it is read.
 *
 * @example
 * const { crds } = await loadCrds(['charts/*\/crds/*.yaml'], { cwd: process.cwd() })
 */
export async function loadCrds(
  patterns: readonly string[],
  options: {
    cwd: string
    limits?: Partial<CrdReadLimits> | undefined
    schemas?: SchemaHolder | undefined
  },
): Promise<LoadedCrds> {
  const seen = new Map<string, string>()
  const crds: CustomResourceDefinition[] = []
  const out: LoadedCrds = { crds, skipped: 0, files: [], hashes: new Map() }
  // The first document that fails, in document order; every later file is still read, so a read
  // or YAML error of any file is the one reported, as when all were read before any was validated.
  let failure: OpenApiError | undefined
  for await (const file of eachCrdFile(patterns, options)) {
    out.hashes.set(file.name, file.hash)
    out.files.push(file.name)
    out.skipped += file.skipped
    if (failure !== undefined) continue
    try {
      for (const document of file.documents) {
        const validated = validateCrd(document)
        const crd = options.schemas === undefined ? validated : heldIn(options.schemas, validated)
        // The held copy's names: a claim made of the parsed ones is a string built on slices of
        // the file's text, and `seen` keeps every claim to the end (every file's text, 250 MB
        // at 2,000 CRDs).
        claimCrd(crdClaims(crd), describeLocation(document.where), seen)
        crds.push(crd)
      }
    } catch (error) {
      if (!(error instanceof OpenApiError)) throw error
      failure = error
    }
  }
  if (failure !== undefined) throw failure
  out.files.sort()
  crds.sort((a, b) => (a.name < b.name ? -1 : 1))
  return out
}

/**
 * What a CRD claims that no other CRD may: its `metadata.name`, and its kind and list kind in its
 * group.
 *
 * @example
 * crdClaims(crd) // { name: 'widgets.example.dev', group: 'example.dev', kind: 'Widget', listKind: 'WidgetList' }
 */
export function crdClaims(crd: CustomResourceDefinition): CrdClaims {
  return { name: crd.name, group: crd.group, kind: crd.names.kind, listKind: crd.names.listKind }
}

/**
 * The names {@link claimCrd} checks.
 *
 * @example
 * const claims: CrdClaims = { name: 'widgets.example.dev', group: 'example.dev', kind: 'Widget', listKind: 'WidgetList' }
 */
export interface CrdClaims {
  name: string
  group: string
  kind: string
  listKind: string
}

/**
 * Records the claims of the CRD at `where` in `seen`, refusing one already made there with
 * `K8S_CODEGEN_OPENAPI_CRD_CONFLICT` naming both places (the apiserver's NamesAccepted condition
 * would be false for the second).
 *
 * @example
 * claimCrd(crdClaims(crd), 'crds/a.yaml document 0', seen)
 */
export function claimCrd(crd: CrdClaims, where: string, seen: Map<string, string>): void {
  for (const claim of [
    `CRD ${crd.name}`,
    `kind ${crd.kind} of group ${crd.group}`,
    `kind ${crd.listKind} of group ${crd.group}`,
  ]) {
    const first = seen.get(claim)
    if (first !== undefined) {
      throw new OpenApiError(
        'K8S_CODEGEN_OPENAPI_CRD_CONFLICT',
        `${where}: ${claim} is already defined by ${first}`,
      )
    }
    seen.set(claim, where)
  }
}

/**
 * Where {@link loadCrds} holds the schemas of the CRDs it returns: `hold` stores one and returns
 * how to read it back, a new copy at each call. JSON keeps every value a YAML core-schema
 * document holds as the converters print it (a non-finite number prints as null either way).
 *
 * @example
 * const inMemory: SchemaHolder = { hold: (schema) => () => structuredClone(schema) }
 */
export interface SchemaHolder {
  hold(schema: JsonObject): () => JsonObject
}

/**
 * `crd` with each version's schema held in `holder` and read back from it. The rest of the CRD
 * is copied through JSON too: a string the YAML parser cut from the file's text (a name, a kind)
 * is a slice that keeps the whole text alive, ~200 KB per CRD file.
 *
 * @example
 * const held = heldIn(new SchemaSpill(), validateCrd(document))
 */
export function heldIn(
  holder: SchemaHolder,
  crd: CustomResourceDefinition,
): CustomResourceDefinition {
  const reads: (() => JsonObject)[] = []
  const versions = crd.versions.map(({ schema, ...version }) => {
    reads.push(holder.hold(schema))
    return version
  })
  const copy = JSON.parse(JSON.stringify({ ...crd, versions })) as CustomResourceDefinition
  copy.versions.forEach((version, i) =>
    Object.defineProperty(version, 'schema', {
      enumerable: true,
      get: reads[i] as () => JsonObject,
    }),
  )
  return copy
}
