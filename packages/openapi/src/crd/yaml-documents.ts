// The documents of one CRD file: split at document markers while counting them (the count limit
// holds before anything is parsed), each parsed on its own (yaml-load.ts: a fast path for block
// YAML, else js-yaml; scripts/bench/crd-yaml.js), and each bounded by its size with aliases
// expanded, measured on the parsed value.
import { overLimit, type CrdReadLimits } from './read-limits.js'
import type * as YamlLoad from './yaml-load.js'

/**
 * One document of a YAML stream: its text, its index in the file and the file line it starts on
 * (0-based), so errors name the line of the file, not of the document.
 *
 * @example
 * const [first] = splitYamlDocuments('a: 1\n---\nb: 2\n', 'f.yaml', 10) // { text: 'a: 1\n', index: 0, line: 0 }
 */
export interface YamlDocumentText {
  text: string
  index: number
  line: number
}

function isMarker(text: string, at: number, marker: '---' | '...'): boolean {
  if (!text.startsWith(marker, at)) return false
  const next = text.charCodeAt(at + 3)
  // The end of input, a line break, a space or a tab: a marker (YAML 1.2 c-forbidden, §9.1).
  return Number.isNaN(next) || next === 10 || next === 13 || next === 32 || next === 9
}

// A line that holds no node: blank, a comment, or (before any content) a directive.
function isEmptyLine(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i)
    if (c === 32 || c === 9 || c === 13) continue
    return c === 35 /* # */ || (c === 37 /* % */ && i === start)
  }
  return true
}

/**
 * Splits a YAML stream into its documents at `---` and `...` lines, counting them as it goes:
 * document `max` (0-based) is refused with `K8S_CODEGEN_OPENAPI_CRD_TOO_LARGE` before any
 * document is parsed. Comments and directives before the first `---` belong to the first
 * document, as in YAML; a `---` line is a document start as apimachinery's YAMLReader
 * (`pkg/util/yaml/decoder.go`, `Read`) splits `kubectl apply -f` input.
 *
 * @example
 * [...splitYamlDocuments('a: 1\n---\nb: 2\n', 'f.yaml', 10)].length // 2
 */
export function* splitYamlDocuments(
  text: string,
  file: string,
  limits: CrdReadLimits,
): Generator<YamlDocumentText> {
  let index = 0
  let start = 0
  let startLine = 0
  // The current document has a node, or was opened by a `---` (an empty document still counts).
  let content = false
  let opened = false
  const emit = (end: number): YamlDocumentText => {
    if (index >= limits.documents) throw overLimit(`${file} document ${index}`, 'documents', limits)
    return { text: text.slice(start, end), index: index++, line: startLine }
  }
  let line = 0
  for (let at = 0; at < text.length; line++) {
    const newline = text.indexOf('\n', at)
    const end = newline === -1 ? text.length : newline + 1
    if (isMarker(text, at, '---')) {
      if (content || opened) {
        yield emit(at)
        start = at
        startLine = line
      }
      opened = true
      // `--- value` starts a document with a node on the marker line.
      content = !isEmptyLine(text, at + 3, end)
    } else if (isMarker(text, at, '...')) {
      if (content || opened) yield emit(end)
      start = end
      startLine = line + 1
      content = false
      opened = false
    } else if (!content && !isEmptyLine(text, at, end)) {
      content = true
    }
    at = end
  }
  if (content || opened) yield emit(text.length)
}

/**
 * The size of `value` as compact JSON (strings counted unescaped), each shared (aliased) node
 * counted every time it is used but measured once; `Infinity` as soon as it passes `limit`, and
 * for a node that contains itself (an alias to an enclosing anchor).
 *
 * @example
 * const a = ['x']
 * expandedJsonBytes({ b: [a, a] }, 1000) // 19, the length of '{"b":[["x"],["x"]]}'
 */
export function expandedJsonBytes(value: unknown, limit: number): number {
  const sizes = new Map<object, number>()
  const size = (node: unknown): number => {
    if (typeof node === 'string') return node.length + 2
    if (typeof node !== 'object' || node === null) return String(node).length
    const known = sizes.get(node)
    if (known !== undefined) return known
    sizes.set(node, Infinity)
    // The opening bracket, then each member and the comma or bracket after it.
    let total = 1
    if (Array.isArray(node)) {
      for (const item of node as unknown[]) {
        total += size(item) + 1
        if (total > limit) return Infinity
      }
    } else {
      for (const [key, item] of Object.entries(node)) {
        total += key.length + 3 + size(item) + 1
        if (total > limit) return Infinity
      }
    }
    total = Math.max(total, 2)
    sizes.set(node, total)
    return total
  }
  return size(value)
}

let loader: Promise<typeof YamlLoad> | undefined

/**
 * Parses one document of {@link splitYamlDocuments} (YAML, which includes JSON) with the YAML 1.2
 * core schema, as `yaml` read them before: no timestamps, no merge keys. A syntax error is
 * `K8S_CODEGEN_OPENAPI_CRD_INVALID` naming the document and the file's line and column, as is
 * nesting too deep for the parser; a document over `limits.expandedBytes` with its aliases
 * expanded, `K8S_CODEGEN_OPENAPI_CRD_TOO_LARGE`. ({@link loadYamlDocument}, loaded on first use:
 * a run that converts no YAML never loads a parser.)
 *
 * @example
 * const [document] = splitYamlDocuments('a: 1\n', 'a.yaml', DEFAULT_CRD_READ_LIMITS)
 * await parseYamlDocument(document, 'a.yaml', DEFAULT_CRD_READ_LIMITS) // { a: 1 }
 */
export async function parseYamlDocument(
  document: YamlDocumentText,
  file: string,
  limits: CrdReadLimits,
): Promise<unknown> {
  const { loadYamlDocument } = await (loader ??= import('./yaml-load.js'))
  return loadYamlDocument(document, file, limits)
}

/**
 * Parses each document of a YAML stream ({@link splitYamlDocuments}, then
 * {@link parseYamlDocument}); the first bad document ends the stream with its error.
 *
 * @example
 * for await (const { value, index } of parseYamlDocuments(text, 'crds/a.yaml', DEFAULT_CRD_READ_LIMITS)) console.log(index, value)
 */
export async function* parseYamlDocuments(
  text: string,
  file: string,
  limits: CrdReadLimits,
): AsyncGenerator<{ value: unknown; index: number }> {
  const { loadYamlDocuments } = await (loader ??= import('./yaml-load.js'))
  yield* loadYamlDocuments(text, file, limits)
}
