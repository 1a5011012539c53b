import { OpenApiError } from '../errors.js'
import type { CrdReadLimits } from './read-limits.js'
import { describeLocation, readCrdFiles } from './read.js'
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
 * for the second). Sorted by name.
 *
 * @example
 * const { crds } = await loadCrds(['charts/*\/crds/*.yaml'], { cwd: process.cwd() })
 */
export async function loadCrds(
  patterns: readonly string[],
  options: { cwd: string; limits?: Partial<CrdReadLimits> | undefined },
): Promise<LoadedCrds> {
  const read = await readCrdFiles(patterns, options)
  const seen = new Map<string, string>()
  const crds: CustomResourceDefinition[] = []
  for (const document of read.documents) {
    const crd = validateCrd(document)
    const where = describeLocation(document.where)
    for (const claim of [
      `CRD ${crd.name}`,
      `kind ${crd.names.kind} of group ${crd.group}`,
      `kind ${crd.names.listKind} of group ${crd.group}`,
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
    crds.push(crd)
  }
  crds.sort((a, b) => (a.name < b.name ? -1 : 1))
  return { crds, skipped: read.skipped, files: read.files, hashes: read.hashes }
}
