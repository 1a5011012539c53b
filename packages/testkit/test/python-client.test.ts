import { execFile, spawnSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApiServer, type ApiServer } from '../src/index.js'

// A second real client as the oracle: Debian's python3-kubernetes (apt install
// python3-kubernetes). Its CRUD, Status errors, watch and scale helpers against the emulator.
const python = '/usr/bin/python3'
const probe = spawnSync(python, ['-c', 'import kubernetes'], { timeout: 20_000 })
const hasClient = probe.status === 0
if (!hasClient)
  console.warn('skipping python3-kubernetes tests: apt install python3-kubernetes to run them')
const script = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'python-client.py')

describe.skipIf(!hasClient)('python3-kubernetes against the emulator', () => {
  let server: ApiServer
  beforeAll(async () => {
    server = await startApiServer()
  })
  afterAll(() => server.close())

  it('creates, reads, lists, patches, conflicts, watches, deletes and scales', async () => {
    const kubeconfig = await server.kubeconfig()
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(python, [script, kubeconfig], { timeout: 60_000 }, (error, out, err) => {
        if (error !== null) reject(new Error(`python client failed: ${err}`, { cause: error }))
        else resolve(out)
      })
    })
    const seen = JSON.parse(stdout) as Record<string, unknown>
    expect(seen).toMatchObject({
      uid_len: 36,
      duplicate: [409, 'AlreadyExists'],
      read_data: { a: '1' },
      listed: ['py'],
      patched_data: { a: '1', b: '2' },
      stale: [409, 'Conflict'],
      events: ['MODIFIED', 'DELETED'],
      scale: [4, 4],
      generation: 2,
    })
  })
})
