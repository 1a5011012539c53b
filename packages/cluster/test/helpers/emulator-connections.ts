// One test file's emulated kube-apiserver(s) and connections to them: a scratch directory, an
// isolated HOME per connection (so no real ~/.kube/config or service account is ever read), and
// everything closed after each test (connections) or the file (servers, scratch directory).
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { startApiServer, type ApiServer } from '@k8s-codegen/testkit'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { loadConnection, type Connection, type LoadConnectionOptions } from '../../src/index.js'

export interface EmulatorConnections {
  /** the file's scratch directory (set once `beforeAll` ran) */
  readonly dir: string
  /** the servers started and not yet closed; a test that closes one itself takes it out */
  readonly servers: ApiServer[]
  /** starts an emulator (Kubernetes 1.13 profile unless `options.profile`), closed after the file */
  readonly server: (options?: Parameters<typeof startApiServer>[0]) => Promise<ApiServer>
  /** loads a connection with an empty HOME and no service account, closed after the test */
  readonly connect: (options: LoadConnectionOptions) => Promise<Connection>
}

export function useEmulatorConnections(
  prefix: string,
  defaults: Partial<LoadConnectionOptions> = {},
): EmulatorConnections {
  let dir: string | undefined
  let seq = 0
  const servers: ApiServer[] = []
  const connections: Connection[] = []
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), prefix))
  })
  afterEach(async () => {
    await Promise.all(connections.splice(0).map((c) => c.close()))
  })
  afterAll(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()))
    if (dir !== undefined) await rm(dir, { recursive: true, force: true })
  })
  const scratch = (): string => {
    if (dir === undefined) throw new Error('useEmulatorConnections: used before beforeAll ran')
    return dir
  }
  return {
    get dir() {
      return scratch()
    },
    servers,
    server: async (options = {}) => {
      const s = await startApiServer({ profile: 'kubernetes-1.13', ...options })
      servers.push(s)
      return s
    },
    connect: async (options) => {
      const home = path.join(scratch(), `home-${seq++}`)
      const c = await loadConnection({
        env: { HOME: home },
        homeDir: home,
        inClusterDir: path.join(scratch(), 'no-service-account'),
        ...defaults,
        ...options,
      })
      connections.push(c)
      return c
    },
  }
}
