import { timingSafeEqual } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import type { IncomingMessage } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TLSSocket } from 'node:tls'
import type { KeyPairPem } from './certificates.js'
import { TestkitError } from './errors.js'
import type { UserInfo } from './service-account-token.js'

/** How one server authenticates: a bearer token, client certificates, anonymous access. */
export interface AuthConfig {
  token: string | undefined
  clientCert: boolean
  anonymous: boolean
}

// The user of the server's own token: the real server's (real-api-server.ts) token file line
// `<token>,admin,admin,system:masters`, so both answer a SelfSubjectReview alike.
const tokenUser: UserInfo = {
  username: 'admin',
  uid: 'admin',
  groups: ['system:masters', 'system:authenticated'],
}
// apiserver `pkg/authentication/request/anonymous`.
const anonymousUser: UserInfo = { username: 'system:anonymous', groups: ['system:unauthenticated'] }

/**
 * The user of a request, or undefined for a 401. kube-apiserver authenticates with a union of
 * x509 and token authenticators (any success wins), wrapped so anonymous applies only when none
 * of them failed with an error (apiserver `pkg/authentication/request/union`, kubernetes
 * `pkg/kubeapiserver/authenticator/config.go`). A client certificate is its CN as the user and
 * its O as groups (`pkg/authentication/request/x509` CommonNameUserConversion); every
 * authenticated user is also in `system:authenticated` (`group/authenticated_group_adder.go`).
 * bearertoken.go ignores a missing, non-Bearer or empty token, but turns an unknown one into an
 * error, so a wrong token is 401 even with anonymous access on; a token that names another
 * issuer is no service account token (jwt.go `hasCorrectIssuer`), so with no server token
 * configured it falls through to anonymous as before.
 */
export function authenticate(
  req: IncomingMessage,
  auth: AuthConfig,
  serviceAccount: (token: string) => UserInfo | 'invalid' | undefined,
): UserInfo | undefined {
  const socket = req.socket as TLSSocket
  if (auth.clientCert && socket.authorized) return certificateUser(socket)
  const parts = (req.headers.authorization ?? '').trim().split(' ')
  const bearer = parts[0]?.toLowerCase() === 'bearer' ? parts[1] : undefined
  if (bearer !== undefined && bearer !== '') {
    if (auth.token !== undefined) {
      const given = Buffer.from(bearer)
      const expected = Buffer.from(auth.token)
      if (given.length === expected.length && timingSafeEqual(given, expected)) return tokenUser
    }
    const user = serviceAccount(bearer)
    if (user === 'invalid') return undefined
    if (user !== undefined) return user
    if (auth.token !== undefined) return undefined
  }
  return auth.anonymous ? anonymousUser : undefined
}

function certificateUser(socket: TLSSocket): UserInfo {
  const subject = socket.getPeerCertificate().subject
  const organizations = subject.O === undefined ? [] : ([] as string[]).concat(subject.O)
  return {
    username: typeof subject.CN === 'string' ? subject.CN : '',
    groups: [...organizations, 'system:authenticated'],
  }
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
