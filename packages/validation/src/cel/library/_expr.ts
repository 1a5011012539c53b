// Building and walking the parsed expression tree (cel.expr.Expr of @bufbuild/cel-spec) for
// the rewrites of macros.ts and cost.ts.
import { create, type MessageInitShape } from '@bufbuild/protobuf'
import { ExprSchema, type Expr } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js'

/** The direct subexpressions of an expression. */
export function children(e: Expr): (Expr | undefined)[] {
  const kind = e.exprKind
  switch (kind.case) {
    case 'selectExpr':
      return [kind.value.operand]
    case 'callExpr':
      return [kind.value.target, ...kind.value.args]
    case 'listExpr':
      return kind.value.elements
    case 'structExpr':
      return kind.value.entries.flatMap((entry) =>
        entry.keyKind.case === 'mapKey' ? [entry.keyKind.value, entry.value] : [entry.value],
      )
    case 'comprehensionExpr': {
      const c = kind.value
      return [c.iterRange, c.accuInit, c.loopCondition, c.loopStep, c.result]
    }
    case 'constExpr':
    case 'identExpr':
    case undefined:
      return []
  }
}

/**
 * cel-go's parser refuses an expression nested deeper than 250 (parser.go
 * checkAndIncrementRecursionDepth, maxRecursionDepth 250: "max recursion depth exceeded");
 * the rewrites here recurse, so they check first, without recursing.
 */
export function checkDepth(expr: Expr | undefined, limit = 250): void {
  const stack: [Expr | undefined, number][] = [[expr, 1]]
  while (stack.length > 0) {
    const [e, depth] = stack.pop()!
    if (e === undefined) continue
    if (depth > limit) throw new Error('max recursion depth exceeded')
    for (const child of children(e)) stack.push([child, depth + 1])
  }
}

/** The largest expression id in a tree (new nodes take ids above it). */
export function maxId(expr: Expr | undefined): bigint {
  let max = 0n
  const stack = [expr]
  while (stack.length > 0) {
    const e = stack.pop()
    if (e === undefined) continue
    if (e.id > max) max = e.id
    stack.push(...children(e))
  }
  return max
}

/** Makes nodes with fresh ids. */
export class ExprFactory {
  private next: bigint
  constructor(root: Expr | undefined) {
    this.next = maxId(root) + 1n
  }

  private expr(exprKind: NonNullable<MessageInitShape<typeof ExprSchema>['exprKind']>): Expr {
    return create(ExprSchema, { id: this.next++, exprKind })
  }

  ident(name: string): Expr {
    return this.expr({ case: 'identExpr', value: { name } })
  }

  int(value: bigint): Expr {
    return this.expr({ case: 'constExpr', value: { constantKind: { case: 'int64Value', value } } })
  }

  bool(value: boolean): Expr {
    return this.expr({ case: 'constExpr', value: { constantKind: { case: 'boolValue', value } } })
  }

  call(fn: string, args: Expr[], target?: Expr): Expr {
    return this.expr({
      case: 'callExpr',
      value: { function: fn, args, ...(target === undefined ? {} : { target }) },
    })
  }

  list(elements: Expr[]): Expr {
    return this.expr({ case: 'listExpr', value: { elements } })
  }

  map(): Expr {
    return this.expr({ case: 'structExpr', value: { messageName: '', entries: [] } })
  }

  comprehension(c: {
    iterVar: string
    iterRange: Expr
    accuVar: string
    accuInit: Expr
    loopCondition: Expr
    loopStep: Expr
    result: Expr
  }): Expr {
    // iterVar2 stays empty: @bufbuild/cel's planner reads only iterVar.
    return this.expr({ case: 'comprehensionExpr', value: { ...c, iterVar2: '' } })
  }
}
