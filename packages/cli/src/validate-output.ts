// What `validate` prints: a line per cause naming file, document, object, field and rule; or with
// `--output json` the document kubectl-validate prints, so CI can swap one tool for the other
// (sigs.k8s.io/kubectl-validate pkg/cmd/validate.go Run and errorToStatus: a map from each file
// to one metav1.Status per document, rendered by Go's json.MarshalIndent with four spaces).
import type { DocumentResult, FileResult } from './validate-run.js'

/**
 * A `metav1.Status` as Go's encoding/json writes it: TypeMeta empty (so no `kind`/`apiVersion`),
 * `metadata: {}`, and every `omitempty` field left out when empty.
 *
 * @example
 * const success: GoStatus = { metadata: {}, status: 'Success' }
 */
export interface GoStatus {
  metadata: Record<string, never>
  status: 'Success' | 'Failure'
  message?: string
  reason?: string
  details?: {
    name?: string
    group?: string
    kind?: string
    causes?: { reason?: string; message?: string; field?: string }[]
  }
  code?: number
}

function omitEmpty<T extends Record<string, unknown>>(record: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(record).filter(([, v]) => v !== '' && v !== undefined),
  ) as Partial<T>
}

/**
 * One document's Status as kubectl-validate reports it: `Success`, the Status the server would
 * answer (422 Invalid, or the 400 of strict decoding), or for a document that could not be
 * validated the 500 `InternalError` kubectl-validate wraps any other error in
 * (apimachinery `errors.NewInternalError`).
 *
 * @example
 * toGoStatus({ index: 0, object: undefined, warnings: [], outcome: 'valid' }) // { metadata: {}, status: 'Success' }
 */
export function toGoStatus(result: DocumentResult): GoStatus {
  if (result.outcome === 'valid') return { metadata: {}, status: 'Success' }
  if (result.outcome === 'unusable') {
    return {
      metadata: {},
      status: 'Failure',
      message: `Internal error occurred: ${result.message}`,
      reason: 'InternalError',
      details: { causes: [{ message: result.message }] },
      code: 500,
    }
  }
  const { status } = result
  const details =
    'details' in status
      ? {
          details: {
            ...omitEmpty({
              name: status.details.name,
              group: status.details.group,
              kind: status.details.kind,
            }),
            causes: status.details.causes.map((c) =>
              omitEmpty({ reason: c.reason, message: c.message, field: c.field }),
            ),
          },
        }
      : {}
  return {
    metadata: {},
    status: 'Failure',
    message: status.message,
    reason: status.reason,
    ...details,
    code: status.code,
  }
}

// Go's encoder escapes <, > and & (and U+2028/U+2029) inside strings (encoding/json
// HTMLEscape); outside strings JSON has none of them.
const goEscape = (json: string): string =>
  json.replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${(c.codePointAt(0) as number).toString(16).padStart(4, '0')}`,
  )

/**
 * `--output json`: `{ "<path>": [Status per object] }`, paths sorted (Go sorts map keys), indented
 * by four spaces, as kubectl-validate prints it.
 *
 * @example
 * kubectlValidateJson([{ name: 'a.yaml', documents: [{ index: 0, object: undefined, warnings: [], outcome: 'valid' }] }])
 * // '{\n    "a.yaml": [\n        {\n            "metadata": {},\n            "status": "Success"\n        }\n    ]\n}\n'
 */
export function kubectlValidateJson(files: readonly FileResult[]): string {
  // A file without documents gets no entry: kubectl-validate only appends to the map per document.
  const sorted = files
    .filter((f) => f.documents.length > 0)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const out = Object.fromEntries(sorted.map((f) => [f.name, f.documents.map(toGoStatus)]))
  return `${goEscape(JSON.stringify(out, null, 4))}\n`
}

/**
 * Where a result is: `manifests/a.yaml document 2 item 5 (Deployment web)`.
 *
 * @example
 * describeResult('a.yaml', { index: 0, object: 'ConfigMap c', warnings: [], outcome: 'valid' }) // 'a.yaml document 0 (ConfigMap c)'
 */
export function describeResult(file: string, result: DocumentResult): string {
  const item = result.item === undefined ? '' : ` item ${result.item}`
  const object = result.object === undefined ? '' : ` (${result.object})`
  return `${file} document ${result.index}${item}${object}`
}

/**
 * The text report: one line per cause (`<where>: <field>: <message> [<reason>]`), one per
 * document that could not be validated (and where schemas were looked up when one had none),
 * then a summary line.
 *
 * @example
 * validateText(files, ['--crds crds']) // 'a.yaml document 0 (Widget w): spec.replicas: Invalid value: 7: … [FieldValueInvalid]\n1 object in 1 file: 0 valid, 1 invalid\n'
 */
export function validateText(
  files: readonly FileResult[],
  schemaSources: readonly string[],
): string {
  const lines: string[] = []
  const counts = { valid: 0, invalid: 0, unusable: 0 }
  for (const file of files) {
    for (const result of file.documents) {
      counts[result.outcome]++
      const where = describeResult(file.name, result)
      // A reader's message names the file and document already.
      if (result.outcome === 'unusable')
        lines.push(
          result.message.startsWith(`${file.name} `) || result.message.startsWith(`${file.name}:`)
            ? `${result.message} (not validated)`
            : `${where}: not validated: ${result.message}`,
        )
      if (result.outcome !== 'invalid') continue
      const { status } = result
      if (!('details' in status) || status.details.causes.length === 0) {
        lines.push(`${where}: ${status.message} [${status.reason}]`)
        continue
      }
      for (const cause of status.details.causes) {
        const field = cause.field === '' ? '' : `${cause.field}: `
        lines.push(`${where}: ${field}${cause.message} [${cause.reason}]`)
      }
    }
  }
  if (files.some((f) => f.documents.some((d) => d.outcome === 'unusable' && d.noSchema === true)))
    lines.push(
      schemaSources.length === 0
        ? 'no schema source was given: give --crds, --specs-dir, --kube-version or a lockfile'
        : `schemas were looked up in ${schemaSources.join(', ')}`,
    )
  const objects = counts.valid + counts.invalid + counts.unusable
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`
  const unusable = counts.unusable === 0 ? '' : `, ${counts.unusable} not validated`
  lines.push(
    `${plural(objects, 'object')} in ${plural(files.length, 'file')}: ${counts.valid} valid, ${counts.invalid} invalid${unusable}`,
  )
  return `${lines.join('\n')}\n`
}

/**
 * The unknown-field warnings of every object, each naming where it is.
 *
 * @example
 * validateWarnings(files) // ['a.yaml document 0 (Widget w): unknown field "spec.color"']
 */
export function validateWarnings(files: readonly FileResult[]): string[] {
  return files.flatMap((file) =>
    file.documents.flatMap((result) =>
      result.warnings.map((w) => `${describeResult(file.name, result)}: ${w}`),
    ),
  )
}
