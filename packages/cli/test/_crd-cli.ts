import { cp, mkdir, readFile, readdir } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { SpecCache, readLockfile } from '@k8s-codegen/openapi'

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

/** Copies project `from` into `to` (created), its `cache` aside: the same state for a cold run. */
export async function copyWithoutCache(from: string, to: string): Promise<string> {
  await mkdir(to)
  for (const name of await readdir(from))
    if (name !== 'cache') await cp(join(from, name), join(to, name), { recursive: true })
  return to
}

async function tree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const name of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!name.isFile()) continue
    const path = join(name.parentPath, name.name)
    out[path.slice(dir.length + 1)] = await readFile(path, 'utf8')
  }
  return out
}

/** The lockfile's documents as the project's cache holds them, by hash. */
async function lockedDocuments(dir: string): Promise<Record<string, string>> {
  const lock = await readLockfile(join(dir, 'k8s-codegen.lock.json'))
  const cache = new SpecCache(join(dir, 'cache'))
  const out: Record<string, string> = {}
  for (const entry of Object.values(lock.groupVersions)) {
    if (entry.status !== 'ok') continue
    for (const { hash } of [entry, entry.discovery, entry.crdFacts].filter((b) => b !== undefined))
      out[hash] = new TextDecoder().decode(await cache.read(hash))
  }
  return out
}

/**
 * What a run in project `dir` shows and leaves (exit code, stdout without the elapsed time, stderr,
 * the output tree `k8s`, the lockfile, the documents it names), `dir` itself written `<project>`:
 * two runs in two copies of a project compare equal.
 */
export async function outcome(dir: string, run: { code: number; stdout: string; stderr: string }) {
  const text = (t: string): string => t.replaceAll(dir, '<project>')
  const json = run.code === 0 ? (JSON.parse(run.stdout) as Record<string, unknown>) : {}
  delete json.elapsedMs
  return {
    code: run.code,
    stdout: run.code === 0 ? text(JSON.stringify(json)) : text(run.stdout),
    stderr: text(run.stderr),
    out: await tree(join(dir, 'k8s')).catch(() => ({})),
    lockfile: await readFile(join(dir, 'k8s-codegen.lock.json'), 'utf8').catch(() => ''),
    documents: run.code === 0 ? await lockedDocuments(dir) : {},
  }
}
