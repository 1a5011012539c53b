import { K8sCodegenError } from '@k8s-codegen/proxy-url'

/**
 * Stable codes of {@link CodegenError}.
 *
 * | code | rule that failed |
 * |---|---|
 * | `K8S_CODEGEN_CODEGEN_INVALID_DOCUMENT` | a group-version document is not an OpenAPI 3 object with `components.schemas` |
 * | `K8S_CODEGEN_CODEGEN_UNRESOLVED_REF` | a `$ref` names a schema that no input document defines |
 * | `K8S_CODEGEN_CODEGEN_NAME_CONFLICT` | two schemas would be exported under one name in one module |
 * | `K8S_CODEGEN_CODEGEN_FIXUP_STALE` | a declared upstream-spec fixup no longer matches the spec it patches |
 * | `K8S_CODEGEN_CODEGEN_INVALID_OPTIONS` | an `include`/`exclude` pattern is malformed |
 */
export type CodegenErrorCode =
  | 'K8S_CODEGEN_CODEGEN_INVALID_DOCUMENT'
  | 'K8S_CODEGEN_CODEGEN_UNRESOLVED_REF'
  | 'K8S_CODEGEN_CODEGEN_NAME_CONFLICT'
  | 'K8S_CODEGEN_CODEGEN_FIXUP_STALE'
  | 'K8S_CODEGEN_CODEGEN_INVALID_OPTIONS'

/**
 * Error thrown by {@link generate} when its input cannot be turned into correct TypeScript.
 *
 * @example
 * try {
 *   await generate(input)
 * } catch (error) {
 *   if (error instanceof CodegenError && error.code === 'K8S_CODEGEN_CODEGEN_UNRESOLVED_REF') {
 *     console.error(error.message)
 *   }
 * }
 */
export class CodegenError extends K8sCodegenError<CodegenErrorCode> {}
