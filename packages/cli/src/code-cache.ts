// Runs a CommonJS bundle of the CLI with a V8 code cache, so a start deserializes the functions an
// earlier run compiled instead of parsing and compiling them again (Node 20 has no
// `module.enableCompileCache`, which does this from Node 22 on). The CLI bundles its argument
// parser (yargs), its locks (proper-lockfile) and the cluster client (undici, the kubeconfig's
// YAML parser) this way: they compile most of what a warm `fetch` runs.
//
// The cache is a shortcut only, never trusted blindly:
// - keyed by the bundle's content (SHA-256), Node's and V8's versions, the architecture and the
//   flags the process runs with, so another build, runtime or flag set never sees it;
// - sealed with its length and SHA-256: a damaged or truncated file is ignored (V8 itself checks
//   only a header), and a cache V8 rejects is ignored too; either is then written anew;
// - written atomically (temp file, then rename) when the process exits, once the command has run,
//   so it holds what the command compiled; a process killed before leaves at most a temp file;
// - kept per user, in a directory only the user can write (as executable as the bundle itself),
//   in the OS temp directory, where Node 22 keeps its own compile cache; one file per bundle,
//   install, runtime and command (the functions `fetch` compiles are not those `--help` does),
//   and a build's files replace those the builds before it left at the same place: two installs
//   of other versions (two projects, a global one) keep theirs side by side instead of replacing
//   each other's on every run;
// - bounded as Go's build cache is (cmd/go/internal/cache/cache.go `markUsed`, `Trim`; the spec
//   cache's trim, openapi `cache-trim.ts`, keeps the same rule): a file's mtime is set when it is
//   used, at most hourly, and a file unused for 5 days (another Node version, other flags, an
//   install gone) is removed by the next run that writes a cache. A run reading a file as it is
//   removed has it open already or finds none and compiles; no file is ever half written.
import { createHash } from 'node:crypto'
import {
  closeSync,
  fstatSync,
  futimesSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { Script } from 'node:vm'

const MAGIC = Buffer.from('K8SCGV8-2', 'latin1')
// Node's CommonJS module wrapper.
const WRAPPER_START = Buffer.from('(function (exports, require, module, __filename, __dirname) {')
const WRAPPER_END = Buffer.from('\n})')
// MAGIC, the payload's length (uint32 LE) and its SHA-256, then the payload.
const DIGEST_AT = MAGIC.length + 4
const HEADER_BYTES = DIGEST_AT + 32

// SHA-256 rather than a CRC: node:crypto keys the cache anyway, and node:zlib would be one more
// built-in to load on every start (~5 ms), where `--version` needs none.
const sha256 = (bytes: Uint8Array): Buffer => createHash('sha256').update(bytes).digest()

/**
 * Seals V8 cache data into the file format {@link unsealCodeCache} reads back.
 *
 * @example
 * writeFileSync(path, sealCodeCache(script.createCachedData()))
 */
export function sealCodeCache(data: Uint8Array): Buffer {
  const header = Buffer.alloc(HEADER_BYTES)
  MAGIC.copy(header)
  header.writeUInt32LE(data.byteLength, MAGIC.length)
  sha256(data).copy(header, DIGEST_AT)
  return Buffer.concat([header, data])
}

/**
 * The V8 cache data of a sealed file, or undefined when it is not one whole: another format, a
 * truncated or extended file, a changed byte.
 *
 * @example
 * const cachedData = unsealCodeCache(readFileSync(path))
 */
export function unsealCodeCache(file: Buffer): Buffer | undefined {
  if (file.byteLength < HEADER_BYTES || !file.subarray(0, MAGIC.length).equals(MAGIC)) return
  const data = file.subarray(HEADER_BYTES)
  if (file.readUInt32LE(MAGIC.length) !== data.byteLength) return
  return file.subarray(DIGEST_AT, HEADER_BYTES).equals(sha256(data)) ? data : undefined
}

/**
 * The directory of the code caches: `k8s-codegen-code-cache-<uid>` in the OS temp directory,
 * created 0700; undefined when it is not a directory of this user that only this user can write
 * (then nothing is cached).
 *
 * @example
 * const dir = codeCacheDir()
 */
export function codeCacheDir(): string | undefined {
  const uid = process.getuid?.()
  const dir = join(tmpdir(), `k8s-codegen-code-cache${uid === undefined ? '' : `-${uid}`}`)
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    const stats = lstatSync(dir)
    if (!stats.isDirectory()) return undefined
    // Windows keeps a temp directory per user and has no POSIX owner or mode.
    if (uid !== undefined && (stats.uid !== uid || (stats.mode & 0o022) !== 0)) return undefined
    return dir
  } catch {
    return undefined
  }
}

// What the compiled code depends on besides the source: V8 rejects a cache of another version or
// flag set itself, but would then be handed the wrong file on every run.
function runtimeKey(): string {
  return createHash('sha256')
    .update(
      [
        process.version,
        process.versions.v8,
        process.arch,
        process.execArgv.join(' '),
        process.env.NODE_OPTIONS ?? '',
      ].join('\0'),
    )
    .digest('hex')
    .slice(0, 16)
}

// Go's mtimeInterval and trimLimit (+ the interval, for the imprecision of a "last used" mtime).
const MARK_USED_MS = 3_600_000
const UNUSED_MS = 5 * 24 * MARK_USED_MS + MARK_USED_MS

// A cache file read from `dir`: only a regular file of this user; marked used (its mtime, at most
// hourly).
function readOwnFile(path: string): Buffer | undefined {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch {
    return undefined
  }
  try {
    const stats = fstatSync(fd)
    const uid = process.getuid?.()
    if (!stats.isFile() || (uid !== undefined && stats.uid !== uid)) return undefined
    const bytes = readFileSync(fd)
    const now = Date.now()
    if (now - stats.mtimeMs >= MARK_USED_MS) {
      try {
        futimesSync(fd, now / 1000, now / 1000)
      } catch {
        // Not marked: removed a few days early at worst, then written again.
      }
    }
    return bytes
  } catch {
    return undefined
  } finally {
    closeSync(fd)
  }
}

// A temp file this old was left by a run killed between writing and renaming it.
const ABANDONED_MS = 60_000

// A cache file's name: `<script>.<install>.<content>.<runtime>.<command>.v8` (runCodeCached).
const CACHE_NAME = /^[^/\\]+\.[0-9a-f]{16}\.[0-9a-f]{64}\.[0-9a-f]{16}\.[a-z][a-z-]{0,31}\.v8$/

// Writes the cache of `script` as `name` in `dir`, atomically, and removes the caches of the
// script's other contents at the same install (`installed` but not `current`: the builds before
// there), those of the script named otherwise (an older version of this file's naming), every
// cache unused for 5 days and abandoned temp files. Never throws: the next run compiles as this
// one did.
function writeCache(
  dir: string,
  name: string,
  { script, installed, current }: { script: string; installed: string; current: string },
  compiled: Script,
): void {
  const temp = join(dir, `.${name}.${process.pid}.tmp`)
  try {
    writeFileSync(temp, sealCodeCache(compiled.createCachedData()), { mode: 0o600 })
    renameSync(temp, join(dir, name))
    for (const other of readdirSync(dir)) {
      const path = join(dir, other)
      if (
        other.endsWith('.v8') &&
        ((other.startsWith(script) &&
          ((other.startsWith(installed) && !other.startsWith(current)) ||
            !CACHE_NAME.test(other))) ||
          Date.now() - lstatSync(path).mtimeMs > UNUSED_MS)
      )
        rmSync(path, { force: true })
      else if (
        other.startsWith(`.${script}`) &&
        other.endsWith('.tmp') &&
        Date.now() - lstatSync(path).mtimeMs > ABANDONED_MS
      )
        rmSync(path, { force: true })
    }
  } catch {
    rmSync(temp, { force: true })
  }
}

/**
 * Which cache of a script a run uses: the command it runs (`fetch`, `generate`…), whose code
 * paths differ, or `other` (`--help`, `--version`, a typo).
 *
 * @example
 * codeCacheVariant(['node', 'bin.js', 'fetch', '--json']) // 'fetch'
 */
export function codeCacheVariant(argv: readonly string[]): string {
  const command = argv[2] ?? ''
  return /^[a-z][a-z-]{0,31}$/.test(command) ? command : 'other'
}

/**
 * Runs the CommonJS bundle `file` (Node's module wrapper, its own `require`) with the V8 code
 * cache of its content kept in `dir` ({@link codeCacheDir}; none: compiled as usual), one per
 * `variant` ({@link codeCacheVariant}), and returns its `module.exports`. Without a usable cache,
 * the cache of what the process compiled is written as it exits.
 *
 * @example
 * const cluster = runCodeCached('/app/dist/chunks/cluster.cjs', codeCacheDir(), 'fetch') as typeof import('@k8s-codegen/cluster')
 */
export function runCodeCached(file: string, dir: string | undefined, variant: string): unknown {
  const source = readFileSync(file)
  const scriptName = `${basename(file)}.`
  // `<script>.<install>.<content>.<runtime>.<command>.v8`, the install a SHA-256 of the script's
  // path and the content one of its bytes: a build's caches replace those of the builds before it
  // at the same path; another install's, and a runtime's (Node, flags), stay beside them.
  const installed = `${scriptName}${sha256(Buffer.from(file)).toString('hex').slice(0, 16)}.`
  const current = `${installed}${sha256(source).toString('hex')}.`
  const name = `${current}${runtimeKey()}.${variant}.v8`
  const sealed = dir === undefined ? undefined : readOwnFile(join(dir, name))
  const cachedData = sealed === undefined ? undefined : unsealCodeCache(sealed)
  // One string of the wrapped source, decoded once: a ~1 MB string concatenated from another
  // would leave the first as old-generation garbage, enough to start a full GC on a warm run.
  const wrapped = Buffer.concat([WRAPPER_START, source, WRAPPER_END]).toString('utf8')
  const compiled = new Script(wrapped, {
    filename: file,
    ...(cachedData === undefined ? {} : { cachedData }),
  })
  if (dir !== undefined && (cachedData === undefined || compiled.cachedDataRejected === true))
    process.once('exit', () =>
      writeCache(dir, name, { script: scriptName, installed, current }, compiled),
    )
  const module = { exports: {} as unknown }
  const wrapper = compiled.runInThisContext() as (...args: unknown[]) => void
  wrapper(module.exports, createRequire(file), module, file, dirname(file))
  return module.exports
}
