// kubectl as the oracle. For every fixture:
// - accept/reject: `kubectl create configmap … --dry-run=client` builds the full client config
//   (ConfirmUsable, TLS material, token files, exec/auth-provider setup) without contacting a
//   server; when kubectl rejects a fixture, we must reject it too. When kubectl accepts and we
//   reject, the fixture must say why (`kubectl.differs`: we are deliberately stricter).
// - values: for fixtures both accept, `kubectl config view --minify --flatten --raw -o json`
//   gives server, cluster, user, namespace, CA / client cert / key data, token and insecure.
//   `config view` honours --kubeconfig/KUBECONFIG and --context only, so rows with other
//   override flags are compared on accept/reject alone (their values are covered by the table
//   tests, citing client-go).
// Which kubectl: K8S_CODEGEN_KUBECTL (a path-list of binaries, e.g. several versions) or `kubectl`.
import { execFile, spawnSync } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadConnection, resolveKubeconfig, type ResolvedConfig } from '../src/index.js'
import { fixtures } from './fixtures/kubeconfigs.js'
import { materialize } from './helpers/materialize.js'
import { createTestPki, type TestPki } from './helpers/pki.js'

const run = promisify(execFile)

interface Kubectl {
  bin: string
  minor: number
}

function findKubectls(): Kubectl[] {
  const list = (process.env['K8S_CODEGEN_KUBECTL'] ?? 'kubectl')
    .split(path.delimiter)
    .filter(Boolean)
  const found: Kubectl[] = []
  for (const bin of list) {
    const probe = spawnSync(bin, ['version', '--client', '-o', 'json'], {
      encoding: 'utf8',
      timeout: 20_000,
    })
    if (probe.status !== 0) continue
    const version = (JSON.parse(probe.stdout) as { clientVersion?: { minor?: string } })
      .clientVersion
    found.push({ bin, minor: Number.parseInt(version?.minor ?? '0', 10) })
  }
  return found
}

const kubectls = findKubectls()
if (kubectls.length === 0) {
  console.warn(
    `kubectl oracle tests skipped: no working kubectl (${process.env['K8S_CODEGEN_KUBECTL'] ?? 'kubectl'}) on PATH; CI installs Debian's kubernetes-client`,
  )
}

let pki: TestPki
beforeAll(async () => {
  pki = await createTestPki()
})

const b64 = (bytes: Uint8Array | undefined) =>
  bytes === undefined ? undefined : Buffer.from(bytes).toString('base64')
// We keep the server as written, minus query/fragment and trailing slashes (client_config.go).
const normalizeServer = (server: string) => server.replace(/[?#].*$/s, '').replace(/\/+$/, '')

interface ViewJson {
  clusters?: { name: string; cluster: Record<string, unknown> }[]
  users?: { name: string; user: Record<string, unknown> }[]
  contexts?: { name: string; context: Record<string, unknown> }[]
}

describe.skipIf(kubectls.length === 0).each(kubectls)(
  'kubectl oracle ($bin, minor $minor)',
  ({ bin, minor }) => {
    it.each(fixtures.map((f) => [f.name, f] as const))(
      '%s',
      { timeout: 60_000 },
      async (_name, fixture) => {
        if (
          fixture.kubectl !== undefined &&
          'minMinor' in fixture.kubectl &&
          minor < fixture.kubectl.minMinor
        ) {
          console.warn(
            `oracle comparison skipped for "${fixture.name}" on kubectl 1.${minor}: ${fixture.kubectl.why}`,
          )
          return
        }
        const m = await materialize(fixture, pki)
        try {
          const opts = { env: m.kubectlEnv, cwd: m.dir, timeout: 20_000 }
          const kubectlAccepts = await run(
            bin,
            [
              'create',
              'configmap',
              'oracle-probe',
              '--dry-run=client',
              '-o',
              'name',
              ...m.kubectlArgs,
            ],
            opts,
          ).then(
            () => true,
            () => false,
          )
          const ours = await loadConnection(m.options).then(
            async (c) => {
              await c.close()
              return true
            },
            () => false,
          )
          if (!kubectlAccepts) {
            expect(ours, 'kubectl rejects this fixture, so must we').toBe(false)
            return
          }
          if (!ours) {
            expect(
              fixture.kubectl,
              'we reject a fixture kubectl accepts without a documented reason',
            ).toHaveProperty('differs')
            return
          }
          if (fixture.kubectl !== undefined && 'differs' in fixture.kubectl) return
          const flags = Object.keys(fixture.given.flags ?? {}).filter((k) => k !== 'context')
          if (flags.length > 0) return

          const viewArgs = [
            'config',
            'view',
            '--minify',
            '--flatten',
            '--raw',
            '-o',
            'json',
            ...m.kubectlArgs,
          ]
          const { stdout } = await run(bin, viewArgs, opts)
          const view = JSON.parse(stdout) as ViewJson
          const cluster = view.clusters?.[0]
          const user = view.users?.[0]
          const context = view.contexts?.[0]
          const resolved: ResolvedConfig = await resolveKubeconfig(m.options)
          expect({
            server: resolved.server,
            cluster: resolved.cluster,
            user: resolved.user,
            namespace: resolved.namespace,
            ca: b64(resolved.ca?.pem),
            cert: b64(resolved.credentials.clientCertificate?.cert),
            key: b64(resolved.credentials.clientCertificate?.key),
            token: resolved.credentials.token,
            insecure: resolved.insecureSkipTlsVerify,
          }).toEqual({
            server: normalizeServer((cluster?.cluster['server'] as string | undefined) ?? ''),
            cluster: cluster?.name,
            user: user?.name,
            namespace: (context?.context['namespace'] as string | undefined) ?? 'default',
            ca: cluster?.cluster['certificate-authority-data'],
            cert: user?.user['client-certificate-data'],
            key: user?.user['client-key-data'],
            token: user?.user['token'],
            insecure: cluster?.cluster['insecure-skip-tls-verify'] ?? false,
          })
        } finally {
          await m.cleanup()
        }
      },
    )
  },
)
