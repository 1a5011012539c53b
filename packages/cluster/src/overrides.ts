// Choosing the context, cluster and user and applying kubectl's override flags, reproducing
// client-go `tools/clientcmd/client_config.go` (`DirectClientConfig.getContext`, `getCluster`,
// `getAuthInfo`, `getContextName`, `getClusterName`, `getAuthInfoName`).
import { ClusterError } from './errors.js'
import type {
  KubeconfigCluster,
  KubeconfigContext,
  KubeconfigUser,
  MergedKubeconfig,
  Sourced,
} from './kubeconfig-types.js'

/**
 * kubectl's connection flags. Empty strings count as "not given", like kubectl's flag defaults.
 *
 * @example
 * const overrides: ConnectionOverrides = { context: 'kind-dev', namespace: 'tools' }
 */
export interface ConnectionOverrides {
  /** `--context` */
  context?: string
  /** `--cluster` */
  cluster?: string
  /** `--user` */
  user?: string
  /** `--server`; also clears the cluster's `tls-server-name` unless `tlsServerName` is given */
  server?: string
  /** `--token`; clears the user's `tokenFile` */
  token?: string
  /** `--certificate-authority`; replaces the cluster's CA and insecure flag */
  certificateAuthority?: string
  /** `--insecure-skip-tls-verify`; replaces the cluster's CA and insecure flag */
  insecureSkipTlsVerify?: boolean
  /** `--tls-server-name` */
  tlsServerName?: string
  /** `--namespace` */
  namespace?: string
  /** `--client-certificate`: replaces the user's client certificate (file and data) */
  clientCertificate?: string
  /** `--client-key`: replaces the user's client key (file and data) */
  clientKey?: string
  /** `--as`: impersonate this user */
  as?: string
  /** `--as-uid` (with `as`) */
  asUid?: string
  /** `--as-group`, repeatable (with `as`) */
  asGroups?: string[]
}

/** The entries chosen for a connection, with overrides applied. */
export interface Selection {
  context?: Sourced<KubeconfigContext>
  clusterName?: string
  clusterFile?: string
  cluster: KubeconfigCluster
  userName?: string
  userFile?: string
  user: KubeconfigUser
  namespace: string
}

const given = (value: string | undefined): value is string => value !== undefined && value !== ''

/** Picks context, cluster and user from merged kubeconfig files and applies the overrides. */
export function selectEntries(merged: MergedKubeconfig, overrides: ConnectionOverrides): Selection {
  const where = describeFiles(merged.files)

  // getContextName: --context, else current-context.
  let context: Sourced<KubeconfigContext> | undefined
  if (given(overrides.context)) {
    context = merged.contexts.get(overrides.context)
    if (context === undefined) {
      throw notFound('CONTEXT', 'context', overrides.context, '--context', merged.contexts, where)
    }
  } else if (merged.currentContext !== undefined) {
    context = merged.contexts.get(merged.currentContext.name)
    if (context === undefined) {
      throw notFound(
        'CONTEXT',
        'context',
        merged.currentContext.name,
        `current-context in ${merged.currentContext.file}`,
        merged.contexts,
        where,
      )
    }
  } else if (!given(overrides.server)) {
    // client-go would silently fall back to http://localhost:8080 here; we refuse to guess.
    const names = listNames(merged.contexts)
    throw new ClusterError(
      'K8S_CODEGEN_CLUSTER_CONFIG_CONTEXT_NOT_FOUND',
      `no current-context is set in ${where} and no --context was given; pass --context (available contexts: ${names})`,
    )
  }

  // getClusterName / getAuthInfoName: the flag wins over the context's field.
  const clusterName = given(overrides.cluster) ? overrides.cluster : context?.value.cluster
  let clusterEntry: Sourced<KubeconfigCluster> | undefined
  if (given(clusterName)) {
    clusterEntry = merged.clusters.get(clusterName)
    if (clusterEntry === undefined) {
      const via = given(overrides.cluster) ? '--cluster' : `context "${context?.name ?? ''}"`
      throw notFound('CLUSTER', 'cluster', clusterName, via, merged.clusters, where)
    }
  }
  const userName = given(overrides.user) ? overrides.user : context?.value.user
  let userEntry: Sourced<KubeconfigUser> | undefined
  if (given(userName)) {
    userEntry = merged.users.get(userName)
    if (userEntry === undefined) {
      const via = given(overrides.user) ? '--user' : `context "${context?.name ?? ''}"`
      throw notFound('USER', 'user', userName, via, merged.users, where)
    }
  }

  const cluster = applyClusterOverrides(clusterEntry?.value ?? {}, overrides)
  const user: KubeconfigUser = { ...userEntry?.value }
  if (given(overrides.token)) {
    // --token replaces the user's token and makes tokenFile irrelevant.
    user.token = overrides.token
    delete user.tokenFile
  }
  // getAuthInfo: a flag's certificate or key replaces both the file and the inline data, so the
  // kubeconfig's data cannot conflict with it ("client-cert-data and client-cert are both specified").
  if (given(overrides.clientCertificate)) {
    user.clientCertificate = overrides.clientCertificate
    delete user.clientCertificateData
  }
  if (given(overrides.clientKey)) {
    user.clientKey = overrides.clientKey
    delete user.clientKeyData
  }

  const selection: Selection = {
    cluster,
    user,
    namespace: given(overrides.namespace)
      ? overrides.namespace
      : given(context?.value.namespace)
        ? context.value.namespace
        : 'default',
  }
  if (context !== undefined) selection.context = context
  if (given(clusterName)) selection.clusterName = clusterName
  if (clusterEntry !== undefined) selection.clusterFile = clusterEntry.file
  if (given(userName)) selection.userName = userName
  if (userEntry !== undefined) selection.userFile = userEntry.file
  return selection
}

/**
 * The cluster part of `DirectClientConfig.getCluster`: --server replaces the server and the
 * tls-server-name (with --tls-server-name's value, possibly none); --certificate-authority or
 * --insecure-skip-tls-verify replace the whole CA / insecure pair.
 */
export function applyClusterOverrides(
  base: KubeconfigCluster,
  overrides: ConnectionOverrides,
): KubeconfigCluster {
  const cluster: KubeconfigCluster = { ...base }
  if (given(overrides.server)) cluster.server = overrides.server
  if (given(overrides.certificateAuthority) || overrides.insecureSkipTlsVerify === true) {
    delete cluster.certificateAuthorityData
    delete cluster.certificateAuthority
    cluster.insecureSkipTlsVerify = overrides.insecureSkipTlsVerify === true
    if (given(overrides.certificateAuthority)) {
      cluster.certificateAuthority = overrides.certificateAuthority
    }
  }
  if (given(overrides.tlsServerName) || given(overrides.server)) {
    delete cluster.tlsServerName
    if (given(overrides.tlsServerName)) cluster.tlsServerName = overrides.tlsServerName
  }
  return cluster
}

function notFound(
  kind: 'CONTEXT' | 'CLUSTER' | 'USER',
  noun: string,
  name: string,
  via: string,
  existing: Map<string, unknown>,
  where: string,
): ClusterError {
  return new ClusterError(
    `K8S_CODEGEN_CLUSTER_CONFIG_${kind}_NOT_FOUND`,
    `${noun} "${name}" (from ${via}) does not exist in ${where}; available ${noun}s: ${listNames(existing)}`,
  )
}

function listNames(map: Map<string, unknown>): string {
  return map.size === 0 ? '(none)' : [...map.keys()].sort().join(', ')
}

/** "kubeconfig file a" / "kubeconfig files a, b" / "an empty kubeconfig" for messages. */
export function describeFiles(files: readonly string[]): string {
  if (files.length === 0) return 'the kubeconfig (no kubeconfig file was found)'
  return files.length === 1 ? `kubeconfig file ${files[0]}` : `kubeconfig files ${files.join(', ')}`
}
