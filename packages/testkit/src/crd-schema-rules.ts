// The x-kubernetes-validations rules of a CRD schema node, as kube-apiserver checks them when the
// CRD is created or updated (apiextensions-apiserver pkg/apis/apiextensions/validation
// validation.go ValidateCustomResourceDefinitionOpenAPISchema, the XValidations block): first
// the rule's own fields (its SchemaErrors), then — only where the node and everything under it
// has none, and the schema is structural with valid defaults — what compiling it finds (its
// CELErrors, reported after every schema error of the CRD). Compiling here is
// @k8s-codegen/validation's checkRule: syntax errors (cel-go's report with the engine's own
// wording), undeclared fields of self, messageExpression errors, a rule reading oldSelf where no
// old value can be paired (under a list that is not a map list); without cel-go's type checker,
// its other type errors (`no matching overload`, a result that is not a bool) and its estimated
// costs are not found, so such a CRD is accepted.
import {
  checkRule,
  GoStruct,
  invalid,
  notSupported,
  required,
  type FieldError,
} from '@k8s-codegen/validation'
import { validFieldPath } from '@k8s-codegen/validation'
import { isJsonObject, type JsonObject } from './_json.js'

const textOf = (value: unknown): string => (typeof value === 'string' ? value : '')

// validation.go supportedValidationReason, sorted as sets.String.List() sorts.
const REASONS = [
  'FieldValueDuplicate',
  'FieldValueForbidden',
  'FieldValueInvalid',
  'FieldValueRequired',
]

// validation.go newlineMatcher.
const hasNewlines = (s: string): boolean => /[\n\r]/.test(s)

/**
 * A rule as the server prints the internal apiextensions.ValidationRule struct in an error (Go's
 * encoding/json of its fields by their Go names).
 *
 * @example
 * ruleStruct({ rule: 'self > 0' }) // GoStruct printing {"Rule":"self \u003e 0","Message":"",…}
 */
export function ruleStruct(r: unknown): GoStruct {
  const o = isJsonObject(r) ? r : {}
  const ptr = (value: unknown): unknown => (value === undefined ? null : value)
  return new GoStruct([
    ['Rule', textOf(o['rule'])],
    ['Message', textOf(o['message'])],
    ['MessageExpression', textOf(o['messageExpression'])],
    ['Reason', ptr(o['reason'])],
    ['FieldPath', textOf(o['fieldPath'])],
    ['OptionalOldSelf', ptr(o['optionalOldSelf'])],
  ])
}

const rulesOf = (s: JsonObject): JsonObject[] =>
  Array.isArray(s['x-kubernetes-validations'])
    ? s['x-kubernetes-validations'].map((r) => (isJsonObject(r) ? r : {}))
    : []

/**
 * The errors of the rules' own fields on the schema node `s` at `path`, in the server's order.
 *
 * @example
 * ruleFieldErrors({ type: 'object', 'x-kubernetes-validations': [{ rule: ' ' }] }, 'spec.validation.openAPIV3Schema')
 */
export function ruleFieldErrors(s: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = []
  for (const [i, rule] of rulesOf(s).entries()) {
    const at = `${path}.x-kubernetes-validations[${i}]`
    const text = textOf(rule['rule']).trim()
    const message = textOf(rule['message'])
    const messageExpression = textOf(rule['messageExpression'])
    if (text === '') errs.push(required(`${at}.rule`, 'rule is not specified'))
    else if (message.length > 0 && message.trim() === '')
      errs.push(invalid(`${at}.message`, message, 'must be non-empty if specified'))
    else if (hasNewlines(message.trim()))
      errs.push(invalid(`${at}.message`, message, 'must not contain line breaks'))
    else if (hasNewlines(text) && message.trim() === '')
      errs.push(required(`${at}.message`, 'message must be specified if rule contains line breaks'))
    if (messageExpression.length > 0 && messageExpression.trim() === '')
      errs.push(
        required(`${at}.messageExpression`, 'messageExpression must be non-empty if specified'),
      )
    const reason = rule['reason']
    if (typeof reason === 'string' && !REASONS.includes(reason))
      errs.push(notSupported(`${at}.reason`, reason, REASONS))
    const fieldPath = textOf(rule['fieldPath'])
    if (fieldPath.length > 0 && fieldPath.trim() === '')
      errs.push(invalid(`${at}.fieldPath`, fieldPath, 'must be non-empty if specified'))
    if (hasNewlines(fieldPath))
      errs.push(invalid(`${at}.fieldPath`, fieldPath, 'must not contain line breaks'))
    if (fieldPath.length > 0 && 'error' in validFieldPath(fieldPath, s))
      errs.push(invalid(`${at}.fieldPath`, fieldPath, 'must be a valid path'))
  }
  return errs
}

/**
 * What compiling the rules of the schema node `s` at `path` finds (see the header);
 * `uncorrelatable`: the path of the list above it whose items have no old values.
 *
 * @example
 * ruleCompileErrors({ type: 'object', 'x-kubernetes-validations': [{ rule: 'self.a >' }] }, 'spec.validation.openAPIV3Schema')
 */
export function ruleCompileErrors(
  s: JsonObject,
  path: string,
  uncorrelatable?: string,
): FieldError[] {
  const errs: FieldError[] = []
  for (const [i, rule] of rulesOf(s).entries()) {
    const at = `${path}.x-kubernetes-validations[${i}]`
    const optionalOldSelf = rule['optionalOldSelf']
    const checked = checkRule(
      {
        rule: textOf(rule['rule']),
        messageExpression: textOf(rule['messageExpression']),
        ...(optionalOldSelf === true ? { optionalOldSelf } : {}),
      },
      s,
    )
    if (checked.ruleError !== undefined)
      errs.push(invalid(`${at}.rule`, ruleStruct(rule), `compilation failed: ${checked.ruleError}`))
    if (checked.messageExpressionError !== undefined)
      errs.push(
        invalid(
          `${at}.messageExpression`,
          ruleStruct(rule),
          `messageExpression compilation failed: ${checked.messageExpressionError}`,
        ),
      )
    if (checked.usesOldSelf && uncorrelatable !== undefined)
      errs.push(
        invalid(
          `${at}.rule`,
          textOf(rule['rule']),
          `oldSelf cannot be used on the uncorrelatable portion of the schema within ${uncorrelatable}`,
        ),
      )
    else if (!checked.usesOldSelf && typeof optionalOldSelf === 'boolean')
      errs.push(
        invalid(
          `${at}.optionalOldSelf`,
          optionalOldSelf,
          'may not be set if oldSelf is not used in rule',
        ),
      )
  }
  return errs
}
