import { readFile, readdir } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { MANIFEST_NAME } from '../src/write-output.js'
import { runMain } from './_cli.js'

const require = createRequire(import.meta.url)

/** Every CRD the tests convert: the authored ones, the corpus, and Forklift's from npm. */
export const CORPUS_CRDS = [
  fileURLToPath(new URL('../../openapi/test/fixtures/crds', import.meta.url)),
  fileURLToPath(new URL('corpus/crds', import.meta.url)),
  join(dirname(require.resolve('@kubev2v/types/package.json')), 'src/generated/forklift/crds'),
]

/** Runs the CLI in this process with `dir` as working directory and `dir/cache` as cache. */
export function cliIn(
  dir: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return runMain(args, { cwd: dir, cacheDir: join(dir, 'cache') })
}

/**
 * The generated files under `root` by relative path, the manifest aside and the document hashes
 * of the header blanked (equal documents may hash different bytes: a server's serialization
 * versus the converter's canonical JSON).
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
          text.replace(/^(\/\/ Generated from .*)$/m, (line) =>
            line.replace(/\([0-9A-F]{16}\)/g, '(…)'),
          ),
        )
      }
    }
  }
  await walk(root, '')
  return out
}
