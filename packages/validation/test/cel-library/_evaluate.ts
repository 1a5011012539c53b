import { celEnv, isCelError, parse, plan } from '@bufbuild/cel'
import {
  celText,
  kubernetesCelFunctions,
  kubernetesCelRegistry,
  trackCost,
  prepareRule,
} from '../../src/cel/library/index.js'

const env = celEnv({ funcs: kubernetesCelFunctions, registry: kubernetesCelRegistry })

/** What an expression gives with the Kubernetes library: its value as CEL text, or its error. */
export interface Outcome {
  readonly value?: string
  readonly error?: string
  readonly cost: number
}

/** Parses, rewrites for cost, plans and evaluates `expr` under the per-call limit. */
export function evaluate(
  expr: string,
  bindings: Record<string, unknown> = {},
  limit?: number,
): Outcome {
  let program
  try {
    program = plan(env, prepareRule(parse(expr)))
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error), cost: 0 }
  }
  const { value, cost } = trackCost(() => program(bindings as never), limit)
  return isCelError(value) ? { error: value.message, cost } : { value: celText(value), cost }
}
