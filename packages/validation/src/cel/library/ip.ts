// k8s.io/apiserver pkg/cel/library/ip.go (kubernetes.net.ip): `ip`, `isIP`, `ip.isCanonical`,
// `string`, and on an IP `family`, `isUnspecified`, `isLoopback`, `isLinkLocalMulticast`,
// `isLinkLocalUnicast`, `isGlobalUnicast` (Go net/netip semantics).
import { celError, celFunc, celMethod, CelScalar } from '@bufbuild/cel'
import { opaque, parses } from './_values.js'
import { addrString, is4In6, parseAddr, type Addr } from './netip.js'

/** The CEL type `net.IP`; `==` compares addresses. */
export const ipType = opaque<{ addr: Addr }>(
  'net.IP',
  (ip) => addrString(ip.addr),
  (ip) => `ip("${addrString(ip.addr)}")`,
)

// ip.go parseIPAddr: netip.ParseAddr, then no zone and no IPv4-mapped IPv6.
export function parseIP(raw: string): Addr {
  let parsed
  try {
    parsed = parseAddr(raw)
  } catch (error) {
    throw celError(
      `IP Address ${JSON.stringify(raw)} parse error during conversion from string: ${(error as Error).message}`,
    )
  }
  if (parsed.zone !== '')
    throw celError(`IP address ${JSON.stringify(raw)} with zone value is not allowed`)
  if (is4In6(parsed.addr))
    throw celError(`IPv4-mapped IPv6 address ${JSON.stringify(raw)} is not allowed`)
  return parsed.addr
}

const IP = ipType.type
const { STRING, BOOL, INT } = CelScalar
const addrOf = (v: unknown): Addr => ipType.unwrapOrThrow(v).addr
const v4 = (a: Addr): Addr | undefined => (a.length === 4 ? a : undefined)

// netip.Addr predicates (addresses here are never IPv4-mapped: ip() refuses them).
const isLoopback = (a: Addr) =>
  v4(a) ? a[0] === 127 : a.subarray(0, 15).every((b) => b === 0) && a[15] === 1
const isMulticast = (a: Addr) => (v4(a) ? (a[0]! & 0xf0) === 0xe0 : a[0] === 0xff)
const isLinkLocalUnicast = (a: Addr) =>
  v4(a) ? a[0] === 169 && a[1] === 254 : a[0] === 0xfe && (a[1]! & 0xc0) === 0x80
const isUnspecified = (a: Addr) => a.every((b) => b === 0)

/**
 * The IP functions of the Kubernetes CEL library.
 *
 * @example
 * run("ip('10.0.0.1').family()", {}, { funcs: ipFunctions }) // 4n
 */
export const ipFunctions = [
  celFunc('ip', [STRING], IP, (s) => ipType.wrap({ addr: parseIP(s) })),
  celFunc('isIP', [STRING], BOOL, (s) => parses(() => parseIP(s))),
  // ip.go ipIsCanonical: parses, then compares with netip's text.
  celFunc('ip.isCanonical', [STRING], BOOL, (s) => addrString(parseIP(s)) === s),
  celFunc('string', [IP], STRING, (ip) => addrString(addrOf(ip))),
  celMethod('family', IP, [], INT, function () {
    return addrOf(this).length === 4 ? 4n : 6n
  }),
  celMethod('isUnspecified', IP, [], BOOL, function () {
    return isUnspecified(addrOf(this))
  }),
  celMethod('isLoopback', IP, [], BOOL, function () {
    return isLoopback(addrOf(this))
  }),
  celMethod('isLinkLocalMulticast', IP, [], BOOL, function () {
    const a = addrOf(this)
    return v4(a)
      ? a[0] === 224 && a[1] === 0 && a[2] === 0
      : a[0] === 0xff && (a[1]! & 0x0f) === 0x02
  }),
  celMethod('isLinkLocalUnicast', IP, [], BOOL, function () {
    return isLinkLocalUnicast(addrOf(this))
  }),
  // netip.Addr.IsGlobalUnicast: not unspecified, broadcast, loopback, multicast or link-local.
  celMethod('isGlobalUnicast', IP, [], BOOL, function () {
    const a = addrOf(this)
    if (v4(a) && a.every((b) => b === 255)) return false
    return !isUnspecified(a) && !isLoopback(a) && !isMulticast(a) && !isLinkLocalUnicast(a)
  }),
]
