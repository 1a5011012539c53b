import { K8sCodegenError } from '@k8s-codegen/proxy-url'

/**
 * Stable codes of {@link KubeSchemasError}.
 *
 * @example
 * const code: KubeSchemasErrorCode = 'K8S_CODEGEN_KUBE_SCHEMAS_UNKNOWN_VERSION'
 */
export type KubeSchemasErrorCode =
  /** A Kubernetes version no schemas are shipped for; the message lists the shipped ones. */
  | 'K8S_CODEGEN_KUBE_SCHEMAS_UNKNOWN_VERSION'
  /** A shipped document that is missing or unreadable: the installed package is damaged. */
  | 'K8S_CODEGEN_KUBE_SCHEMAS_DAMAGED'

/**
 * Thrown for a `--kube-version` that is not shipped, or a damaged install.
 *
 * @example
 * try {
 *   loadBuiltInDocument('1.20', 'v1')
 * } catch (error) {
 *   if (error instanceof KubeSchemasError) error.code // 'K8S_CODEGEN_KUBE_SCHEMAS_UNKNOWN_VERSION'
 * }
 */
export class KubeSchemasError extends K8sCodegenError<KubeSchemasErrorCode> {}
