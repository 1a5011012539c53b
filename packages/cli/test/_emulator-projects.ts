import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { startApiServer, type ApiServer } from '@k8s-codegen/testkit'
import { afterAll, beforeAll } from 'vitest'

/** What {@link emulatorProjects} hands a test file (each getter valid once `beforeAll` ran). */
export interface EmulatorProjects {
  /** The kubeconfig of the test file's emulator. */
  kubeconfig: () => string
  /** A spec cache shared by the file's projects. */
  cacheDir: () => string
  /** A new project directory holding `files` (relative path → content). */
  project: (files?: Record<string, string>) => Promise<string>
}

/**
 * One emulator and one temp root for a test file (started in `beforeAll`, stopped and removed in
 * `afterAll`), and a fresh project directory per test.
 */
export function emulatorProjects(prefix: string): EmulatorProjects {
  let root = ''
  let server: ApiServer | undefined
  let kubeconfig = ''
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), prefix))
    server = await startApiServer()
    kubeconfig = await server.kubeconfig(join(root, 'kubeconfig'))
  }, 120_000)
  afterAll(async () => {
    await server?.close()
    await rm(root, { recursive: true, force: true })
  })
  let n = 0
  return {
    kubeconfig: () => kubeconfig,
    cacheDir: () => join(root, 'cache'),
    project: async (files = {}) => {
      const dir = join(root, `p${n++}`)
      await mkdir(dir)
      for (const [path, content] of Object.entries(files)) {
        await mkdir(join(dir, path, '..'), { recursive: true })
        await writeFile(join(dir, path), content)
      }
      return dir
    },
  }
}
