// Writes a kubeconfig fixture into a fresh temp dir and derives both our options and the
// equivalent kubectl command line from it, so the table tests and the kubectl oracle see the
// very same files, environment and flags.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { LoadConnectionOptions } from '../../src/index.js'
import type { Fixture } from '../fixtures/kubeconfigs.js'
import type { TestPki } from './pki.js'

export interface Materialized {
  dir: string
  options: LoadConnectionOptions
  kubectlArgs: string[]
  kubectlEnv: Record<string, string>
  substitute(text: string): string
  cleanup(): Promise<void>
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64')

export async function materialize(fixture: Fixture, pki: TestPki): Promise<Materialized> {
  const dir = await mkdtemp(path.join(tmpdir(), 'k8s-codegen-cluster-'))
  const substitute = (text: string) =>
    text
      .replaceAll('{{CA_DATA}}', b64(pki.ca.cert))
      .replaceAll('{{CERT_DATA}}', b64(pki.client.cert))
      .replaceAll('{{KEY_DATA}}', b64(pki.client.key))
      .replaceAll('{{CA_PEM}}', pki.ca.cert)
      .replaceAll('{{CERT_PEM}}', pki.client.cert)
      .replaceAll('{{KEY_PEM}}', pki.client.key)
      .replaceAll('{{DIR}}', dir)
  for (const [rel, content] of Object.entries(fixture.given.files)) {
    const file = path.join(dir, rel)
    await mkdir(path.dirname(file), { recursive: true })
    await writeFile(file, substitute(content))
  }
  const home = path.join(dir, 'home')
  await mkdir(home, { recursive: true })
  const env: Record<string, string> = { HOME: home }
  if (fixture.given.kubeconfigEnv !== undefined) {
    env['KUBECONFIG'] = fixture.given.kubeconfigEnv
      .map((entry) => (entry === '' ? '' : path.join(dir, entry)))
      .join(path.delimiter)
  }
  const options: LoadConnectionOptions = {
    env,
    homeDir: home,
    inClusterDir: path.join(dir, 'no-service-account'),
  }
  const kubectlArgs: string[] = []
  if (fixture.given.kubeconfigFlag !== undefined) {
    options.kubeconfig = path.join(dir, fixture.given.kubeconfigFlag)
    kubectlArgs.push(`--kubeconfig=${options.kubeconfig}`)
  }
  const flags = fixture.given.flags ?? {}
  const flagNames: [keyof typeof flags, string][] = [
    ['context', 'context'],
    ['cluster', 'cluster'],
    ['user', 'user'],
    ['server', 'server'],
    ['token', 'token'],
    ['certificateAuthority', 'certificate-authority'],
    ['tlsServerName', 'tls-server-name'],
    ['namespace', 'namespace'],
  ]
  for (const [key, flag] of flagNames) {
    const value = flags[key]
    if (typeof value === 'string') {
      const v = substitute(value)
      Object.assign(options, { [key]: v })
      kubectlArgs.push(`--${flag}=${v}`)
    }
  }
  if (flags.insecureSkipTlsVerify === true) {
    options.insecureSkipTlsVerify = true
    kubectlArgs.push('--insecure-skip-tls-verify=true')
  }
  return {
    dir,
    options,
    kubectlArgs,
    kubectlEnv: { ...env, PATH: process.env['PATH'] ?? '' },
    substitute,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  }
}
