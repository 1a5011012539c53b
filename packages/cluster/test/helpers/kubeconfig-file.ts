// Writes a one-context kubeconfig for end-to-end tests.
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { stringify } from 'yaml'

export interface OneContext {
  server: string
  caPem?: string
  cluster?: Record<string, unknown>
  user: Record<string, unknown>
  namespace?: string
}

export async function writeKubeconfig(
  dir: string,
  spec: OneContext,
  name = 'kubeconfig',
): Promise<string> {
  const cluster: Record<string, unknown> = { server: spec.server, ...spec.cluster }
  if (spec.caPem !== undefined) {
    cluster['certificate-authority-data'] = Buffer.from(spec.caPem).toString('base64')
  }
  const file = path.join(dir, name)
  await writeFile(
    file,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'e2e', cluster }],
      users: [{ name: 'e2e-user', user: spec.user }],
      contexts: [
        {
          name: 'e2e',
          context: {
            cluster: 'e2e',
            user: 'e2e-user',
            ...(spec.namespace === undefined ? {} : { namespace: spec.namespace }),
          },
        },
      ],
      'current-context': 'e2e',
    }),
  )
  return file
}
