import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import type * as KubeSchemas from '@k8s-codegen/kube-schemas'
import { afterAll, expect, it, vi } from 'vitest'

import { runMain } from './_cli.js'

// An install of @k8s-codegen/kube-schemas that lost its index: a copy of the package (it reads its
// files relative to its own module) without generated/index.json stands in for the real one. The
// run fails with the package's code and says what to do; nothing is reported per document.
vi.mock('@k8s-codegen/kube-schemas', async () => {
  const { cp, rm: remove } = await import('node:fs/promises')
  const { fileURLToPath, pathToFileURL } = await import('node:url')
  const source = fileURLToPath(new URL('../../kube-schemas/', import.meta.url))
  const copy = fileURLToPath(
    new URL('../node_modules/.cache/kube-schemas-damaged/', import.meta.url),
  )
  await remove(copy, { recursive: true, force: true })
  for (const part of ['dist', 'generated', 'package.json'])
    await cp(join(source, part), join(copy, part), { recursive: true })
  await remove(join(copy, 'generated', 'index.json'))
  return (await import(pathToFileURL(join(copy, 'dist', 'index.js')).href)) as typeof KubeSchemas
})

const dir = await mkdtemp(join(tmpdir(), 'cli-validate-damaged-'))
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

it('a damaged install of the shipped schemas fails the run with K8S_CODEGEN_KUBE_SCHEMAS_DAMAGED, exit 1', async () => {
  await mkdir(join(dir, 'm'))
  await writeFile(
    join(dir, 'm', 's.yaml'),
    'apiVersion: v1\nkind: Service\nmetadata: {name: web}\n',
  )
  const run = await runMain(['validate', 'm'], { cwd: dir, cacheDir: join(dir, '.cache') })
  expect(run).toEqual({
    code: 1,
    stdout: '',
    stderr:
      'k8s-codegen validate: error: the shipped built-in schemas cannot be read (generated/index.json): reinstall @k8s-codegen/kube-schemas [K8S_CODEGEN_KUBE_SCHEMAS_DAMAGED]\n',
  })
})
