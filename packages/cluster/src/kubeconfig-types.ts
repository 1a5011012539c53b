// The kubeconfig shape as client-go `tools/clientcmd/api/v1/types.go` defines it, after decoding:
// `*-data` fields are decoded from base64 (Go decodes []byte fields at unmarshal time) and every
// entry remembers the file that defined it (client-go's `LocationOfOrigin`).

/** A `clusters[].cluster` entry. */
export interface KubeconfigCluster {
  server?: string
  certificateAuthority?: string
  certificateAuthorityData?: Uint8Array
  insecureSkipTlsVerify?: boolean
  tlsServerName?: string
  proxyUrl?: string
  disableCompression?: boolean
  /** `extensions[name=client.authentication.k8s.io/exec].extension`, passed to exec plugins. */
  execExtension?: unknown
}

/**
 * A `users[].user.exec` entry (client-go `clientcmd/api/v1` ExecConfig). A `command` containing a
 * path separator is already resolved against the kubeconfig's directory.
 *
 * @example
 * const exec: KubeconfigExec = { command: 'aws', args: ['eks', 'get-token'], env: [], apiVersion: 'client.authentication.k8s.io/v1beta1', provideClusterInfo: false }
 */
export interface KubeconfigExec {
  command: string
  args: string[]
  env: { name: string; value: string }[]
  apiVersion: string
  installHint?: string
  provideClusterInfo: boolean
  interactiveMode?: string
}

/**
 * A `users[].user.auth-provider` entry; only `oidc` (its `id-token`) is supported.
 *
 * @example
 * const provider: KubeconfigAuthProvider = { name: 'oidc', config: { 'id-token': '…' } }
 */
export interface KubeconfigAuthProvider {
  name: string
  config: Record<string, string>
}

/** A `users[].user` entry. */
export interface KubeconfigUser {
  clientCertificate?: string
  clientCertificateData?: Uint8Array
  clientKey?: string
  clientKeyData?: Uint8Array
  token?: string
  tokenFile?: string
  username?: string
  password?: string
  authProvider?: KubeconfigAuthProvider
  exec?: KubeconfigExec
}

/** A `contexts[].context` entry. */
export interface KubeconfigContext {
  cluster?: string
  user?: string
  namespace?: string
}

/** A named entry and the file that defined it. */
export interface Sourced<T> {
  name: string
  file: string
  value: T
}

/** One parsed kubeconfig file. */
export interface KubeconfigFile {
  path: string
  currentContext?: string
  clusters: Sourced<KubeconfigCluster>[]
  users: Sourced<KubeconfigUser>[]
  contexts: Sourced<KubeconfigContext>[]
}

/** Several files merged with client-go's rules. */
export interface MergedKubeconfig {
  files: string[]
  currentContext?: { name: string; file: string }
  clusters: Map<string, Sourced<KubeconfigCluster>>
  users: Map<string, Sourced<KubeconfigUser>>
  contexts: Map<string, Sourced<KubeconfigContext>>
}
