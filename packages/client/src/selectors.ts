// Label and field selectors, checked before they are sent: strings parse exactly as the apiserver
// parses them (apimachinery pkg/labels/selector.go `Parse`, pkg/fields/selector.go
// `ParseSelector`), and the object forms (a meta/v1 LabelSelector — what a Deployment's
// `spec.selector` holds —, or a set of equalities) print as those functions' `String()` does.
import { isDns1123Subdomain } from '@k8s-codegen/proxy-url'

import { ClientError } from './errors.js'

/**
 * meta/v1 LabelSelector: `matchLabels` and `matchExpressions`, ANDed.
 *
 * @example
 * const selector: LabelSelector = { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] }
 */
export interface LabelSelector {
  matchLabels?: { [key: string]: string } | null
  // `key` and `operator` are optional because the served OpenAPI v3 documents give both
  // `default: ""`, so the generated LabelSelectorRequirement has them optional: a Deployment's
  // `spec.selector` fits as is. Absent is the server's default '', which LabelSelectorAsSelector
  // refuses (an empty key, an unknown operator), as labelSelectorString does.
  matchExpressions?:
    | {
        key?: string
        operator?: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | (string & {})
        values?: string[] | null
      }[]
    | null
}

// labels/selector.go: the lexer's special symbols and whitespace.
const SPECIAL = new Set(['=', '!', '(', ')', ',', '>', '<'])
const WHITESPACE = new Set([' ', '\t', '\r', '\n'])
const OPERATOR_TOKENS = new Set(['!', '!=', '(', ')', ',', '=', '==', '>', '<', 'in', 'notin'])

type Token = { kind: 'id' | 'op' | 'end'; text: string }

function lex(selector: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  for (;;) {
    while (i < selector.length && WHITESPACE.has(selector[i]!)) i++
    if (i >= selector.length) {
      tokens.push({ kind: 'end', text: '' })
      return tokens
    }
    if (SPECIAL.has(selector[i]!)) {
      // scanSpecialSymbol: the longest run of special symbols that is still a token.
      let text = ''
      let last = ''
      while (i < selector.length && SPECIAL.has(selector[i]!)) {
        const candidate = text + selector[i]!
        if (OPERATOR_TOKENS.has(candidate)) {
          text = candidate
          last = candidate
          i++
        } else if (last !== '') break
        else {
          text = candidate
          i++
        }
      }
      if (last === '') throw invalidLabels(selector, `error expected: keyword found '${text}'`)
      tokens.push({ kind: 'op', text: last })
      continue
    }
    let text = ''
    while (i < selector.length && !SPECIAL.has(selector[i]!) && !WHITESPACE.has(selector[i]!))
      text += selector[i++]!
    tokens.push({ kind: text === 'in' || text === 'notin' ? 'op' : 'id', text })
  }
}

function invalidLabels(selector: string, rule: string): ClientError {
  return new ClientError(
    'K8S_CODEGEN_CLIENT_INVALID_SELECTOR',
    `label selector ${JSON.stringify(selector)} is invalid: ${rule}`,
  )
}

// validation.IsQualifiedName (label keys): [prefix/]name, the name ≤ 63 characters of
// [A-Za-z0-9][-A-Za-z0-9_.]*[A-Za-z0-9], the prefix a DNS-1123 subdomain.
const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/
function labelKeyProblem(key: string): string | undefined {
  const parts = key.split('/')
  const name = parts.length === 2 ? parts[1]! : parts[0]!
  if (parts.length > 2) return `key ${JSON.stringify(key)} must be a qualified name: [prefix/]name`
  if (parts.length === 2 && (parts[0] === '' || !isDns1123Subdomain(parts[0]!)))
    return `key ${JSON.stringify(key)}: the prefix must be a DNS-1123 subdomain`
  if (name.length === 0 || name.length > 63 || !NAME_PART.test(name))
    return `key ${JSON.stringify(key)}: the name must be 1-63 characters, alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric`
  return undefined
}

// validation.IsValidLabelValue: empty, or ≤ 63 characters like a qualified name's name part.
function labelValueProblem(key: string, value: string): string | undefined {
  if (value === '' || (value.length <= 63 && NAME_PART.test(value))) return undefined
  return `value ${JSON.stringify(value)} of ${JSON.stringify(key)} must be empty or 1-63 characters, alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric`
}

interface Requirement {
  key: string
  operator: 'in' | 'notin' | '=' | '==' | '!=' | '>' | '<' | 'exists' | '!'
  values: string[]
}

// selector.go NewRequirement: one problem per broken rule.
function checkRequirement(selector: string, r: Requirement): void {
  const problems: string[] = []
  const keyProblem = labelKeyProblem(r.key)
  if (keyProblem !== undefined) problems.push(keyProblem)
  if ((r.operator === 'in' || r.operator === 'notin') && r.values.length === 0)
    problems.push("for 'in', 'notin' operators, values set can't be empty")
  if (r.operator === '>' || r.operator === '<') {
    if (r.values.length !== 1)
      problems.push("for 'Gt', 'Lt' operators, exactly one value is required")
    for (const v of r.values)
      if (!/^[+-]?\d+$/.test(v))
        problems.push(
          `for 'Gt', 'Lt' operators, the value must be an integer (${JSON.stringify(v)})`,
        )
  }
  for (const v of r.values) {
    const problem = labelValueProblem(r.key, v)
    if (problem !== undefined) problems.push(problem)
  }
  if (problems.length > 0) throw invalidLabels(selector, problems.join('; '))
}

/**
 * Parses a label selector string as kube-apiserver does (apimachinery labels `Parse`): `k=v`,
 * `k==v`, `k!=v`, `k in (a,b)`, `k notin (a)`, `k`, `!k`, `k>1`, `k<1`, comma-separated; keys
 * are qualified names, values label values. Throws `K8S_CODEGEN_CLIENT_INVALID_SELECTOR`;
 * returns the selector unchanged.
 *
 * @example
 * parseLabelSelector('app=web,tier in (a,b),!canary') // 'app=web,tier in (a,b),!canary'
 */
export function parseLabelSelector(selector: string): string {
  const tokens = lex(selector)
  let position = 0
  // In value position `in` and `notin` are identifiers (the parser's Values context).
  const peek = (values: boolean): Token => {
    const t = tokens[position]!
    return values && (t.text === 'in' || t.text === 'notin') ? { kind: 'id', text: t.text } : t
  }
  const next = (values: boolean): Token => {
    const t = peek(values)
    position++
    return t
  }
  for (;;) {
    const start = peek(true)
    if (start.kind === 'end') return selector
    if (start.kind !== 'id' && start.text !== '!')
      throw invalidLabels(
        selector,
        `found '${start.text}', expected: !, identifier, or 'end of string'`,
      )
    let negated = false
    let key = next(true)
    if (key.text === '!' && key.kind === 'op') {
      negated = true
      key = next(true)
    }
    if (key.kind !== 'id')
      throw invalidLabels(selector, `found '${key.text}', expected: identifier`)
    const after = peek(true)
    let requirement: Requirement
    if (after.kind === 'end' || after.text === ',') {
      requirement = { key: key.text, operator: negated ? '!' : 'exists', values: [] }
    } else {
      if (negated)
        throw invalidLabels(selector, `found '${after.text}', expected: ',' or 'end of string'`)
      const op = next(false)
      if (op.kind !== 'op' || !['in', 'notin', '=', '==', '!=', '>', '<'].includes(op.text))
        throw invalidLabels(selector, `found '${op.text}', expected: in, notin, =, ==, !=, gt, lt`)
      requirement = {
        key: key.text,
        operator: op.text as Requirement['operator'],
        values: op.text === 'in' || op.text === 'notin' ? setValues() : [exactValue()],
      }
    }
    checkRequirement(selector, requirement)
    const separator = next(true)
    if (separator.kind === 'end') return selector
    if (separator.text !== ',')
      throw invalidLabels(selector, `found '${separator.text}', expected: ',' or 'end of string'`)
    const following = peek(true)
    if (following.kind !== 'id' && following.text !== '!')
      throw invalidLabels(selector, `found '${following.text}', expected: identifier after ','`)
  }

  // parseValues / parseIdentifiersList: `( [v] {, [v]} )`, empty values allowed, a set.
  function setValues(): string[] {
    const open = next(true)
    if (open.text !== '(') throw invalidLabels(selector, `found '${open.text}' expected: '('`)
    const values = new Set<string>()
    if (peek(true).text === ')' && peek(true).kind === 'op') {
      next(true)
      return ['']
    }
    for (;;) {
      const t = next(true)
      if (t.kind === 'id') {
        values.add(t.text)
        const after = peek(true)
        if (after.text === ')' && after.kind === 'op') {
          next(true)
          return [...values].sort()
        }
        if (after.text !== ',')
          throw invalidLabels(selector, `found '${after.text}', expected: ',' or ')'`)
      } else if (t.text === ',') {
        if (values.size === 0) values.add('')
        const after = peek(true)
        if (after.text === ')' && after.kind === 'op') {
          values.add('')
          next(true)
          return [...values].sort()
        }
        if (after.text === ',') values.add('')
      } else throw invalidLabels(selector, `found '${t.text}', expected: ',', or identifier`)
    }
  }

  // parseExactValue: one value, possibly empty (`k=`).
  function exactValue(): string {
    const t = peek(true)
    if (t.kind === 'end' || t.text === ',') return ''
    next(true)
    if (t.kind !== 'id') throw invalidLabels(selector, `found '${t.text}', expected: identifier`)
    return t.text
  }
}

/**
 * A meta/v1 LabelSelector as the selector string apimachinery `LabelSelectorAsSelector` prints:
 * requirements sorted by key, set values sorted; `{}` selects everything (`''`).
 *
 * @example
 * labelSelectorString({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['dev'] }] }) // 'app=web,env notin (dev)'
 */
export function labelSelectorString(selector: LabelSelector): string {
  const requirements: Requirement[] = []
  for (const [key, value] of Object.entries(selector.matchLabels ?? {}))
    requirements.push({ key, operator: '=', values: [value] })
  for (const e of selector.matchExpressions ?? []) {
    const values = [...new Set(e.values ?? [])].sort()
    const operator =
      e.operator === 'In'
        ? 'in'
        : e.operator === 'NotIn'
          ? 'notin'
          : e.operator === 'Exists'
            ? 'exists'
            : e.operator === 'DoesNotExist'
              ? '!'
              : undefined
    if (operator === undefined)
      throw invalidLabels(
        JSON.stringify(selector),
        `${JSON.stringify(e.operator)} is not a valid label selector operator (In, NotIn, Exists, DoesNotExist)`,
      )
    if ((operator === 'exists' || operator === '!') && values.length > 0)
      throw invalidLabels(
        JSON.stringify(selector),
        'values set must be empty for exists and does not exist',
      )
    requirements.push({ key: e.key ?? '', operator, values })
  }
  for (const r of requirements) checkRequirement(JSON.stringify(selector), r)
  // A stable sort by key (selector.go ByKey), so equal keys keep their order.
  requirements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  return requirements
    .map((r) => {
      switch (r.operator) {
        case 'exists':
          return r.key
        case '!':
          return `!${r.key}`
        case 'in':
        case 'notin':
          return `${r.key} ${r.operator} (${r.values.join(',')})`
        case '=':
        case '==':
        case '!=':
        case '>':
        case '<':
          return `${r.key}${r.operator}${r.values[0] ?? ''}`
      }
    })
    .join(',')
}

function invalidFields(selector: string, rule: string): ClientError {
  return new ClientError(
    'K8S_CODEGEN_CLIENT_INVALID_SELECTOR',
    `field selector ${JSON.stringify(selector)} is invalid: ${rule}`,
  )
}

/**
 * Checks a field selector string as kube-apiserver parses it (apimachinery fields
 * `ParseSelector`): comma-separated `key=value`, `key==value` or `key!=value` terms, where `\`
 * escapes `\`, `,` and `=` in values. Which fields a kind supports is the server's to say (400).
 * Throws `K8S_CODEGEN_CLIENT_INVALID_SELECTOR`; returns the selector unchanged.
 *
 * @example
 * parseFieldSelector('metadata.name=web,status.phase!=Running') // 'metadata.name=web,status.phase!=Running'
 */
export function parseFieldSelector(selector: string): string {
  for (const term of splitTerms(selector)) {
    if (term === '') continue
    const split = splitTerm(term)
    if (split === undefined)
      throw invalidFields(
        selector,
        `can't understand '${term}': expected key=value, key==value or key!=value`,
      )
    const problem = escapeProblem(split.value)
    if (problem !== undefined) throw invalidFields(selector, problem)
  }
  return selector
}

/**
 * Equalities as a field selector string (fields `SelectorFromSet`: keys sorted, values escaped).
 *
 * @example
 * fieldSelectorString({ 'spec.nodeName': 'n1', 'metadata.name': 'a,b' }) // 'metadata.name=a\\,b,spec.nodeName=n1'
 */
export function fieldSelectorString(fields: { readonly [field: string]: string }): string {
  return Object.keys(fields)
    .sort()
    .map((key) => `${key}=${escapeFieldValue(fields[key]!)}`)
    .join(',')
}

// fields/selector.go EscapeValue.
function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (c) => `\\${c}`)
}

// fields/selector.go splitTerms: split on commas not escaped by a backslash.
function splitTerms(selector: string): string[] {
  const terms: string[] = []
  let current = ''
  let escaped = false
  for (const c of selector) {
    if (escaped) {
      current += c
      escaped = false
    } else if (c === '\\') {
      current += c
      escaped = true
    } else if (c === ',') {
      terms.push(current)
      current = ''
    } else current += c
  }
  terms.push(current)
  return terms
}

// fields/selector.go splitTerm: the first operator (escapes are not looked at here), `!=` and
// `==` before `=`.
function splitTerm(term: string): { key: string; value: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of ['!=', '==', '=']) {
      if (term.startsWith(op, i)) return { key: term.slice(0, i), value: term.slice(i + op.length) }
    }
  }
  return undefined
}

// fields/selector.go UnescapeValue: only \\, \, and \= are escapes; a bare , or = is an error.
function escapeProblem(value: string): string | undefined {
  for (let i = 0; i < value.length; i++) {
    const c = value[i]
    if (c === '\\') {
      const n = value[i + 1]
      if (n !== '\\' && n !== ',' && n !== '=')
        return `invalid escape sequence in value ${JSON.stringify(value)}`
      i++
    } else if (c === ',' || c === '=')
      return `unescaped ${JSON.stringify(c)} in value ${JSON.stringify(value)}`
  }
  return undefined
}
