// The built-in group-versions' documents shipped with the tool, per Kubernetes version: what
// `validate` falls back to when neither a lockfile nor `--specs-dir` holds a built-in
// group-version (kubectl-validate's `--version`, pkg/openapiclient hardcoded_builtins.go). This
// build ships none: every Kubernetes version is unknown until a package of shipped schemas is
// connected here, and the error says what to give instead.
import type { OpenApiDocument } from '@k8s-codegen/validation'

import { CliError } from './errors.js'

/**
 * The documents of one Kubernetes version's built-in group-versions, by key (`api/v1`,
 * `apis/apps/v1`).
 *
 * @example
 * const doc = await (await loadBuiltInSchemas('1.37')).documentFor('apis/apps/v1')
 */
export interface BuiltInSchemas {
  kubeVersion: string
  documentFor(key: string): Promise<OpenApiDocument | undefined>
}

/**
 * The Kubernetes versions (`<major>.<minor>`) whose built-in schemas ship with this build, newest
 * first.
 *
 * @example
 * SHIPPED_KUBE_VERSIONS[0] // the default of --kube-version, when any ships
 */
export const SHIPPED_KUBE_VERSIONS: readonly string[] = []

/**
 * The built-in schemas shipped for `kubeVersion`; one that is not shipped is
 * `K8S_CODEGEN_CLI_KUBE_VERSION_UNKNOWN`, naming the versions that are and what to give instead.
 *
 * @example
 * await loadBuiltInSchemas('1.99') // throws K8S_CODEGEN_CLI_KUBE_VERSION_UNKNOWN
 */
export function loadBuiltInSchemas(kubeVersion: string): Promise<BuiltInSchemas> {
  const shipped = SHIPPED_KUBE_VERSIONS.length === 0 ? 'none' : SHIPPED_KUBE_VERSIONS.join(', ')
  return Promise.reject(
    new CliError(
      'K8S_CODEGEN_CLI_KUBE_VERSION_UNKNOWN',
      `--kube-version ${kubeVersion}: no built-in schemas ship for it (shipped: ${shipped}); give --specs-dir with the /openapi/v3 documents of a server of that version, or a lockfile from 'k8s-codegen fetch'`,
    ),
  )
}
