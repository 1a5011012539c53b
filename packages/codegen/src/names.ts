// The one place where a string a server sent becomes a name in the output: an identifier, a
// property name or a module path. Everything else emits server strings as quoted literals in a
// syntax tree. Names are safe (never a keyword, never a non-identifier character, never a path
// that leaves the output), unique (per module for identifiers, across the output — ignoring case,
// for case-insensitive file systems — for module paths) and stable: the same input gives the same
// names whatever order it arrives in, because every scope hands out names in sorted order.

// ECMAScript reserved words, strict-mode and contextual words that cannot name a declaration,
// and TypeScript's predefined type names (a type alias may not be named `string`).
const RESERVED = new Set([
  ...'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with'.split(
    ' ',
  ),
  ...'implements interface let package private protected public static yield await arguments eval'.split(
    ' ',
  ),
  ...'any bigint boolean never number object string symbol undefined unknown'.split(' '),
])

// Windows device names, which no file or directory may be called on that platform.
const DEVICE_NAMES = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i

/**
 * Maps any string to a TypeScript identifier that is not reserved: characters outside
 * `[A-Za-z0-9_]` become `_` (so no server-derived identifier ever contains `$`, which the
 * generator keeps for its own names), a leading digit gets a `_` prefix, a reserved word a `_`
 * suffix. Not unique by itself: {@link IdentifierScope} makes it so.
 *
 * @example
 * toIdentifier('My-Widget') // 'My_Widget'
 * toIdentifier('class') // 'class_'
 * toIdentifier('X {}\nvoid import("node:child_process")') // 'X____void_import__node_child_process__'
 */
export function toIdentifier(raw: string): string {
  let id = raw.replace(/[^A-Za-z0-9_]/g, '_')
  if (id === '') id = '_'
  if (/^[0-9]/.test(id)) id = `_${id}`
  return RESERVED.has(id) ? `${id}_` : id
}

/**
 * Hands out unique identifiers in one scope (a module's declarations). Claims must be made in a
 * stable order; the first claim of a base name keeps it, later ones get `_2`, `_3`, ….
 *
 * @example
 * const scope = new IdentifierScope()
 * scope.claim('Foo-Bar') // 'Foo_Bar'
 * scope.claim('Foo_Bar') // 'Foo_Bar_2'
 */
export class IdentifierScope {
  readonly #taken = new Set<string>()

  constructor(reserved: Iterable<string> = []) {
    for (const name of reserved) this.#taken.add(name)
  }

  claim(raw: string): string {
    const base = toIdentifier(raw)
    let id = base
    for (let n = 2; this.#taken.has(id); n++) id = `${base}_${n}`
    this.#taken.add(id)
    return id
  }
}

/**
 * A property name node's text: an identifier when it is one (`apiVersion`), else `undefined`
 * (the caller quotes it as a string literal). Reserved words are fine as property names in a
 * type; numeric-looking names are quoted so their text is kept exactly, and so is `__proto__`: a
 * CRD field of that name (the apiserver accepts and publishes it) reads as the data key it is,
 * not as the prototype an object literal's bare `__proto__:` sets.
 *
 * @example
 * isPlainPropertyName('x-kubernetes-foo') // false
 */
export function isPlainPropertyName(name: string): boolean {
  return name !== '__proto__' && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name)
}

function safeSegment(raw: string, last: boolean): string {
  // A file name keeps no '.', so no version can make `x.d.ts`, `x.js.ts` or `.ts`.
  let segment = raw.replace(last ? /[^A-Za-z0-9_-]/g : /[^A-Za-z0-9._-]/g, '_')
  if (segment === '' || segment.startsWith('.')) segment = `_${segment}`
  if (DEVICE_NAMES.test(segment)) segment = `_${segment}`
  return segment
}

/**
 * Hands out the output's module paths (without extension): each segment keeps only
 * `[A-Za-z0-9._-]` (no `.` in the file name), never `.`/`..`/empty or a device name, and two
 * modules never share a path that differs only in case. Claims must be made in a stable order.
 *
 * @example
 * const paths = new ModulePaths()
 * paths.claim('example.dev/v1') // 'example.dev/v1'
 * paths.claim('../../etc/passwd') // '_../_../etc/passwd'
 */
export class ModulePaths {
  readonly #byRaw = new Map<string, string>()
  // Lower-cased, so that two names differing only in case count as one.
  readonly #files = new Set<string>(['index.ts', 'index.js', 'index.d.ts'])
  readonly #dirs = new Set<string>()

  claim(raw: string): string {
    const known = this.#byRaw.get(raw)
    if (known !== undefined) return known
    const parts = raw.split('/')
    const safe = parts.map((p, i) => safeSegment(p, i === parts.length - 1))
    // On a collision the first segment is numbered: a fresh top-level name cannot collide with
    // anything below it, so the loop ends.
    let path = safe.join('/')
    for (let n = 2; this.#collides(path); n++) {
      path = [`${safe[0] ?? ''}-${n}`, ...safe.slice(1)].join('/')
    }
    const { files, dirs } = occupied(path)
    for (const file of files) this.#files.add(file)
    for (const dir of dirs) this.#dirs.add(dir)
    this.#byRaw.set(raw, path)
    return path
  }

  // A file may not take another file's name or a directory's (`runtime.ts` the file and
  // `runtime.ts/` a group's directory); directories are shared freely.
  #collides(path: string): boolean {
    const { files, dirs } = occupied(path)
    return (
      files.some((f) => this.#files.has(f) || this.#dirs.has(f)) ||
      dirs.some((d) => this.#files.has(d))
    )
  }
}

function occupied(path: string): { files: string[]; dirs: string[] } {
  const lower = path.toLowerCase()
  const segments = lower.split('/')
  const dirs = segments.slice(0, -1).map((_, i) => segments.slice(0, i + 1).join('/'))
  return { files: [`${lower}.ts`, `${lower}.js`, `${lower}.d.ts`], dirs }
}

/**
 * The relative import specifier from one module path to another, with the `.js` NodeNext needs.
 *
 * @example
 * importSpecifier('apps/v1', 'meta/v1') // '../meta/v1.js'
 */
export function importSpecifier(fromModule: string, toModule: string): string {
  const from = fromModule.split('/').slice(0, -1)
  const to = toModule.split('/')
  let common = 0
  while (common < from.length && common < to.length - 1 && from[common] === to[common]) common++
  const up = from.length - common
  const rest = to.slice(common).join('/')
  return `${up === 0 ? './' : '../'.repeat(up)}${rest}.js`
}

/**
 * The camel-case name a module is known by (`networking.k8s.io/v1` → `networkingK8sIoV1`), before
 * {@link IdentifierScope} makes it safe and unique.
 *
 * @example
 * moduleWords('networking.k8s.io/v1') // 'networkingK8sIoV1'
 */
export function moduleWords(modulePath: string): string {
  const words = modulePath.split(/[^A-Za-z0-9]+/).filter((w) => w !== '')
  return words
    .map((w, i) =>
      i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1),
    )
    .join('')
}

/**
 * The raw name of a nested object of a CRD schema, from its declaration's identifier and the
 * property path down to it, as kopium and crd-generate name them: each property name in
 * PascalCase, its non-alphanumeric characters dropped as word breaks. {@link IdentifierScope}
 * makes it safe and unique.
 *
 * @example
 * nestedTypeName('Application', ['spec', 'source', 'helm']) // 'ApplicationSpecSourceHelm'
 * nestedTypeName('VirtualService', ['spec', 'http-routes']) // 'VirtualServiceSpecHttpRoutes'
 */
export function nestedTypeName(parent: string, path: readonly string[]): string {
  const words = path.flatMap((segment) => segment.split(/[^A-Za-z0-9]+/))
  return parent + words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('')
}
