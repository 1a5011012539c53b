import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'

import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { runMain } from './_cli.js'

// The `--crds` read limits as a user sets them (flags, config file): a refusal is one coded
// error naming the file, the document and the flag, exit 1, and nothing is written.
let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-crd-limits-'))
  await writeFile(join(dir, 'three.yaml'), 'a: 1\n---\nb: 2\n---\nc: 3\n')
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function cli(args: string[]): Promise<{ code: number; json: Record<string, unknown> }> {
  const run = await runMain([...args, '--json'], { cwd: dir, cacheDir: join(dir, 'cache') })
  return { code: run.code, json: JSON.parse(run.stdout) as Record<string, unknown> }
}

describe('generate --crds limits', () => {
  const rows: {
    given: { args: string[]; config?: Record<string, unknown> }
    want: { code: string; message: string }
  }[] = [
    {
      given: { args: ['--crds', '/dev/zero', '--max-crd-file-bytes', '1000'] },
      want: {
        code: 'K8S_CODEGEN_OPENAPI_CRD_TOO_LARGE',
        message: 'larger than 1000 bytes (raise the limit with --max-crd-file-bytes)',
      },
    },
    {
      given: { args: ['--crds', 'three.yaml'], config: { maxCrdDocuments: 2 } },
      want: {
        code: 'K8S_CODEGEN_OPENAPI_CRD_TOO_LARGE',
        message: 'three.yaml document 2: more than 2 documents in one file',
      },
    },
    {
      given: { args: ['--crds', 'three.yaml', '--max-crd-total-bytes', '10'] },
      want: {
        code: 'K8S_CODEGEN_OPENAPI_CRD_TOO_LARGE',
        message: 'three.yaml: the CRD files read so far are larger than 10 bytes in all',
      },
    },
    {
      given: { args: ['--crds', 'three.yaml', '--max-crd-expanded-bytes', '0'] },
      want: {
        code: 'K8S_CODEGEN_CLI_USAGE',
        message: '--max-crd-expanded-bytes must be a positive integer, got 0',
      },
    },
  ]
  it.each(rows)('$given', async ({ given, want }) => {
    if (given.config !== undefined)
      await writeFile(join(dir, 'k8s-codegen.config.json'), JSON.stringify(given.config))
    const { code, json } = await cli(['generate', ...given.args])
    expect(code).toBe(1)
    const error = json.error as { code: string; message: string }
    expect(error.code).toBe(want.code)
    expect(error.message).toContain(want.message)
    if (given.args[1] === '/dev/zero') expect(error.message).toContain(relative(dir, '/dev/zero'))
    // (`--out` itself exists: its lock lives inside it.)
    for (const written of ['k8s-codegen.lock.json', 'generated/index.ts', 'cache'])
      expect(existsSync(join(dir, written))).toBe(false)
  })
})
