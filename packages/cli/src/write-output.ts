// Writes generated files into `--out` atomically and incrementally. The new tree is assembled in
// a sibling temp directory (unchanged files hard-linked, so their inode and mtime survive), then
// swapped in with two renames; a crash or kill -9 before the swap leaves the previous output as
// it was, and a crash between the renames is repaired by the next run.
import { createHash, randomBytes } from 'node:crypto'
import {
  copyFile,
  link,
  mkdir,
  readFile,
  readdir,
  rename,
  rm,
  stat,
  utimes,
  writeFile,
} from 'node:fs/promises'
import { basename, dirname, join, relative, resolve, sep } from 'node:path'

import { K8sCodegenError } from '@k8s-codegen/proxy-url'

/**
 * Name of the manifest `generate` keeps in `--out`: the generation key and each file's SHA-256.
 *
 * @example
 * await readFile(join('generated', MANIFEST_NAME), 'utf8')
 */
export const MANIFEST_NAME = '.k8s-codegen-manifest.json'

/** The manifest `generate` writes into `--out`. */
export interface OutputManifest {
  /** `generationKey()` of the run that wrote the output. */
  key: string
  /** path relative to `--out` → SHA-256 hex of the content written */
  files: Record<string, string>
  /** What the generation held, so an up-to-date run can still report it. */
  stats?: {
    groupVersions: number
    resources: number
    files: number
    /** Group-versions the generation skipped, each with its rule (codegen `skipped`). */
    skipped?: { key: string; code: string; reason: string }[]
  }
}

/**
 * Thrown when the output directory cannot be read or written (`K8S_CODEGEN_CLI_OUTPUT_WRITE`) or a
 * generated path would leave it (`K8S_CODEGEN_CLI_OUTPUT_PATH`).
 *
 * @example
 * if (error instanceof OutputError) console.error(error.code, error.message)
 */
export class OutputError extends K8sCodegenError<
  'K8S_CODEGEN_CLI_OUTPUT_WRITE' | 'K8S_CODEGEN_CLI_OUTPUT_PATH'
> {}

/** What differs between the files a generation produces and the files in `--out`. */
export interface OutputDiff {
  changed: string[]
  missing: string[]
  /** Files the previous generation wrote (per its manifest) that this one no longer produces. */
  extra: string[]
}

/** What {@link writeOutput} did. */
export interface WriteOutputResult {
  written: string[]
  removed: string[]
  unchanged: number
}

function sha256(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex')
}

function checkRelative(path: string): void {
  if (
    path === '' ||
    path.startsWith('/') ||
    path.split('/').some((p) => p === '' || p === '.' || p === '..')
  ) {
    throw new OutputError(
      'K8S_CODEGEN_CLI_OUTPUT_PATH',
      `generated file path '${path}' is not a plain relative path inside --out`,
    )
  }
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    if (
      (error as NodeJS.ErrnoException).code === 'ENOENT' ||
      (error as NodeJS.ErrnoException).code === 'EISDIR'
    )
      return undefined
    throw error
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  )
}

/**
 * Reads the manifest of `outDir`, or undefined when there is none (or it is not ours).
 *
 * @example
 * const manifest = await readManifest('generated')
 * manifest?.key // 'sha256:…'
 */
export async function readManifest(outDir: string): Promise<OutputManifest | undefined> {
  const text = await readText(join(outDir, MANIFEST_NAME))
  if (text === undefined) return undefined
  try {
    const parsed = JSON.parse(text) as Partial<OutputManifest>
    if (typeof parsed.key !== 'string' || typeof parsed.files !== 'object' || parsed.files === null)
      return undefined
    return {
      key: parsed.key,
      files: parsed.files,
      ...(parsed.stats === undefined ? {} : { stats: parsed.stats }),
    }
  } catch {
    return undefined
  }
}

/**
 * True when `outDir` was written under generation `key` and no file has been changed or removed
 * since: regenerating would write nothing.
 *
 * @example
 * if (await isOutputCurrent('generated', generationKey(input))) return // no-op
 */
export async function isOutputCurrent(outDir: string, key: string): Promise<boolean> {
  await recoverInterruptedSwap(outDir)
  const manifest = await readManifest(outDir)
  if (manifest?.key !== key) return false
  for (const [path, hash] of Object.entries(manifest.files)) {
    const content = await readText(join(outDir, path))
    if (content === undefined || sha256(content) !== hash) return false
  }
  return true
}

/**
 * Compares produced `files` with `outDir` (for `check`): changed or hand-edited, missing, and
 * files a previous generation wrote that are no longer produced.
 *
 * @example
 * const diff = await diffOutput('generated', result.files)
 * const stale = diff.changed.length + diff.missing.length + diff.extra.length > 0
 */
export async function diffOutput(
  outDir: string,
  files: ReadonlyMap<string, string>,
): Promise<OutputDiff> {
  const diff: OutputDiff = { changed: [], missing: [], extra: [] }
  for (const [path, content] of [...files.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    checkRelative(path)
    const current = await readText(join(outDir, path))
    if (current === undefined) diff.missing.push(path)
    else if (current !== content) diff.changed.push(path)
  }
  const manifest = await readManifest(outDir)
  for (const path of Object.keys(manifest?.files ?? {}).sort()) {
    if (!files.has(path) && (await exists(join(outDir, path)))) diff.extra.push(path)
  }
  return diff
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = []
  const walk = async (current: string): Promise<void> => {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      const full = join(current, entry.name)
      if (entry.isDirectory()) await walk(full)
      else if (entry.isFile()) out.push(relative(dir, full).split(sep).join('/'))
    }
  }
  await walk(dir)
  return out.sort()
}

async function linkOrCopy(from: string, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true })
  try {
    await link(from, to)
  } catch {
    // Hard links can fail (some file systems); a copy with the old timestamps is equivalent.
    const info = await stat(from)
    await copyFile(from, to)
    await utimes(to, info.atime, info.mtime)
  }
}

function siblings(outDir: string): { old: string; tmpPrefix: string } {
  const abs = resolve(outDir)
  return { old: `${abs}.k8s-codegen-old`, tmpPrefix: `${basename(abs)}.k8s-codegen-tmp-` }
}

/** Repairs what a crash between the two renames of a swap, or before them, left behind. */
async function recoverInterruptedSwap(outDir: string): Promise<void> {
  const abs = resolve(outDir)
  const { old, tmpPrefix } = siblings(abs)
  if (await exists(old)) {
    if (await exists(abs)) await rm(old, { recursive: true, force: true })
    else await rename(old, abs)
  }
  const parent = dirname(abs)
  const entries = await readdir(parent).catch(() => [] as string[])
  for (const name of entries) {
    if (name.startsWith(tmpPrefix)) await rm(join(parent, name), { recursive: true, force: true })
  }
}

/**
 * Writes `files` into `outDir` under generation `key`: only changed files are rewritten (others
 * keep their mtime), files the previous generation produced and this one does not are removed,
 * files that are not ours are kept, and the whole directory changes in one swap.
 *
 * @example
 * const { written, removed } = await writeOutput('generated', result.files, generationKey(input))
 */
export async function writeOutput(
  outDir: string,
  files: ReadonlyMap<string, string>,
  key: string,
  stats?: OutputManifest['stats'],
): Promise<WriteOutputResult> {
  for (const path of files.keys()) checkRelative(path)
  const abs = resolve(outDir)
  try {
    await recoverInterruptedSwap(abs)
  } catch (error) {
    throw new OutputError(
      'K8S_CODEGEN_CLI_OUTPUT_WRITE',
      `cannot prepare output directory ${abs}: ${(error as Error).message}`,
      { cause: error },
    )
  }
  const previous = await readManifest(abs)
  const hadDir = await exists(abs)
  const existing = hadDir ? await listFiles(abs) : []
  const existingSet = new Set(existing)

  const written: string[] = []
  const unchangedFiles = new Set<string>()
  for (const [path, content] of files) {
    const current = existingSet.has(path) ? await readText(join(abs, path)) : undefined
    if (current === content) unchangedFiles.add(path)
    else written.push(path)
  }
  const removed = Object.keys(previous?.files ?? {}).filter(
    (p) => !files.has(p) && existingSet.has(p),
  )
  const manifest: OutputManifest = {
    key,
    ...(stats === undefined ? {} : { stats }),
    files: Object.fromEntries(
      [...files.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([p, c]) => [p, sha256(c)]),
    ),
  }
  const manifestText = `${JSON.stringify(manifest, null, 2)}\n`
  const result = {
    written: written.sort(),
    removed: removed.sort(),
    unchanged: unchangedFiles.size,
  }
  if (
    written.length === 0 &&
    removed.length === 0 &&
    (await readText(join(abs, MANIFEST_NAME))) === manifestText
  ) {
    return result
  }

  const tmp = join(
    dirname(abs),
    `${siblings(abs).tmpPrefix}${process.pid}-${randomBytes(4).toString('hex')}`,
  )
  try {
    await mkdir(tmp, { recursive: true })
    const removedSet = new Set(removed)
    for (const path of existing) {
      if (
        path === MANIFEST_NAME ||
        removedSet.has(path) ||
        (files.has(path) && !unchangedFiles.has(path))
      )
        continue
      // Unchanged outputs and files that are not ours move over as they are.
      await linkOrCopy(join(abs, path), join(tmp, path))
    }
    for (const path of written) {
      const target = join(tmp, path)
      await mkdir(dirname(target), { recursive: true })
      await writeFile(target, files.get(path) ?? '')
    }
    await writeFile(join(tmp, MANIFEST_NAME), manifestText)
    if (hadDir) {
      const { old } = siblings(abs)
      await rename(abs, old)
      await rename(tmp, abs)
      await rm(old, { recursive: true, force: true })
    } else {
      await mkdir(dirname(abs), { recursive: true })
      await rename(tmp, abs)
    }
  } catch (error) {
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined)
    throw new OutputError(
      'K8S_CODEGEN_CLI_OUTPUT_WRITE',
      `cannot write generated files to ${abs}: ${(error as Error).message}`,
      { cause: error },
    )
  }
  return result
}
