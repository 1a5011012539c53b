import { K8sCodegenError } from '@k8s-codegen/proxy-url'

/**
 * Stable codes of {@link OpenApiError}. The CLI maps them to exit codes; callers branch on them,
 * never on messages.
 *
 * | code | when |
 * |---|---|
 * | `K8S_CODEGEN_OPENAPI_NOT_SERVED` | the server answers 404 for `/openapi/v3` (with `--openapi v3`) or `/openapi/v2` |
 * | `K8S_CODEGEN_OPENAPI_ROOT_INVALID` | the `/openapi/v3` root is not JSON or not `{ paths: { key: { serverRelativeURL } } }` |
 * | `K8S_CODEGEN_OPENAPI_UNEXPECTED_STATUS` | a spec, root or discovery request answered a status the protocol does not allow |
 * | `K8S_CODEGEN_OPENAPI_HASH_MISMATCH` | the SHA-512 of the received bytes differs from the advertised hash (after one retry) |
 * | `K8S_CODEGEN_OPENAPI_DOCUMENT_INCOMPLETE` | a root, document or discovery body ended before its Content-Length (the connection's `K8S_CODEGEN_CLUSTER_BODY_INCOMPLETE`, after its retries) |
 * | `K8S_CODEGEN_OPENAPI_DOCUMENT_INVALID` | a group-version document or discovery list is not the JSON it must be |
 * | `K8S_CODEGEN_OPENAPI_HASH_STALE` | the hash of a group-version changed again after re-reading the root |
 * | `K8S_CODEGEN_OPENAPI_V2_INVALID` | a Swagger 2.0 document cannot be split into group-versions |
 * | `K8S_CODEGEN_OPENAPI_FILTER_INVALID` | an `--include`/`--exclude` pattern is not a `group/version` glob |
 * | `K8S_CODEGEN_OPENAPI_FILTER_UNMATCHED` | an `--include`/`--exclude` pattern matches no served (or locked) group-version; nothing is written |
 * | `K8S_CODEGEN_OPENAPI_NOTHING_SELECTED` | the filters (or the lockfile) leave no group-version to fetch or generate; nothing is written |
 * | `K8S_CODEGEN_OPENAPI_CRDS_FILTERED` | an `--exclude` pattern (given or recorded) would drop a group-version of a `--crds` set, which is always generated |
 * | `K8S_CODEGEN_OPENAPI_LOCKFILE_INVALID` | the lockfile is not a lockfile this version reads (malformed, or written by a newer version); it is not replaced |
 * | `K8S_CODEGEN_OPENAPI_LOCKFILE_CONFLICT` | the file at the lockfile's path is not a k8s-codegen lockfile (not JSON, or without `lockfileVersion` and `groupVersions`): it is never replaced |
 * | `K8S_CODEGEN_OPENAPI_SPECS_DIR_CONFLICT` | a file in `--specs-dir` where a document goes holds neither what the previous lockfile locked there nor a verified document of the cache: it is never replaced |
 * | `K8S_CODEGEN_OPENAPI_LOCKFILE_MISSING` | offline loading found no lockfile |
 * | `K8S_CODEGEN_OPENAPI_SPEC_MISSING` | offline loading found no copy of a locked document |
 * | `K8S_CODEGEN_OPENAPI_SPEC_TAMPERED` | offline loading read a document whose SHA-512 is not the locked one (the message names the file, the expected and the actual hash) |
 * | `K8S_CODEGEN_OPENAPI_WRITE_FAILED` | the cache, specs dir or lockfile cannot be written (permissions, disk full) |
 * | `K8S_CODEGEN_OPENAPI_CRD_MISSING` | a `--crds` path does not exist or a glob matches no file |
 * | `K8S_CODEGEN_OPENAPI_CRD_PATTERN_INVALID` | a `--crds` glob is malformed (an unclosed or reversed `[…]` class) |
 * | `K8S_CODEGEN_OPENAPI_CRD_INVALID` | a CRD file is not YAML/JSON, or a CRD breaks an apiextensions validation rule (names file, document index and rule) |
 * | `K8S_CODEGEN_OPENAPI_CRD_TOO_LARGE` | `--crds` input over a read limit (file bytes, total bytes, documents per file, a document's size with its aliases expanded); names file, document and limit |
 * | `K8S_CODEGEN_OPENAPI_CRD_CONFLICT` | two CRDs claim one name or kind, or a CRD is also served by the cluster (without `--crds-override`) |
 * | `K8S_CODEGEN_OPENAPI_BASE_INVALID` | the `--base` specs lack a schema CRD documents reference |
 */
export type OpenApiErrorCode =
  | 'K8S_CODEGEN_OPENAPI_NOT_SERVED'
  | 'K8S_CODEGEN_OPENAPI_ROOT_INVALID'
  | 'K8S_CODEGEN_OPENAPI_UNEXPECTED_STATUS'
  | 'K8S_CODEGEN_OPENAPI_HASH_MISMATCH'
  | 'K8S_CODEGEN_OPENAPI_DOCUMENT_INCOMPLETE'
  | 'K8S_CODEGEN_OPENAPI_DOCUMENT_INVALID'
  | 'K8S_CODEGEN_OPENAPI_HASH_STALE'
  | 'K8S_CODEGEN_OPENAPI_V2_INVALID'
  | 'K8S_CODEGEN_OPENAPI_FILTER_INVALID'
  | 'K8S_CODEGEN_OPENAPI_FILTER_UNMATCHED'
  | 'K8S_CODEGEN_OPENAPI_NOTHING_SELECTED'
  | 'K8S_CODEGEN_OPENAPI_CRDS_FILTERED'
  | 'K8S_CODEGEN_OPENAPI_LOCKFILE_INVALID'
  | 'K8S_CODEGEN_OPENAPI_LOCKFILE_CONFLICT'
  | 'K8S_CODEGEN_OPENAPI_SPECS_DIR_CONFLICT'
  | 'K8S_CODEGEN_OPENAPI_LOCKFILE_MISSING'
  | 'K8S_CODEGEN_OPENAPI_SPEC_MISSING'
  | 'K8S_CODEGEN_OPENAPI_SPEC_TAMPERED'
  | 'K8S_CODEGEN_OPENAPI_WRITE_FAILED'
  | 'K8S_CODEGEN_OPENAPI_CRD_MISSING'
  | 'K8S_CODEGEN_OPENAPI_CRD_PATTERN_INVALID'
  | 'K8S_CODEGEN_OPENAPI_CRD_INVALID'
  | 'K8S_CODEGEN_OPENAPI_CRD_TOO_LARGE'
  | 'K8S_CODEGEN_OPENAPI_CRD_CONFLICT'
  | 'K8S_CODEGEN_OPENAPI_BASE_INVALID'

/**
 * Error thrown by `@k8s-codegen/openapi`; `code` is one of {@link OpenApiErrorCode}.
 *
 * @example
 * try {
 *   await loadSpecSet({ lockfile: 'k8s-codegen.lock.json' })
 * } catch (error) {
 *   if (error instanceof OpenApiError && error.code === 'K8S_CODEGEN_OPENAPI_LOCKFILE_MISSING') {
 *     // run `k8s-codegen fetch` first
 *   }
 * }
 */
export class OpenApiError extends K8sCodegenError<OpenApiErrorCode> {}
