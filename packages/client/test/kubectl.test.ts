// kubectl as the oracle: what the client writes, `kubectl get -o json` reads back identically,
// and what `kubectl apply -f` writes, the client reads back identically — for built-in kinds and
// the generated custom resource.
import { execFile, spawnSync } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { Deployment } from './generated/builtins/apps/v1.js'
import { ConfigMap } from './generated/builtins/core/v1.js'
import { Widget } from './generated/crd/example.dev/v1.js'
import { startCluster, type TestCluster } from './helpers/cluster.js'

const hasKubectl = spawnSync('kubectl', ['version', '--client'], { timeout: 20_000 }).status === 0
if (!hasKubectl) console.warn('skipping the kubectl cross-check: kubectl is not on PATH')

let cluster: TestCluster
beforeAll(async () => {
  cluster = await startCluster({ client: { fieldManager: 'oracle-test' } })
})
afterAll(() => cluster.close())

function kubectl(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'kubectl',
      ['--kubeconfig', cluster.kubeconfig, '--cache-dir', path.join(cluster.dir, 'cache'), ...args],
      { encoding: 'utf8', timeout: 60_000 },
      (error, stdout, stderr) =>
        error === null
          ? resolve(stdout)
          : reject(new Error(`kubectl ${args.join(' ')}: ${stderr}`)),
    )
  })
}
const kubectlGet = async (resource: string, name: string): Promise<unknown> =>
  // kubectl hides managedFields unless asked; the client returns the object as served.
  JSON.parse(
    await kubectl(['get', resource, name, '-n', 'default', '-o', 'json', '--show-managed-fields']),
  ) as unknown

describe.skipIf(!hasKubectl)('kubectl cross-check', () => {
  it.each([
    {
      given: 'ConfigMap',
      write: () =>
        cluster.client.create(ConfigMap, {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'from-client', namespace: 'default', labels: { by: 'client' } },
          data: { 'a.txt': 'hello', b: '' },
        }),
      read: () => kubectlGet('configmaps', 'from-client'),
    },
    {
      given: 'Deployment (applied)',
      write: () =>
        cluster.client.apply(Deployment, {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'from-client', namespace: 'default' },
          spec: {
            replicas: 2,
            selector: { matchLabels: { app: 'c' } },
            template: {
              metadata: { labels: { app: 'c' } },
              spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] },
            },
          },
        }),
      read: () => kubectlGet('deployments.apps', 'from-client'),
    },
    {
      given: 'Widget',
      write: () =>
        cluster.client.create(Widget, {
          apiVersion: 'example.dev/v1',
          kind: 'Widget',
          metadata: { name: 'from-client', namespace: 'default' },
          spec: { size: '50%', labels: { a: 'b' }, config: { free: { form: [1, 'two'] } } },
        }),
      read: () => kubectlGet('widgets.example.dev', 'from-client'),
    },
  ])('the client writes a $given, kubectl reads it identically', async ({ write, read }) => {
    const written = await write()
    expect(await read()).toEqual(written)
  })

  it('kubectl applies, the client reads identically', async () => {
    const manifest = path.join(cluster.dir, 'applied.yaml')
    await writeFile(
      manifest,
      `apiVersion: v1
kind: ConfigMap
metadata: {name: from-kubectl, namespace: default, labels: {by: kubectl}}
data: {x: "1"}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: from-kubectl, namespace: default}
spec:
  replicas: 3
  selector: {matchLabels: {app: k}}
  template:
    metadata: {labels: {app: k}}
    spec:
      containers: [{name: web, image: "nginx:1.25", ports: [{containerPort: 80}]}]
---
apiVersion: example.dev/v1
kind: Widget
metadata: {name: from-kubectl, namespace: default}
spec: {size: 3, mode: slow}
`,
    )
    await kubectl(['apply', '-f', manifest])
    const target = { namespace: 'default', name: 'from-kubectl' }
    expect(await cluster.client.get(ConfigMap, target)).toEqual(
      await kubectlGet('configmaps', 'from-kubectl'),
    )
    expect(await cluster.client.get(Deployment, target)).toEqual(
      await kubectlGet('deployments.apps', 'from-kubectl'),
    )
    const widget = await cluster.client.get(Widget, target)
    expect(widget).toEqual(await kubectlGet('widgets.example.dev', 'from-kubectl'))
    // A real kube-apiserver also fills the schema's defaults (replicas).
    expect(widget.spec).toMatchObject({ size: 3, mode: 'slow' })
    // kubectl's client-side apply records what it applied; the client returns it untouched.
    expect(
      widget.metadata?.annotations?.['kubectl.kubernetes.io/last-applied-configuration'],
    ).toEqual(expect.any(String))
  })
})
