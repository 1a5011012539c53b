import { readdir, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { OpenApiError } from '../errors.js'

// Which files `--crds <path>` names, as `kubectl apply -f <path> -R` finds them (kubectl
// `pkg/cli-runtime/resource/visitor.go` ExpandPathsToFileVisitors): a file is read whatever its
// extension; a directory is walked for `.yaml`, `.yml` and `.json` with Go's filepath.Walk, which
// reads a symlinked file through its link but never descends a symlinked directory, so no walk
// can loop. Beyond kubectl, the walk leaves out `node_modules` and dot-directories unless a
// pattern names them, and globs are matched segment by segment without backtracking.

/** Most CRD files one `--crds` pattern may name: only candidate files count, not every file walked. */
export const MAX_CRD_FILES = 10_000
const CRD_FILE = /\.(ya?ml|json)$/i
const GLOB_CHARS = /[*?[]/

type Token =
  | { kind: 'char'; char: string }
  | { kind: 'any' }
  | { kind: 'star' }
  | { kind: 'class'; negate: boolean; ranges: [number, number][] }

/** One '/'-separated part of a glob: `**`, or a name pattern of `*`, `?`, `[…]` and literals. */
type Segment = { kind: 'globstar' } | { kind: 'name'; tokens: Token[]; named: boolean }

/**
 * How messages name what a walk looks for: the flag or command that gave the pattern, and the
 * files it collects. `findCrdFiles` serves `--crds` and `validate`'s manifests alike.
 *
 * @example
 * const naming: FileNaming = { flag: 'validate', files: 'manifest files' }
 */
export interface FileNaming {
  flag: string
  files: string
}

/** How `--crds` names its pattern and files. */
export const CRD_NAMING: FileNaming = { flag: '--crds', files: 'CRD files' }

// `where` names the pattern as messages print it: `--crds "crds/[a"`.
function badPattern(where: string, rule: string): OpenApiError {
  return new OpenApiError('K8S_CODEGEN_OPENAPI_CRD_PATTERN_INVALID', `${where}: ${rule}`)
}

// A class as Go's path.Match reads it: `[abc]`, `[a-z]`, `[^a]` or `[!a]`, `\` escaping one
// character, a `]` right after the `[` being a member; a reversed range or a missing `]` is
// ErrBadPattern. `chars` are code points.
function parseClass(where: string, chars: readonly string[], start: number): [Token, number] {
  let i = start + 1
  const negate = chars[i] === '^' || chars[i] === '!'
  if (negate) i++
  const ranges: [number, number][] = []
  const next = (): number => {
    if (chars[i] === '\\') i++
    const char = chars[i++]
    if (char === undefined) throw badPattern(where, 'a character class is not closed with "]"')
    return char.codePointAt(0) as number
  }
  while (chars[i] !== ']' || ranges.length === 0) {
    const low = next()
    let high = low
    if (chars[i] === '-' && chars[i + 1] !== ']') {
      i++
      high = next()
      if (high < low) {
        const range = `${String.fromCodePoint(low)}-${String.fromCodePoint(high)}`
        throw badPattern(where, `the character range "${range}" is reversed`)
      }
    }
    ranges.push([low, high])
    if (i >= chars.length) throw badPattern(where, 'a character class is not closed with "]"')
  }
  return [{ kind: 'class', negate, ranges }, i + 1]
}

function parseSegment(where: string, text: string): Segment {
  if (text === '**') return { kind: 'globstar' }
  const chars = [...text]
  const tokens: Token[] = []
  for (let i = 0; i < chars.length;) {
    const c = chars[i] as string
    if (c === '[') {
      const [token, next] = parseClass(where, chars, i)
      tokens.push(token)
      i = next
      continue
    }
    if (c === '*') {
      if (tokens.at(-1)?.kind !== 'star') tokens.push({ kind: 'star' })
    } else if (c === '?') tokens.push({ kind: 'any' })
    else if (c === '\\' && i + 1 < chars.length)
      tokens.push({ kind: 'char', char: chars[++i] as string })
    else tokens.push({ kind: 'char', char: c })
    i++
  }
  // A segment names a hidden or node_modules directory only by spelling out its first character.
  return { kind: 'name', tokens, named: tokens[0]?.kind === 'char' }
}

function matchToken(token: Token, char: string): boolean {
  if (token.kind === 'any') return true
  if (token.kind === 'char') return token.char === char
  if (token.kind === 'star') return false
  const code = char.codePointAt(0) as number
  const inside = token.ranges.some(([low, high]) => code >= low && code <= high)
  return inside !== token.negate
}

// The two-pointer wildcard match: on a mismatch only the last `*` is retried one character
// further, so a name of n characters against m tokens takes at most n·m steps.
function matchName(tokens: readonly Token[], name: string): boolean {
  const chars = [...name]
  let t = 0
  let c = 0
  let star = -1
  let starAt = 0
  while (c < chars.length) {
    const token = tokens[t]
    if (token?.kind === 'star') {
      star = t++
      starAt = c
    } else if (token !== undefined && matchToken(token, chars[c] as string)) {
      t++
      c++
    } else if (star !== -1) {
      t = star + 1
      c = ++starAt
    } else return false
  }
  while (tokens[t]?.kind === 'star') t++
  return t === tokens.length
}

const isHidden = (name: string): boolean => name.startsWith('.') || name === 'node_modules'

/** A compiled glob: the set of pattern positions still alive is advanced one segment at a time. */
class Glob {
  readonly #segments: Segment[]
  constructor(segments: Segment[]) {
    this.#segments = segments
  }

  /** Positions reachable without consuming a segment (a `**` may match none). */
  #close(states: Iterable<number>): Set<number> {
    const out = new Set<number>()
    for (let s of states) {
      out.add(s)
      while (this.#segments[s]?.kind === 'globstar') out.add(++s)
    }
    return out
  }

  start(): Set<number> {
    return this.#close([0])
  }

  step(states: ReadonlySet<number>, name: string): Set<number> {
    const next: number[] = []
    for (const s of states) {
      const segment = this.#segments[s]
      if (segment === undefined) continue
      if (segment.kind === 'globstar') {
        if (!isHidden(name)) next.push(s)
      } else if ((segment.named || !isHidden(name)) && matchName(segment.tokens, name)) {
        next.push(s + 1)
      }
    }
    return this.#close(next)
  }

  accepts(states: ReadonlySet<number>): boolean {
    return states.has(this.#segments.length)
  }
}

function compileGlob(where: string, parts: readonly string[]): Glob {
  return new Glob(parts.map((part) => parseSegment(where, part)))
}

class Walk {
  readonly files: string[] = []
  constructor(
    readonly pattern: string,
    readonly naming: FileNaming,
  ) {}

  add(path: string): void {
    this.files.push(path)
    if (this.files.length > MAX_CRD_FILES) {
      throw new OpenApiError(
        'K8S_CODEGEN_OPENAPI_CRD_INVALID',
        `${this.naming.flag} ${this.pattern}: names more than ${MAX_CRD_FILES} ${this.naming.files}`,
      )
    }
  }

  // filepath.Walk in lexical order; `glob` undefined for a plain directory (every CRD file).
  async dir(dir: string, glob?: Glob, states?: ReadonlySet<number>): Promise<void> {
    const entries = await readdir(dir, { withFileTypes: true })
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, entry.name)
      const next = glob === undefined ? undefined : glob.step(states as Set<number>, entry.name)
      if (next !== undefined && next.size === 0) continue
      if (entry.isDirectory()) {
        if (glob === undefined ? !isHidden(entry.name) : true) await this.dir(path, glob, next)
        continue
      }
      if (!CRD_FILE.test(entry.name)) continue
      if (glob !== undefined && !glob.accepts(next as Set<number>)) continue
      if (entry.isFile()) this.add(path)
      else if (entry.isSymbolicLink()) {
        // Read through the link, as kubectl opens it; a link to a directory is not descended.
        const target = await stat(path).catch((error: NodeJS.ErrnoException) => {
          throw new OpenApiError(
            'K8S_CODEGEN_OPENAPI_CRD_MISSING',
            `${this.naming.flag} ${this.pattern}: ${path} is a symbolic link that cannot be followed (${error.code ?? 'error'})`,
          )
        })
        if (target.isFile()) this.add(path)
      }
    }
  }
}

/**
 * The files one `--crds` entry names, relative to `cwd`: the file itself, the `.yaml`, `.yml` and
 * `.json` files below a directory, or the files a glob (`**`, `*`, `?`, `[…]`) matches, in walk
 * order. A bad glob is `K8S_CODEGEN_OPENAPI_CRD_PATTERN_INVALID`; a path that does not exist is
 * `K8S_CODEGEN_OPENAPI_CRD_MISSING`. `naming` words the messages for another caller
 * (`validate`'s manifests).
 *
 * @example
 * await findCrdFiles('charts/*\/crds/*.yaml', process.cwd()) // ['/repo/charts/a/crds/x.yaml', …]
 */
export async function findCrdFiles(
  pattern: string,
  cwd: string,
  naming: FileNaming = CRD_NAMING,
): Promise<string[]> {
  const walk = new Walk(pattern, naming)
  if (GLOB_CHARS.test(pattern)) {
    // The walk starts at the longest directory prefix without a glob character.
    const parts = pattern.split('/')
    const first = parts.findIndex((p) => GLOB_CHARS.test(p))
    const glob = compileGlob(`${naming.flag} ${JSON.stringify(pattern)}`, parts.slice(first))
    const base = resolve(cwd, parts.slice(0, first).join('/') || '.')
    await walk.dir(base, glob, glob.start()).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT' && error.code !== 'ENOTDIR') throw error
    })
    return walk.files
  }
  const path = resolve(cwd, pattern)
  const info = await stat(path).catch(() => undefined)
  if (info === undefined) {
    throw new OpenApiError(
      'K8S_CODEGEN_OPENAPI_CRD_MISSING',
      `${naming.flag} ${pattern}: no such file or directory`,
    )
  }
  if (!info.isDirectory()) return [path]
  await walk.dir(path)
  return walk.files
}
