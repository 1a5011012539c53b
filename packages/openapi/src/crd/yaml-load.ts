// Reading YAML documents into values, synchronously: the block-style fast path (_block-yaml.ts)
// where it reads the document, js-yaml (CORE_SCHEMA) everywhere else and for every error, so a
// value, an error and its position are js-yaml's either way. Loaded on first use by
// yaml-documents.ts; the emulator (@k8s-codegen/testkit) reads its CRD files through it too.
import { CORE_SCHEMA, load, YAMLException } from 'js-yaml'
import { OpenApiError } from '../errors.js'
import { DECLINED, parseBlockYaml } from './_block-yaml.js'
import { overLimit, type CrdReadLimits } from './read-limits.js'
import { expandedJsonBytes, splitYamlDocuments, type YamlDocumentText } from './yaml-documents.js'

/**
 * What the fast path reads has no aliases, and its JSON (as {@link expandedJsonBytes} counts it)
 * is at most this many times its text with one more line break, plus 2: the most is each `a:`
 * line, 3 characters for the 9 of `"a":null,`. A document that small needs no walk to know it is
 * within `expandedBytes`.
 *
 * @example
 * const text = 'a:\nb:\n' // {"a":null,"b":null}: 19 ≤ 3 × 7 + 2
 * expandedJsonBytes(parseBlockYaml(text), Infinity) <= BLOCK_YAML_JSON_RATIO * (text.length + 1) + 2 // true
 */
export const BLOCK_YAML_JSON_RATIO = 3

function loadWithJsYaml(document: YamlDocumentText, where: string): unknown {
  try {
    return load(document.text, { schema: CORE_SCHEMA })
  } catch (error) {
    // js-yaml descends nested collections recursively: a hostile depth overflows its stack.
    if (error instanceof RangeError) {
      throw new OpenApiError(
        'K8S_CODEGEN_OPENAPI_CRD_INVALID',
        `${where}: not valid YAML: nested too deeply to parse`,
        { cause: error },
      )
    }
    if (!(error instanceof YAMLException)) throw error
    // The reason only (a fixed phrase, at most a tag name), never the quoted source line.
    // js-yaml places an error at the end of input one line past a text without a final line
    // break; the message names a line the file has (and then its end).
    const lines = document.text.split('\n')
    const count = lines.length - (document.text.endsWith('\n') ? 1 : 0)
    const past = error.mark.line + 1 > Math.max(count, 1)
    const lineInDocument = past ? Math.max(count, 1) : error.mark.line + 1
    const column = past ? (lines[lineInDocument - 1]?.length ?? 0) + 1 : error.mark.column + 1
    throw new OpenApiError(
      'K8S_CODEGEN_OPENAPI_CRD_INVALID',
      `${where}: not valid YAML (line ${document.line + lineInDocument}, column ${column}): ${error.reason.slice(0, 200)}`,
      { cause: error },
    )
  }
}

/**
 * {@link parseYamlDocument} without waiting: parses one document of {@link splitYamlDocuments}
 * with the YAML 1.2 core schema, refusing what it refuses with the same errors. An
 * `expandedBytes` limit of `Infinity` skips measuring the value.
 *
 * @example
 * const [document] = splitYamlDocuments('a: 1\n', 'a.yaml', DEFAULT_CRD_READ_LIMITS)
 * loadYamlDocument(document, 'a.yaml', DEFAULT_CRD_READ_LIMITS) // { a: 1 }
 */
export function loadYamlDocument(
  document: YamlDocumentText,
  file: string,
  limits: CrdReadLimits,
): unknown {
  const where = `${file} document ${document.index}`
  const fast = parseBlockYaml(document.text)
  const bound = BLOCK_YAML_JSON_RATIO * (document.text.length + 1) + 2
  if (fast !== DECLINED && bound <= limits.expandedBytes) return fast
  const value = fast === DECLINED ? loadWithJsYaml(document, where) : fast
  if (
    limits.expandedBytes !== Infinity &&
    expandedJsonBytes(value, limits.expandedBytes) > limits.expandedBytes
  )
    throw overLimit(where, 'expandedBytes', limits)
  return value
}

/**
 * Each document of a YAML stream, split ({@link splitYamlDocuments}) and parsed
 * ({@link loadYamlDocument}) one at a time; the first bad document ends the stream with its
 * error.
 *
 * @example
 * for (const { value, index } of loadYamlDocuments(text, 'crds/a.yaml', DEFAULT_CRD_READ_LIMITS)) console.log(index, value)
 */
export function* loadYamlDocuments(
  text: string,
  file: string,
  limits: CrdReadLimits,
): Generator<{ value: unknown; index: number }> {
  for (const document of splitYamlDocuments(text, file, limits)) {
    yield { value: loadYamlDocument(document, file, limits), index: document.index }
  }
}

export { DEFAULT_CRD_READ_LIMITS, type CrdReadLimits } from './read-limits.js'
