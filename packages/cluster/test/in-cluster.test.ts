// In-cluster detection and precedence (client-go rest.InClusterConfig,
// clientcmd inClusterClientConfig, DeferredLoadingClientConfig.ClientConfig).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ClusterError,
  loadConnection,
  resolveKubeconfig,
  type LoadConnectionOptions,
} from '../src/index.js'
import { createTestPki, type TestPki } from './helpers/pki.js'

let dir: string
let pki: TestPki
let sa: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'k8s-codegen-in-cluster-'))
  pki = await createTestPki()
  sa = path.join(dir, 'sa')
  await mkdir(sa)
  await writeFile(path.join(sa, 'token'), 'in-cluster-sa-token-01\n')
  await writeFile(path.join(sa, 'ca.crt'), pki.ca.cert)
  await writeFile(path.join(sa, 'namespace'), '\tfrom-file \n')
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const home = () => path.join(dir, 'home')
const base = (
  env: Record<string, string>,
  extra: LoadConnectionOptions = {},
): LoadConnectionOptions => ({
  env: { HOME: home(), ...env },
  homeDir: home(),
  inClusterDir: sa,
  ...extra,
})

describe('in-cluster resolution', () => {
  it.each([
    {
      given: { env: { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' } },
      want: { server: 'https://10.96.0.1:443', namespace: 'from-file' },
    },
    {
      given: { env: { KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '6443' } },
      want: { server: 'https://[fd00::1]:6443', namespace: 'from-file' },
    },
    {
      given: {
        env: {
          KUBERNETES_SERVICE_HOST: '10.96.0.1',
          KUBERNETES_SERVICE_PORT: '443',
          POD_NAMESPACE: 'from-env',
        },
      },
      want: { server: 'https://10.96.0.1:443', namespace: 'from-env' },
    },
    {
      given: {
        env: { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' },
        flags: { namespace: 'from-flag' },
      },
      want: { server: 'https://10.96.0.1:443', namespace: 'from-flag' },
    },
  ])(
    '$given.env.KUBERNETES_SERVICE_HOST → $want.server ($want.namespace)',
    async ({ given, want }) => {
      const config = await resolveKubeconfig(base(given.env, given.flags ?? {}))
      expect(config).toMatchObject({
        source: 'in-cluster',
        ...want,
        credentials: { tokenFile: path.join(sa, 'token') },
      })
      expect(Buffer.from(config.ca?.pem ?? []).toString()).toBe(pki.ca.cert)
      expect(config.ca?.source).toBe('in-cluster')
    },
  )

  it('namespace defaults to "default" without POD_NAMESPACE or a namespace file', async () => {
    const bare = path.join(dir, 'bare-sa')
    await mkdir(bare, { recursive: true })
    await writeFile(path.join(bare, 'token'), 'bare-sa-token-0001')
    const warnings: string[] = []
    const config = await resolveKubeconfig({
      ...base({ KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' }),
      inClusterDir: bare,
      onWarning: (w) => warnings.push(w),
    })
    expect(config.namespace).toBe('default')
    expect(config.ca).toBeUndefined()
    expect(warnings.join('\n')).toMatch(/in-cluster CA .*ca\.crt could not be loaded/)
  })

  it('a kubeconfig wins over in-cluster config', async () => {
    const kubeconfig = path.join(dir, 'kc.yaml')
    await writeFile(
      kubeconfig,
      'clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\nusers: [{name: u, user: {}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n',
    )
    const config = await resolveKubeconfig(
      base({
        KUBERNETES_SERVICE_HOST: '10.0.0.1',
        KUBERNETES_SERVICE_PORT: '443',
        KUBECONFIG: kubeconfig,
      }),
    )
    expect(config.source).toBe('kubeconfig')
  })

  it('--server with no kubeconfig does not use in-cluster config (client-go: not the default config)', async () => {
    const config = await resolveKubeconfig(
      base(
        { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' },
        { server: 'https://127.0.0.1:9' },
      ),
    )
    expect(config).toMatchObject({
      source: 'kubeconfig',
      server: 'https://127.0.0.1:9',
      credentials: {},
    })
  })

  it.each([
    { given: { KUBERNETES_SERVICE_HOST: '10.0.0.1' }, why: 'port missing' },
    { given: { KUBERNETES_SERVICE_PORT: '443' }, why: 'host missing' },
  ])(
    'without kubeconfig and not in a pod ($why) the error says where it looked',
    async ({ given }) => {
      const error = await loadConnection(base(given)).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ClusterError)
      expect((error as ClusterError).code).toBe('K8S_CODEGEN_CLUSTER_CONFIG_NOT_FOUND')
      expect((error as ClusterError).message).toContain(path.join(home(), '.kube', 'config'))
    },
  )

  it('no token file means not in a pod', async () => {
    const error = await loadConnection({
      ...base({ KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' }),
      inClusterDir: path.join(dir, 'nothing-here'),
    }).catch((e: unknown) => e)
    expect((error as ClusterError).code).toBe('K8S_CODEGEN_CLUSTER_CONFIG_NOT_FOUND')
  })
})
