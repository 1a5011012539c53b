// In-cluster configuration, reproducing client-go `rest/config.go` (`InClusterConfig`) and
// `tools/clientcmd/client_config.go` (`inClusterClientConfig.Possible`, `.Namespace`).
import { readFile, stat } from 'node:fs/promises'
import { isIPv6 } from 'node:net'
import path from 'node:path'

/** The service account directory every pod gets mounted. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount'

/** What a pod's environment and service account directory give us. */
export interface InClusterConfig {
  server: string
  tokenFile: string
  /** ca.crt path when it holds a certificate; otherwise the system roots are used (client-go logs) */
  caFile?: string
  namespace: string
}

/**
 * `Possible()`: KUBERNETES_SERVICE_HOST and _PORT are set and the token file exists. Returns the
 * config, or undefined when we are not in a pod.
 */
export async function detectInCluster(
  env: Record<string, string | undefined>,
  dir: string = SERVICE_ACCOUNT_DIR,
  onWarning?: (message: string) => void,
): Promise<InClusterConfig | undefined> {
  const host = env['KUBERNETES_SERVICE_HOST']
  const port = env['KUBERNETES_SERVICE_PORT']
  if (host === undefined || host === '' || port === undefined || port === '') return undefined
  const tokenFile = path.join(dir, 'token')
  try {
    await stat(tokenFile)
  } catch {
    return undefined
  }
  // net.JoinHostPort: IPv6 literals get brackets.
  const hostPort = isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`
  const config: InClusterConfig = {
    server: `https://${hostPort}`,
    tokenFile,
    namespace: await inClusterNamespace(env, dir),
  }
  const caFile = path.join(dir, 'ca.crt')
  try {
    const pem = await readFile(caFile, 'utf8')
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new Error('no PEM certificate in it')
    config.caFile = caFile
  } catch (error) {
    onWarning?.(
      `in-cluster CA ${caFile} could not be loaded (${(error as Error).message}); using the system certificate authorities`,
    )
  }
  return config
}

// inClusterClientConfig.Namespace: POD_NAMESPACE, then the trimmed namespace file, then "default".
async function inClusterNamespace(
  env: Record<string, string | undefined>,
  dir: string,
): Promise<string> {
  const fromEnv = env['POD_NAMESPACE']
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv
  try {
    const fromFile = (await readFile(path.join(dir, 'namespace'), 'utf8')).trim()
    if (fromFile !== '') return fromFile
  } catch {
    // absent namespace file: fall through to the default, as client-go does
  }
  return 'default'
}
