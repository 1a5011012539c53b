import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

import ts from 'typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { CliContext } from '../src/context.js'
import { main } from '../src/main.js'

// The CRD corpus (see corpus/README.md): real CRDs read from node_modules plus the authored
// ones, generated with `generate --crds` alone, and the typed literals of corpus/examples
// type-checked against the output under the strictest options this repository uses.
const require = createRequire(import.meta.url)
const FORKLIFT = join(
  dirname(require.resolve('@kubev2v/types/package.json')),
  'src/generated/forklift/crds',
)
const AUTHORED = fileURLToPath(new URL('../../openapi/test/fixtures/crds', import.meta.url))
const EXAMPLES = fileURLToPath(new URL('corpus/examples', import.meta.url))

let dir: string
let stdout = ''
let code = -1

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crd-corpus-'))
  let stderr = ''
  const ctx: CliContext = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    stderrIsTTY: false,
    env: { K8S_CODEGEN_CACHE_DIR: join(dir, 'cache') },
    cwd: dir,
    exitCode: 0,
  }
  code = await main(
    ['generate', '--crds', FORKLIFT, AUTHORED, '--out', 'k8s', '--no-nocheck', '--json'],
    ctx,
  )
  if (code !== 0) throw new Error(`generate --crds failed: ${stderr}`)
  await cp(EXAMPLES, join(dir, 'examples'), { recursive: true })
  await writeFile(join(dir, 'package.json'), '{ "type": "module" }\n')
  // The output's one dependency, installed as a user would: the workspace's runtime package.
  await mkdir(join(dir, 'node_modules', '@k8s-codegen'), { recursive: true })
  await symlink(
    dirname(require.resolve('@k8s-codegen/runtime/package.json')),
    join(dir, 'node_modules', '@k8s-codegen', 'runtime'),
  )
}, 180_000)

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('CRD corpus', () => {
  it('converts every CRD of the corpus into its group-versions', () => {
    const summary = JSON.parse(stdout) as {
      crds: { crds: number; files: number; groupVersions: string[] }
      resources: number
    }
    expect(summary.crds).toEqual(
      expect.objectContaining({
        crds: 13,
        files: 13,
        groupVersions: [
          'apis/example.dev/v1',
          'apis/example.dev/v1beta1',
          'apis/forklift.konveyor.io/v1beta1',
        ],
      }),
    )
    expect(summary.resources).toBe(14)
  })

  it('type-checks the output and every example, @ts-expect-error lines included', () => {
    const program = ts.createProgram({
      rootNames: [join(dir, 'examples/forklift.ts'), join(dir, 'examples/authored.ts')],
      options: {
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        strict: true,
        noUncheckedIndexedAccess: true,
        exactOptionalPropertyTypes: true,
        noEmit: true,
        types: [],
        // The target's default libraries (the runtime package uses URLSearchParams), as
        // hostile-server.test.ts type-checks output.
      },
    })
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))
    expect(diagnostics).toEqual([])
    // The examples reached the generated modules (a wrong import would be a diagnostic too).
    expect(program.getSourceFiles().map((f) => f.fileName)).toEqual(
      expect.arrayContaining([
        join(dir, 'k8s/forklift.konveyor.io/v1beta1.ts'),
        join(dir, 'k8s/example.dev/v1.ts'),
      ]),
    )
  })
})
