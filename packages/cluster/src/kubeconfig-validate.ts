// Validation of the chosen cluster and user, reproducing client-go
// `tools/clientcmd/validation.go` (`validateClusterInfo`, `validateAuthInfo`), the exec checks of
// `plugin/pkg/client/auth/exec/exec.go` (`newAuthenticator`) and the TLS rule of
// `transport/transport.go` (`TLSConfigFor`: a CA together with insecure is not allowed).
// Unlike client-go, every message names the file that defined the entry.
import { ClusterError } from './errors.js'
import type { Selection } from './overrides.js'

const EXEC_API_VERSIONS = [
  'client.authentication.k8s.io/v1',
  'client.authentication.k8s.io/v1beta1',
]
const INTERACTIVE_MODES = ['Never', 'IfAvailable', 'Always']
const PROXY_SCHEMES = ['http:', 'https:', 'socks5:']

/** Throws one CONFIG_INVALID error listing every rule the chosen cluster and user break. */
export function validateSelection(selection: Selection): void {
  const problems = [...clusterProblems(selection), ...userProblems(selection)]
  if (problems.length > 0) {
    throw new ClusterError(
      'K8S_CODEGEN_CLUSTER_CONFIG_INVALID',
      `invalid kubeconfig: ${problems.join('; ')}`,
    )
  }
}

function clusterProblems({ cluster, clusterName, clusterFile }: Selection): string[] {
  const at =
    clusterName === undefined
      ? 'the cluster given by flags'
      : `cluster "${clusterName}"${clusterFile === undefined ? '' : ` in ${clusterFile}`}`
  const field = (name: string) => `${at}: field ${name}`
  const problems: string[] = []
  if (cluster.server === undefined || cluster.server === '') {
    problems.push(`${at} has no server (field server); set it or pass --server`)
  } else if (!isServerUrl(cluster.server)) {
    problems.push(`${field('server')} "${cluster.server}" is not an http(s) URL with a host`)
  }
  if (cluster.proxyUrl !== undefined && cluster.proxyUrl !== '') {
    let scheme: string | undefined
    try {
      scheme = new URL(cluster.proxyUrl).protocol
    } catch {
      problems.push(`${field('proxy-url')} is not a URL`)
    }
    if (scheme !== undefined && !PROXY_SCHEMES.includes(scheme)) {
      problems.push(
        `${field('proxy-url')} has scheme "${scheme.slice(0, -1)}"; it must be http, https or socks5`,
      )
    }
  }
  const hasCaFile =
    cluster.certificateAuthority !== undefined && cluster.certificateAuthority !== ''
  const hasCaData = cluster.certificateAuthorityData !== undefined
  if (hasCaFile && hasCaData) {
    problems.push(
      `${at}: certificate-authority and certificate-authority-data are both set; set only one`,
    )
  }
  if (cluster.insecureSkipTlsVerify === true && (hasCaFile || hasCaData)) {
    problems.push(
      `${at}: insecure-skip-tls-verify is set together with a certificate authority; a CA cannot be combined with skipping verification`,
    )
  }
  return problems
}

function userProblems({ user, userName, userFile }: Selection): string[] {
  const at =
    userName === undefined
      ? 'the user given by flags'
      : `user "${userName}"${userFile === undefined ? '' : ` in ${userFile}`}`
  const problems: string[] = []
  const set = (value: string | Uint8Array | undefined) => value !== undefined && value.length > 0
  if (set(user.token) && (set(user.username) || set(user.password))) {
    problems.push(
      `${at}: token and username/password are both set; only one authentication method is allowed`,
    )
  }
  if (set(user.clientCertificate) || set(user.clientCertificateData)) {
    if (set(user.clientCertificate) && set(user.clientCertificateData)) {
      problems.push(
        `${at}: client-certificate and client-certificate-data are both set; set only one`,
      )
    }
    if (set(user.clientKey) && set(user.clientKeyData)) {
      problems.push(`${at}: client-key and client-key-data are both set; set only one`)
    }
    if (!set(user.clientKey) && !set(user.clientKeyData)) {
      problems.push(`${at}: client-certificate is set without client-key or client-key-data`)
    }
  }
  if (user.exec !== undefined) {
    const exec = user.exec
    if (user.authProvider !== undefined) {
      problems.push(`${at}: exec and auth-provider are both set; use only one`)
    }
    if (exec.command === '') problems.push(`${at}: field exec.command must be set`)
    if (exec.apiVersion === '') {
      problems.push(`${at}: field exec.apiVersion must be set`)
    } else if (!EXEC_API_VERSIONS.includes(exec.apiVersion)) {
      problems.push(
        `${at}: field exec.apiVersion "${exec.apiVersion}" is not supported; use ${EXEC_API_VERSIONS.join(' or ')}`,
      )
    }
    exec.env.forEach((entry, i) => {
      if (entry.name === '') problems.push(`${at}: field exec.env[${i}].name must be set`)
    })
    // api/v1/defaults.go defaults interactiveMode to IfAvailable for v1beta1 only; v1 must say.
    const mode = exec.interactiveMode
    if (mode === undefined) {
      if (exec.apiVersion === 'client.authentication.k8s.io/v1') {
        problems.push(
          `${at}: field exec.interactiveMode must be set for client.authentication.k8s.io/v1 (Never, IfAvailable or Always)`,
        )
      }
    } else if (!INTERACTIVE_MODES.includes(mode)) {
      problems.push(
        `${at}: field exec.interactiveMode "${mode}" must be Never, IfAvailable or Always`,
      )
    }
  }
  return problems
}

/**
 * An http(s) URL with a host, as client-go `rest.DefaultServerURL` accepts after defaulting, whose
 * host is a DNS name or an IP address. WHATWG URL parsing accepts hosts such as `ht!tp` (from
 * `--server 'ht!tp://x'`, defaulted to `http://ht!tp://x`) that no resolver can answer: that is
 * a typo in a flag (exit 1), not an unreachable server.
 */
export function isServerUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return (
      (url.protocol === 'https:' || url.protocol === 'http:') &&
      (/^[a-z0-9]([-a-z0-9._]*[a-z0-9_])?$/.test(url.hostname) ||
        /^\[[0-9a-f:.]+\]$/.test(url.hostname))
    )
  } catch {
    return false
  }
}
