// The built-in group-versions' documents shipped with the tool (@k8s-codegen/kube-schemas): what
// `validate` falls back to when neither a lockfile nor `--specs-dir` holds a built-in
// group-version (kubectl-validate's `--version`, pkg/openapiclient hardcoded_builtins.go). The
// package reads its gzipped files relative to its own module, so it stays outside the bundle and
// is imported only here, on first use.
import { isK8sCodegenError } from '@k8s-codegen/proxy-url'
import type { OpenApiDocument } from '@k8s-codegen/validation'

import { CliError } from './errors.js'

/**
 * The documents of one Kubernetes version's built-in group-versions, by key (`api/v1`,
 * `apis/apps/v1`).
 *
 * @example
 * const doc = (await loadBuiltInSchemas('1.37')).documentFor('apis/apps/v1')
 */
export interface BuiltInSchemas {
  /** The minor the documents are of (`1.37`), as `--kube-version` names it. */
  kubeVersion: string
  /** The patch release they were taken from (`1.37.2`). */
  release: string
  documentFor(key: string): OpenApiDocument | undefined
}

/**
 * The built-in schemas shipped for `kubeVersion` (`1.37`, `v1.37`, `1.37.2`), or for the newest
 * shipped version when it is undefined. A version that is not shipped is
 * `K8S_CODEGEN_CLI_KUBE_VERSION_UNKNOWN`, naming the versions that are and what to give instead;
 * a damaged install is `K8S_CODEGEN_KUBE_SCHEMAS_DAMAGED`, naming the file.
 *
 * @example
 * (await loadBuiltInSchemas(undefined)).kubeVersion // '1.37', the newest shipped
 * await loadBuiltInSchemas('1.99') // throws K8S_CODEGEN_CLI_KUBE_VERSION_UNKNOWN
 */
export async function loadBuiltInSchemas(kubeVersion: string | undefined): Promise<BuiltInSchemas> {
  const [{ defaultKubeVersion, describeKubeVersion, kubeVersions, loadBuiltInDocument }, openapi] =
    await Promise.all([import('@k8s-codegen/kube-schemas'), import('@k8s-codegen/openapi')])
  let release
  try {
    release = describeKubeVersion(kubeVersion ?? defaultKubeVersion())
  } catch (error) {
    if (!isK8sCodegenError(error) || error.code !== 'K8S_CODEGEN_KUBE_SCHEMAS_UNKNOWN_VERSION')
      throw error
    const shipped = [...kubeVersions()].reverse().join(', ')
    throw new CliError(
      'K8S_CODEGEN_CLI_KUBE_VERSION_UNKNOWN',
      `--kube-version ${kubeVersion ?? ''}: no built-in schemas ship for it (shipped: ${shipped}); give --specs-dir with the /openapi/v3 documents of a server of that version, or a lockfile from 'k8s-codegen fetch'`,
      { cause: error },
    )
  }
  const minor = release.kubeVersion
  return {
    kubeVersion: minor,
    release: release.release,
    // The package names a group-version as apiVersion spells it (`v1`, `apps/v1`).
    documentFor: (key) => {
      const gv = openapi.parseGroupVersionKey(key)
      if (gv === undefined) return undefined
      return loadBuiltInDocument(minor, gv.group === '' ? gv.version : `${gv.group}/${gv.version}`)
    },
  }
}
