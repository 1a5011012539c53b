// k8s.io/apiserver pkg/cel/library/cidr.go (kubernetes.net.cidr): `cidr`, `isCIDR`, `string`,
// and on a CIDR `containsIP`, `containsCIDR` (each also with a string), `ip`, `masked`,
// `prefixLength` (Go net/netip semantics).
import { celError, celFunc, celMethod, CelScalar } from '@bufbuild/cel'
import { opaque, parses } from './_values.js'
import { ipType, parseIP } from './ip.js'
import {
  addrString,
  is4In6,
  masked,
  overlaps,
  parsePrefix,
  prefixContains,
  type Prefix,
} from './netip.js'

const prefixString = (p: Prefix) => `${addrString(p.addr)}/${p.bits}`

/** The CEL type `net.CIDR`; `==` compares address and length (not masked). */
export const cidrType = opaque<Prefix>(
  'net.CIDR',
  prefixString,
  (p) => `cidr("${prefixString(p)}")`,
)

// cidr.go parseCIDR (its caller stringToCIDR wraps the message once more, as Go does).
function parseCIDR(raw: string): Prefix {
  let prefix
  try {
    prefix = parsePrefix(raw)
  } catch (error) {
    const message = `network address parse error during conversion from string: ${(error as Error).message}`
    throw celError(`network address parse error during conversion from string: ${message}`)
  }
  if (is4In6(prefix.addr))
    throw celError(`IPv4-mapped IPv6 address ${JSON.stringify(raw)} is not allowed`)
  return prefix
}

const CIDR = cidrType.type
const IP = ipType.type
const { STRING, BOOL, INT } = CelScalar
const prefixOf = (v: unknown): Prefix => cidrType.unwrapOrThrow(v)
// cidr.go cidrContainsCIDR: overlapping, and no shorter than the container.
const containsCIDR = (p: Prefix, o: Prefix) => overlaps(p, o) && p.bits <= o.bits

/**
 * The CIDR functions of the Kubernetes CEL library.
 *
 * @example
 * run("cidr('10.0.0.0/8').containsIP('10.1.2.3')", {}, { funcs: cidrFunctions }) // true
 */
export const cidrFunctions = [
  celFunc('cidr', [STRING], CIDR, (s) => cidrType.wrap(parseCIDR(s))),
  celFunc('isCIDR', [STRING], BOOL, (s) => parses(() => parseCIDR(s))),
  celFunc('string', [CIDR], STRING, (c) => prefixString(prefixOf(c))),
  celMethod('containsIP', CIDR, [IP], BOOL, function (ip) {
    return prefixContains(prefixOf(this), ipType.unwrap(ip)?.addr ?? new Uint8Array())
  }),
  celMethod('containsIP', CIDR, [STRING], BOOL, function (ip) {
    return prefixContains(prefixOf(this), parseIP(ip))
  }),
  celMethod('containsCIDR', CIDR, [CIDR], BOOL, function (other) {
    return containsCIDR(prefixOf(this), prefixOf(other))
  }),
  celMethod('containsCIDR', CIDR, [STRING], BOOL, function (other) {
    return containsCIDR(prefixOf(this), parseCIDR(other))
  }),
  celMethod('ip', CIDR, [], IP, function () {
    return ipType.wrap({ addr: prefixOf(this).addr })
  }),
  celMethod('masked', CIDR, [], CIDR, function () {
    return cidrType.wrap(masked(prefixOf(this)))
  }),
  celMethod('prefixLength', CIDR, [], INT, function () {
    return BigInt(prefixOf(this).bits)
  }),
]
