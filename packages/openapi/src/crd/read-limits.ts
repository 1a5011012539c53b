// The bounds on `--crds` input, each enforced while reading (never after the whole input is in
// memory): bytes per file and in all, documents per file, and a document's size once its YAML
// aliases are expanded.
import { OpenApiError } from '../errors.js'

/**
 * Bounds on the CRD files one run reads. A file, document or set of files over one is refused
 * with `K8S_CODEGEN_OPENAPI_CRD_TOO_LARGE` naming the file, the document and the limit.
 *
 * @example
 * const limits: CrdReadLimits = { ...DEFAULT_CRD_READ_LIMITS, fileBytes: 8 * 1024 * 1024 }
 */
export interface CrdReadLimits {
  /** Bytes of one file, counted as it streams in (`/dev/zero` stops here). */
  fileBytes: number
  /** Bytes of every file of the run together. */
  totalBytes: number
  /** Documents of one file, counted while splitting it at `---` lines. */
  documents: number
  /** One document's parsed value as JSON bytes, each alias expanded where it is used. */
  expandedBytes: number
}

/**
 * The default bounds: 32 MiB per file (the apiserver takes 3 MiB per request; bundles of many CRDs
 * are larger), 1 GiB in all (2,000 real-shaped CRDs are about 420 MB of YAML), 10,000 documents
 * per file, and 64 MiB per expanded document (the default `--max-document-bytes`).
 *
 * @example
 * DEFAULT_CRD_READ_LIMITS.fileBytes // 33554432
 */
export const DEFAULT_CRD_READ_LIMITS: Readonly<CrdReadLimits> = Object.freeze({
  fileBytes: 32 * 1024 * 1024,
  totalBytes: 1024 * 1024 * 1024,
  documents: 10_000,
  expandedBytes: 64 * 1024 * 1024,
})

/** The flag (and config key) that raises each limit, for messages. */
const FLAG: Record<keyof CrdReadLimits, string> = {
  fileBytes: '--max-crd-file-bytes',
  totalBytes: '--max-crd-total-bytes',
  documents: '--max-crd-documents',
  expandedBytes: '--max-crd-expanded-bytes',
}

/**
 * The refusal of input over `limit`: `where` names the file (and document), `what` the rule.
 *
 * @example
 * throw overLimit('crds/a.yaml', 'fileBytes', limits)
 */
export function overLimit(
  where: string,
  limit: keyof CrdReadLimits,
  limits: CrdReadLimits,
): OpenApiError {
  const value = limits[limit]
  const rule = {
    fileBytes: `larger than ${value} bytes`,
    totalBytes: `the CRD files read so far are larger than ${value} bytes in all`,
    documents: `more than ${value} documents in one file`,
    expandedBytes: `larger than ${value} bytes as JSON once its aliases are expanded`,
  }[limit]
  return new OpenApiError(
    'K8S_CODEGEN_OPENAPI_CRD_TOO_LARGE',
    `${where}: ${rule} (raise the limit with ${FLAG[limit]})`,
  )
}
