import { describe, expectTypeOf, it } from 'vitest'
import {
  buildProxyUrl,
  parseProxySegment,
  parseProxyUrl,
  type K8sCodegenError,
  type ProxySegment,
  type ProxyTarget,
  type ProxyUrlError,
  type ProxyUrlErrorCode,
} from '../src/index.js'

describe('public types', () => {
  it('parses to the documented shapes', () => {
    expectTypeOf(parseProxySegment).returns.toEqualTypeOf<ProxySegment>()
    expectTypeOf(parseProxyUrl).returns.toEqualTypeOf<ProxyTarget>()
    expectTypeOf(buildProxyUrl).parameter(0).toEqualTypeOf<ProxyTarget>()
    expectTypeOf<ProxySegment['scheme']>().toEqualTypeOf<'http' | 'https' | undefined>()
  })

  it('gives ProxyUrlError a literal code union under the shared base', () => {
    expectTypeOf<ProxyUrlError>().toExtend<K8sCodegenError>()
    expectTypeOf<ProxyUrlError['code']>().toEqualTypeOf<ProxyUrlErrorCode>()
    expectTypeOf<'K8S_CODEGEN_PROXY_PORT_INVALID'>().toExtend<ProxyUrlErrorCode>()
  })

  it('keeps absent parts absent, never empty strings, under exactOptionalPropertyTypes', () => {
    // @ts-expect-error an explicit undefined is not an absent scheme
    const segment: ProxySegment = { name: 'web', scheme: undefined }
    expectTypeOf(segment).toEqualTypeOf<ProxySegment>()
  })
})
