export { K8sCodegenError, isK8sCodegenError, ProxyUrlError } from './errors.js'
export type { ProxyUrlErrorCode } from './errors.js'
export {
  formatProxySegment,
  lintProxySegment,
  parseProxySegment,
  type ProxyScheme,
  type ProxySegment,
} from './proxy-segment.js'
export {
  buildProxyPath,
  buildProxyUrl,
  normalizeProxyTarget,
  parseProxyUrl,
  type ProxyKind,
  type ProxyPathTarget,
  type ProxyTarget,
} from './proxy-url.js'
export type { ProxyQuery } from './query.js'
export {
  isDns1035Label,
  isDns1123Label,
  isDns1123Subdomain,
  isIPAddress,
  isIPv4Address,
  isIPv6Address,
  validatePathSegmentName,
} from './validation.js'
