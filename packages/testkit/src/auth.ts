import { timingSafeEqual } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import type { IncomingMessage } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TLSSocket } from 'node:tls'
import type { KeyPairPem } from './certificates.js'
import { TestkitError } from './errors.js'

/** How one server authenticates: a bearer token, client certificates, anonymous access. */
export interface AuthConfig {
  token: string | undefined
  clientCert: boolean
  anonymous: boolean
}

/**
 * kube-apiserver authenticates with a union of x509 and token authenticators (any success
 * wins), wrapped so anonymous applies only when none of them failed with an error
 * (apiserver `pkg/authentication/request/union`, kubernetes `pkg/kubeapiserver/authenticator/
 * config.go`). bearertoken.go ignores a missing, non-Bearer or empty token, but turns an
 * unknown one into an error, so a wrong token is 401 even with anonymous access on.
 */
export function authenticated(req: IncomingMessage, auth: AuthConfig): boolean {
  if (auth.clientCert && (req.socket as TLSSocket).authorized) return true
  const parts = (req.headers.authorization ?? '').trim().split(' ')
  const bearer = parts[0]?.toLowerCase() === 'bearer' ? parts[1] : undefined
  if (bearer !== undefined && bearer !== '' && auth.token !== undefined) {
    const given = Buffer.from(bearer)
    const expected = Buffer.from(auth.token)
    return given.length === expected.length && timingSafeEqual(given, expected)
  }
  return auth.anonymous
}

/** A kubeconfig (as JSON, which is YAML) for one server and one way to authenticate. */
export function renderKubeconfig(
  server: string,
  caPem: string | undefined,
  mode: 'token' | 'clientCert' | 'none',
  token: string | undefined,
  client: KeyPairPem | undefined,
): string {
  const cluster: Record<string, string> = { server }
  if (caPem !== undefined)
    cluster['certificate-authority-data'] = Buffer.from(caPem).toString('base64')
  const user: Record<string, string> = {}
  if (mode === 'token' && token !== undefined) user['token'] = token
  if (mode === 'clientCert' && client !== undefined) {
    user['client-certificate-data'] = Buffer.from(client.certPem).toString('base64')
    user['client-key-data'] = Buffer.from(client.keyPem).toString('base64')
  }
  // JSON is YAML: kubectl, client-go and @kubernetes/client-node read it as a kubeconfig.
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'k8s-emulator', cluster }],
    users: [{ name: 'k8s-emulator', user }],
    contexts: [
      { name: 'k8s-emulator', context: { cluster: 'k8s-emulator', user: 'k8s-emulator' } },
    ],
    'current-context': 'k8s-emulator',
    preferences: {},
  }
  return JSON.stringify(config, null, 2) + '\n'
}

/**
 * Writes a kubeconfig (mode 0600) to `path`, or into a new temporary directory (named with
 * `prefix`) that is pushed onto `tempDirs` for the server's `close()` to remove; resolves with
 * the path, rejects with `K8S_CODEGEN_TESTKIT_OPTION_INVALID` when it cannot be written.
 */
export function writeKubeconfig(
  path: string | undefined,
  text: string,
  tempDirs: string[],
  prefix: string,
): Promise<string> {
  let target = path
  if (target === undefined) {
    const dir = mkdtempSync(join(tmpdir(), prefix))
    tempDirs.push(dir)
    target = join(dir, 'kubeconfig')
  }
  try {
    writeFileSync(target, text, { mode: 0o600 })
  } catch (error) {
    return Promise.reject(
      new TestkitError(
        'K8S_CODEGEN_TESTKIT_OPTION_INVALID',
        `kubeconfig path ${target} cannot be written: ${(error as Error).message}`,
        { cause: error },
      ),
    )
  }
  return Promise.resolve(target)
}
