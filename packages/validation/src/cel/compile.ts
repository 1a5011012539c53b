// apiextensions-apiserver pkg/apiserver/schema/cel/compilation.go Compile: each rule of a schema
// node compiled once (cached by the node), with `self` and `oldSelf` (optional under
// `optionalOldSelf`), whether it reads oldSelf (a transition rule), its messageExpression and
// its fieldPath normalised by ValidFieldPath. @bufbuild/cel has no public type checker, so a rule
// is parsed and planned without one: what cel-go's checker refuses when a CRD is created
// (undeclared fields, a non-bool result) shows up here only when the rule runs.
import {
  celEnv,
  celFunc,
  CelScalar,
  isCelError,
  parse,
  plan,
  type CelFunc,
  type CelResult,
  type CelValue,
} from '@bufbuild/cel'
import type { ParsedExpr } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js'
import type { Schema, ValidationRule } from '../schema.js'
import { normalizedFieldPath } from './field-path.js'
import {
  kubernetesCelFunctions,
  kubernetesCelRegistry,
  prepareRule,
  withCallCosts,
} from './library/index.js'
import { escapeFieldName, kubernetesEquals } from './values.js'

type Program = (bindings: Record<string, CelValue>) => CelResult

export interface CompiledRule {
  readonly rule: ValidationRule
  /** Undefined for an empty rule, which the server skips. */
  readonly program?: Program
  readonly error?: string
  readonly usesOldSelf: boolean
  readonly messageExpression?: Program
  /** ValidFieldPath(rule.fieldPath).String(), or '' without a usable fieldPath. */
  readonly fieldPath: string
}

// compilation.go: optionalOldSelf binds oldSelf as cel-go's optional.of(old) or optional.none();
// made by the library's own functions, so its hasValue, value, orValue and or take it.
const optionalFunction = (name: string): CelFunc => {
  const found = kubernetesCelFunctions.find((f) => f.name === name && f.target === undefined)
  if (found === undefined) throw new Error(`the Kubernetes CEL functions have no ${name}`)
  return found
}
const libraryOf = optionalFunction('optional.of')
const libraryNone = optionalFunction('optional.none')

/** The value of `oldSelf` for an optionalOldSelf rule: optional.of(old), or optional.none(). */
export function optionalOf(value: CelValue | undefined): CelValue {
  const made =
    value === undefined ? libraryNone.call(0, undefined, []) : libraryOf.call(0, undefined, [value])
  if (made === undefined || isCelError(made)) throw new Error('optional.of refused a value')
  return made
}

const { DYN, BOOL } = CelScalar

// The environment of stored CRD rules (k8s.io/apiserver pkg/cel/environment/base.go, see
// library/index.ts), with Kubernetes' equality of list-type set and map lists (values.ts)
// replacing the engine's `==` and `!=`: charged as cel-go charges them, like every function.
const environment = celEnv({
  funcs: [
    ...kubernetesCelFunctions,
    ...withCallCosts([
      celFunc('_==_', [DYN, DYN], BOOL, kubernetesEquals),
      celFunc('_!=_', [DYN, DYN], BOOL, (a, b) => !kubernetesEquals(a, b)),
    ]),
  ],
  registry: kubernetesCelRegistry,
})

// The rule as the Kubernetes environment runs it: macros @bufbuild/cel's parser leaves as calls
// (two-variable comprehensions, sortBy) expanded, and cel-go's cost of identifiers, selections
// and literals charged (library/index.ts prepareRule). Throws cel-go's parse errors.
const planned = (parsed: ParsedExpr): Program => plan(environment, prepareRule(parsed))

// compilation.go: UsesOldSelf is read from the checked reference map; here, any identifier
// `oldSelf` in the parsed expression.
function mentionsOldSelf(node: unknown, depth = 0): boolean {
  if (typeof node !== 'object' || node === null || depth > 200) return false
  const n = node as { case?: unknown; value?: { name?: unknown } }
  if (n.case === 'identExpr' && n.value?.name === 'oldSelf') return true
  return Object.values(node).some((child) => mentionsOldSelf(child, depth + 1))
}

const cache = new WeakMap<Schema, CompiledRule[]>()

/** The compiled rules of one schema node (empty when it has none). */
export function compileRules(validationSchema: Schema, nodeSchema: Schema): CompiledRule[] {
  let compiled = cache.get(validationSchema)
  if (compiled !== undefined) return compiled
  compiled = (validationSchema['x-kubernetes-validations'] ?? []).map((rule) =>
    compileRule(rule, nodeSchema),
  )
  cache.set(validationSchema, compiled)
  return compiled
}

function compileRule(rule: ValidationRule, nodeSchema: Schema): CompiledRule {
  const fieldPath =
    rule.fieldPath === undefined || rule.fieldPath === ''
      ? ''
      : (normalizedFieldPath(rule.fieldPath, nodeSchema) ?? '')
  if (typeof rule.rule !== 'string' || rule.rule.trim() === '')
    return { rule, usesOldSelf: false, fieldPath }
  let parsed: ParsedExpr
  let program: Program
  try {
    parsed = parse(rule.rule)
    program = planned(parsed)
  } catch (e) {
    const error = `compilation failed: ${e instanceof Error ? e.message : String(e)}`
    return { rule, error, usesOldSelf: false, fieldPath }
  }
  let messageExpression: Program | undefined
  if (rule.messageExpression !== undefined && rule.messageExpression !== '') {
    try {
      messageExpression = planned(parse(rule.messageExpression))
    } catch {
      // compilation.go: a messageExpression that does not compile leaves the rule's message.
      messageExpression = undefined
    }
  }
  return {
    rule,
    program,
    usesOldSelf: mentionsOldSelf(parsed.expr),
    ...(messageExpression === undefined ? {} : { messageExpression }),
    fieldPath,
  }
}

/**
 * What compiling a rule at CRD create or update finds without cel-go's full type checker:
 * cel-go's `ERROR: <input>:line:column: …` report (with the source line and a caret, as
 * cel-go's Errors.ToDisplayString prints it) for a syntax error (in the engine's own wording)
 * or a field the schema does not declare (`undefined field 'x'`, on a chain of selections from
 * `self`), the same for its messageExpression, and whether the rule reads `oldSelf`.
 *
 * @example
 * checkRule({ rule: 'self.nope == 1' }, { type: 'object', properties: {} }).ruleError // "ERROR: <input>:1:5: undefined field 'nope'\n | self.nope == 1\n | ....^"
 */
export interface RuleCheck {
  readonly ruleError?: string
  readonly messageExpressionError?: string
  readonly usesOldSelf: boolean
}

type Parsed = { parsed: ParsedExpr; usesOldSelf: boolean } | { error: string }

// Rules repeat across the versions of a CRD and across CRDs: parsed once per text.
const parsedTexts = new Map<string, Parsed>()
const PARSED_LIMIT = 10_000

function parsedText(text: string): Parsed {
  let found = parsedTexts.get(text)
  if (found !== undefined) return found
  try {
    const parsed = parse(text)
    found = { parsed, usesOldSelf: mentionsOldSelf(parsed.expr) }
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e)
    const at = /^<input>:(\d+):(\d+): (.*)$/s.exec(message)
    found = {
      error:
        at === null
          ? report(text, 1, 1, `Syntax error: ${message}`)
          : report(text, Number(at[1]), Number(at[2]), `Syntax error: ${at[3]}`),
    }
  }
  if (parsedTexts.size >= PARSED_LIMIT) parsedTexts.clear()
  parsedTexts.set(text, found)
  return found
}

// cel-go common/errors.go Errors.ToDisplayString: `ERROR: <input>:L:C: msg`, then the source
// line and a caret under the column ('.' for each column before it).
function report(text: string, line: number, column: number, message: string): string {
  const source = text.split('\n')[line - 1] ?? ''
  return `ERROR: <input>:${line}:${column}: ${message}\n | ${source}\n | ${'.'.repeat(Math.max(column - 1, 0))}^`
}

function lineAndColumn(text: string, offset: number): [number, number] {
  const before = text.slice(0, offset).split('\n')
  return [before.length, (before.at(-1)?.length ?? 0) + 1]
}

// A schema whose CEL type is an object of exactly its properties (k8s.io/apiserver
// pkg/cel/common/schemas.go SchemaDeclType); anything looser (maps, preserved unknown fields,
// embedded resources, int-or-string) is not judged here.
function declaredFields(schema: Schema | undefined): Record<string, Schema> | undefined {
  if (schema === undefined || schema.type !== 'object' || schema.properties === undefined)
    return undefined
  if (
    schema.additionalProperties !== undefined ||
    schema['x-kubernetes-preserve-unknown-fields'] === true ||
    schema['x-kubernetes-embedded-resource'] === true ||
    schema['x-kubernetes-int-or-string'] === true
  )
    return undefined
  return schema.properties
}

interface SelectNode {
  id: bigint
  exprKind: { case: string; value: { operand?: SelectNode; field?: string; name?: string } }
}

// The first selection, in a chain from `self` (or `oldSelf`), of a field its schema does not
// declare: cel-go's checker reports it at the selection's position.
function undefinedField(
  node: unknown,
  roots: ReadonlySet<string>,
  schema: Schema,
  depth = 0,
): { id: bigint; field: string } | undefined {
  if (typeof node !== 'object' || node === null || depth > 200) return undefined
  const n = node as Partial<SelectNode>
  if (n.exprKind?.case === 'selectExpr') {
    const chain: SelectNode[] = []
    let base: Partial<SelectNode> | undefined = n
    while (base?.exprKind?.case === 'selectExpr') {
      chain.unshift(base as SelectNode)
      base = base.exprKind.value.operand
    }
    if (base?.exprKind?.case === 'identExpr' && roots.has(String(base.exprKind.value.name))) {
      let at: Schema | undefined = schema
      for (const select of chain) {
        const fields = declaredFields(at)
        if (fields === undefined) return undefined
        const field = String(select.exprKind.value.field)
        const name = Object.keys(fields).find((key) => escapeFieldName(key) === field)
        if (name === undefined) return { id: select.id, field }
        at = fields[name]
      }
      return undefined
    }
    return undefinedField(base, roots, schema, depth + 1)
  }
  for (const child of Object.values(node)) {
    const found = undefinedField(child, roots, schema, depth + 1)
    if (found !== undefined) return found
  }
  return undefined
}

function checkText(text: string, schema: Schema | undefined, roots: ReadonlySet<string>): Parsed {
  const found = parsedText(text)
  if ('error' in found || schema === undefined) return found
  const undefinedAt = undefinedField(found.parsed.expr, roots, schema)
  if (undefinedAt === undefined) return found
  const offset = found.parsed.sourceInfo?.positions[String(undefinedAt.id)] ?? 0
  const [line, column] = lineAndColumn(text, offset)
  return { error: report(text, line, column, `undefined field '${undefinedAt.field}'`) }
}

/**
 * Checks `rule`, declared on the schema node `schema`, as {@link RuleCheck} describes.
 *
 * @example
 * checkRule({ rule: 'self == oldSelf' }).usesOldSelf // true
 */
export function checkRule(rule: ValidationRule, schema?: Schema): RuleCheck {
  const roots = new Set(rule.optionalOldSelf === true ? ['self'] : ['self', 'oldSelf'])
  const own = checkText(typeof rule.rule === 'string' ? rule.rule : '', schema, roots)
  const message =
    typeof rule.messageExpression === 'string' && rule.messageExpression.trim() !== ''
      ? checkText(rule.messageExpression, schema, roots)
      : undefined
  return {
    ...('error' in own ? { ruleError: own.error } : {}),
    ...(message !== undefined && 'error' in message
      ? { messageExpressionError: message.error }
      : {}),
    // A rule that does not compile has no compilation result to read oldSelf from.
    usesOldSelf: !('error' in own) && own.usesOldSelf,
  }
}
