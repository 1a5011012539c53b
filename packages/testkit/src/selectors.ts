// Label and field selectors as the apiserver parses and applies them: apimachinery
// `pkg/labels/selector.go` (Parse, the lexer's tokens and Requirement.Matches) and
// `pkg/fields/selector.go` (ParseSelector, escaping with `\`), with the per-kind selectable
// fields of kubernetes `pkg/apis/core/v1/conversion.go` AddFieldLabelConversionFunc and the
// registries' `GetAttrs`/`ToSelectableFields`.
import { isJsonObject, scalarText, type JsonObject } from './_json.js'
import { badRequest } from './status-errors.js'
import { selectableFieldValues } from './crd-selectable-fields.js'

type Operator = 'exists' | '!' | '=' | '!=' | 'in' | 'notin' | 'gt' | 'lt'

interface Requirement {
  key: string
  op: Operator
  values: string[]
}

/** A parsed label selector: every requirement must hold (AND). */
export type LabelSelector = Requirement[]

type Token =
  { kind: 'id'; text: string } | { kind: 'op'; text: string } | { kind: '(' | ')' | ',' | 'end' }

// labels/selector.go Lexer: identifiers end at whitespace or a special symbol.
function lex(text: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < text.length) {
    const c = text[i] ?? ''
    if (/\s/.test(c)) {
      i += 1
      continue
    }
    if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: c })
      i += 1
      continue
    }
    const two = text.slice(i, i + 2)
    if (two === '==' || two === '!=') {
      tokens.push({ kind: 'op', text: two })
      i += 2
      continue
    }
    if (c === '=' || c === '!' || c === '>' || c === '<') {
      tokens.push({ kind: 'op', text: c })
      i += 1
      continue
    }
    let j = i
    while (j < text.length && !/[\s(),=!<>]/.test(text[j] ?? '')) j += 1
    tokens.push({ kind: 'id', text: text.slice(i, j) })
    i = j
  }
  tokens.push({ kind: 'end' })
  return tokens
}

const labelKeyRe =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/
const labelValueRe = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/

function parseError(text: string, why: string): Error {
  return badRequest(
    `unable to parse requirement: ${why} (in label selector ${JSON.stringify(text)})`,
  )
}

/**
 * Parses a `labelSelector` query value; throws a 400 BadRequest Status error when invalid.
 *
 * @example
 * parseLabelSelector('app in (web,api),!canary,tier!=db')
 */
export function parseLabelSelector(text: string): LabelSelector {
  const tokens = lex(text)
  let pos = 0
  const peek = (): Token => tokens[pos] ?? { kind: 'end' }
  const next = (): Token => tokens[pos++] ?? { kind: 'end' }
  const requirements: Requirement[] = []
  const checkKey = (key: string): void => {
    if (!labelKeyRe.test(key) || key.length > 316)
      throw parseError(text, `invalid label key ${JSON.stringify(key)}`)
  }
  const checkValue = (value: string): void => {
    if (value.length > 63 || !labelValueRe.test(value))
      throw parseError(text, `invalid label value ${JSON.stringify(value)}`)
  }
  if (peek().kind === 'end') return []
  for (;;) {
    let token = next()
    if (token.kind === 'op' && token.text === '!') {
      const key = next()
      if (key.kind !== 'id') throw parseError(text, "found '!', expected: identifier")
      checkKey(key.text)
      requirements.push({ key: key.text, op: '!', values: [] })
    } else if (token.kind === 'id') {
      const key = token.text
      checkKey(key)
      const after = peek()
      if (after.kind === ',' || after.kind === 'end') {
        requirements.push({ key, op: 'exists', values: [] })
      } else if (after.kind === 'op') {
        next()
        const op =
          after.text === '==' || after.text === '='
            ? '='
            : after.text === '!='
              ? '!='
              : after.text === '>'
                ? 'gt'
                : after.text === '<'
                  ? 'lt'
                  : undefined
        if (op === undefined)
          throw parseError(text, `found '${after.text}', expected: '=', '!=', '==', 'in', notin'`)
        const value = peek()
        let v = ''
        if (value.kind === 'id') {
          next()
          v = value.text
        } else if (op === 'gt' || op === 'lt' || (value.kind !== ',' && value.kind !== 'end')) {
          throw parseError(text, 'expected a value')
        }
        if (op === 'gt' || op === 'lt') {
          if (!/^-?\d+$/.test(v))
            throw parseError(text, `for 'Gt', 'Lt' operators, the value must be an integer`)
        } else checkValue(v)
        requirements.push({ key, op, values: [v] })
      } else if (after.kind === 'id' && (after.text === 'in' || after.text === 'notin')) {
        next()
        if (next().kind !== '(') throw parseError(text, `found '${after.text}', expected: '('`)
        const values: string[] = []
        for (;;) {
          const value = next()
          if (value.kind === 'id') {
            checkValue(value.text)
            values.push(value.text)
            const sep = next()
            if (sep.kind === ')') break
            if (sep.kind !== ',') throw parseError(text, "expected ',' or ')'")
          } else if (value.kind === ')' && values.length === 0) {
            throw parseError(text, "for 'in', 'notin' operators, values set can't be empty")
          } else if (value.kind === ',' || value.kind === ')') {
            // An empty value between commas is the empty string, as the Go parser reads it.
            values.push('')
            if (value.kind === ')') break
          } else throw parseError(text, "expected ')'")
        }
        requirements.push({ key, op: after.text, values })
      } else {
        throw parseError(
          text,
          `found '${after.kind === 'id' ? after.text : after.kind}', expected: '=', '!=', '==', 'in', notin'`,
        )
      }
    } else {
      throw parseError(text, 'expected: !, identifier')
    }
    token = next()
    if (token.kind === 'end') break
    if (token.kind !== ',') throw parseError(text, "expected: ','")
  }
  // Go sorts requirements by key; order does not change the result.
  return requirements
}

/** Whether `labels` satisfy every requirement (labels/selector.go Requirement.Matches). */
export function matchesLabels(selector: LabelSelector, labels: Record<string, string>): boolean {
  for (const { key, op, values } of selector) {
    const has = Object.hasOwn(labels, key)
    const value = labels[key] ?? ''
    switch (op) {
      case 'exists':
        if (!has) return false
        break
      case '!':
        if (has) return false
        break
      case '=':
      case 'in':
        if (!has || !values.includes(value)) return false
        break
      case '!=':
      case 'notin':
        if (has && values.includes(value)) return false
        break
      case 'gt':
      case 'lt': {
        if (!has || !/^-?\d+$/.test(value)) return false
        const n = Number(value)
        const bound = Number(values[0])
        if (op === 'gt' ? !(n > bound) : !(n < bound)) return false
      }
    }
  }
  return true
}

interface FieldTerm {
  field: string
  equal: boolean
  value: string
}

/** A parsed field selector: every term must hold. */
export type FieldSelector = FieldTerm[]

// fields/selector.go: terms split on unescaped `,`; `\,`, `\=`, `\\` escape.
function splitUnescaped(text: string, sep: string): string[] {
  const parts: string[] = []
  let current = ''
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i] ?? ''
    if (c === '\\') {
      current += c + (text[i + 1] ?? '')
      i += 1
    } else if (c === sep) {
      parts.push(current)
      current = ''
    } else current += c
  }
  parts.push(current)
  return parts
}

function unescape(text: string): string {
  return text.replace(/\\(.)/g, '$1')
}

/** Which fields a kind can be selected by (metadata.name and metadata.namespace always). */
const selectableFields: Record<string, (object: JsonObject) => Record<string, string>> = {
  '/pods': (o) => ({
    'spec.nodeName': str(o, 'spec', 'nodeName'),
    'spec.restartPolicy': str(o, 'spec', 'restartPolicy'),
    'spec.schedulerName': str(o, 'spec', 'schedulerName'),
    'spec.serviceAccountName': str(o, 'spec', 'serviceAccountName'),
    'spec.hostNetwork': String(get(o, 'spec', 'hostNetwork') === true),
    'status.phase': str(o, 'status', 'phase'),
    'status.podIP': str(o, 'status', 'podIP'),
    'status.nominatedNodeName': str(o, 'status', 'nominatedNodeName'),
  }),
  '/nodes': (o) => ({ 'spec.unschedulable': String(get(o, 'spec', 'unschedulable') === true) }),
  '/namespaces': (o) => ({ 'status.phase': str(o, 'status', 'phase') }),
  '/secrets': (o) => ({ type: typeof o['type'] === 'string' ? o['type'] : '' }),
  '/replicationcontrollers': (o) => ({
    'status.replicas': scalarText(get(o, 'status', 'replicas') ?? 0),
  }),
  '/events': (o) => ({
    'involvedObject.kind': str(o, 'involvedObject', 'kind'),
    'involvedObject.namespace': str(o, 'involvedObject', 'namespace'),
    'involvedObject.name': str(o, 'involvedObject', 'name'),
    'involvedObject.uid': str(o, 'involvedObject', 'uid'),
    'involvedObject.apiVersion': str(o, 'involvedObject', 'apiVersion'),
    'involvedObject.resourceVersion': str(o, 'involvedObject', 'resourceVersion'),
    'involvedObject.fieldPath': str(o, 'involvedObject', 'fieldPath'),
    reason: typeof o['reason'] === 'string' ? o['reason'] : '',
    reportingComponent: typeof o['reportingComponent'] === 'string' ? o['reportingComponent'] : '',
    source: str(o, 'source', 'component'),
    type: typeof o['type'] === 'string' ? o['type'] : '',
  }),
  'batch/jobs': (o) => ({ 'status.successful': scalarText(get(o, 'status', 'succeeded') ?? 0) }),
}

function get(object: JsonObject, ...path: string[]): unknown {
  let node: unknown = object
  for (const key of path) node = isJsonObject(node) ? node[key] : undefined
  return node
}

function str(object: JsonObject, ...path: string[]): string {
  const value = get(object, ...path)
  return typeof value === 'string' ? value : ''
}

/**
 * The fields of `object` a selector on `<group>/<resource>` may name; `selectable`: a custom
 * resource version's selectable fields (crd-selectable-fields.ts).
 */
export function fieldsOf(
  collection: string,
  object: JsonObject,
  selectable: readonly string[] = [],
): Record<string, string> {
  const metadata = isJsonObject(object['metadata']) ? object['metadata'] : {}
  const base: Record<string, string> = {
    'metadata.name': typeof metadata['name'] === 'string' ? metadata['name'] : '',
  }
  base['metadata.namespace'] =
    typeof metadata['namespace'] === 'string' ? metadata['namespace'] : ''
  return {
    ...base,
    ...(selectableFields[collection]?.(object) ?? {}),
    ...selectableFieldValues(selectable, object),
  }
}

/**
 * Parses a `fieldSelector` for `<group>/<resource>`; unknown fields are a 400 BadRequest, as
 * the kinds' conversion functions (`field label not supported: x`, custom resources too) and
 * the default metadata-only conversion (`"x" is not a known field selector`) answer.
 */
export function parseFieldSelector(
  text: string,
  collection: string,
  custom: boolean,
  selectable: readonly string[] = [],
): FieldSelector {
  const terms: FieldTerm[] = []
  if (text.trim() === '') return terms
  const known = new Set(Object.keys(fieldsOf(collection, {}, selectable)))
  for (const part of splitUnescaped(text, ',')) {
    // apimachinery `pkg/fields/selector.go` parseSelector skips empty terms (`a=b,`, `,a=b`).
    if (part === '') continue
    const match = /^((?:[^\\=!]|\\.)*)(==|=|!=)(.*)$/.exec(part)
    if (match === null) throw badRequest(`invalid selector: '${text}'; can't understand '${part}'`)
    const field = unescape(match[1] ?? '').trim()
    if (!known.has(field)) {
      // Kinds with their own field label conversion (pods, events…; custom resources through
      // apiextensions-apiserver's) answer `field label not supported`; the rest fall back to
      // apimachinery runtime.DefaultMetaV1FieldSelectorConversion's text.
      throw badRequest(
        custom || known.size > 2
          ? `field label not supported: ${field}`
          : `${JSON.stringify(field)} is not a known field selector: only "metadata.name", "metadata.namespace"`,
      )
    }
    terms.push({ field, equal: match[2] !== '!=', value: unescape(match[3] ?? '') })
  }
  return terms
}

/** Whether `fields` satisfy every term. */
export function matchesFields(selector: FieldSelector, fields: Record<string, string>): boolean {
  return selector.every((t) => (fields[t.field] === t.value) === t.equal)
}
