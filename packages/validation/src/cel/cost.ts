// The runtime cost bounds of apiextensions-apiserver: each rule evaluation may cost at most
// PerCallLimit, and all the rules of one object together RuntimeCELCostBudget (k8s.io/apiserver
// pkg/apis/cel/config.go). cel-go counts a cost for every step of the evaluation; @bufbuild/cel
// exposes no such count, so this meter is charged one unit per element a comprehension (or any
// iteration) walks over a list or map of the object: the work that grows with the input. Its
// units are a lower bound of cel-go's, so a rule over the server's limit may pass here; a rule
// made slow by nested comprehensions over a big list is stopped either way.

/** apiserver pkg/apis/cel/config.go PerCallLimit. */
export const perCallLimit = 1_000_000

/** apiserver pkg/apis/cel/config.go RuntimeCELCostBudget: all rules of one object. */
export const runtimeCelCostBudget = 10_000_000

/** Thrown by {@link CostMeter.spend} out of an evaluation that went over its limit. */
export class CostLimitExceeded extends Error {
  constructor(readonly scope: 'call' | 'budget') {
    super(
      scope === 'call'
        ? 'operation cancelled: actual cost limit exceeded'
        : 'validation failed due to running out of cost budget',
    )
  }
}

/**
 * Charges evaluation steps against the per-call limit and the per-object budget.
 */
export class CostMeter {
  private call = 0
  private remaining: number
  constructor(budget = runtimeCelCostBudget) {
    this.remaining = budget
  }

  /** Starts one rule's evaluation: its own per-call count starts at zero. */
  startCall(): void {
    this.call = 0
  }

  /** The cost of the evaluation since {@link startCall}. */
  get callCost(): number {
    return this.call
  }

  /** The per-object budget left. */
  get remainingBudget(): number {
    return this.remaining
  }

  spend(units: number): void {
    this.call += units
    this.remaining -= units
    if (this.call > perCallLimit) throw new CostLimitExceeded('call')
    if (this.remaining < 0) throw new CostLimitExceeded('budget')
  }
}

let active: CostMeter | undefined

/**
 * Charges `units` to the evaluation running now (a no-op outside one): the hook for library
 * functions whose cost grows with their input (a regex over a long string, a list sort), as
 * cel-go's library cost estimators charge them.
 *
 * @example
 * celFunc('quantity', [CelScalar.STRING], CelScalar.DYN, (s) => {
 *   chargeCurrentCall(Math.ceil(s.length / 10))
 *   return parse(s)
 * })
 */
export function chargeCurrentCall(units: number): void {
  active?.spend(units)
}

/** Runs `evaluate` with `meter` as the one {@link chargeCurrentCall} charges. */
export function withActiveMeter<T>(meter: CostMeter, evaluate: () => T): T {
  const previous = active
  active = meter
  try {
    return evaluate()
  } finally {
    active = previous
  }
}
