import { readFile, readdir } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

import type { CliContext } from '../src/context.js'
import { main } from '../src/main.js'
import { MANIFEST_NAME } from '../src/write-output.js'

const require = createRequire(import.meta.url)

/** Every CRD the tests convert: the authored ones, the corpus, and Forklift's from npm. */
export const CORPUS_CRDS = [
  fileURLToPath(new URL('../../openapi/test/fixtures/crds', import.meta.url)),
  fileURLToPath(new URL('corpus/crds', import.meta.url)),
  join(dirname(require.resolve('@kubev2v/types/package.json')), 'src/generated/forklift/crds'),
]

/** Runs the CLI in this process with `dir` as working directory and `dir/cache` as cache. */
export async function cliIn(
  dir: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const ctx: CliContext = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    stderrIsTTY: false,
    env: { K8S_CODEGEN_CACHE_DIR: join(dir, 'cache') },
    cwd: dir,
    exitCode: 0,
  }
  const code = await main(args, ctx)
  return { code, stdout, stderr }
}

/**
 * The generated files under `root` by relative path, the manifest aside and the header line
 * naming the lockfile's hash blanked (two lockfiles of equal documents may hash different
 * bytes: a server's serialization and discovery lists versus the converter's).
 */
export async function generatedFiles(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  const walk = async (d: string, prefix: string): Promise<void> => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      if (entry.isDirectory()) await walk(join(d, entry.name), `${prefix}${entry.name}/`)
      else if (entry.name !== MANIFEST_NAME) {
        const text = await readFile(join(d, entry.name), 'utf8')
        out.set(
          `${prefix}${entry.name}`,
          text.replace(/^\/\/ Specs: lockfile [0-9A-F]{128}$/m, '// Specs: lockfile …'),
        )
      }
    }
  }
  await walk(root, '')
  return out
}
