// A built-in kind's published document (the recorded apps/v1 of ../shared/fixtures/kubernetes)
// validates as a custom resource would: its schemas reference each other, and the `default: {}`
// the publisher puts on every referenced struct is no schema default the server applies. (A real
// server decodes a built-in kind into Go types first: for it a string `replicas` is a 400 decoding
// error; the 422 here is what it answers when such a schema is a custom resource's.)
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { recordedProfileDir } from '@k8s-codegen/testkit'
import { describe, expect, it } from 'vitest'
import { findUnknownFields, validateObject, type OpenApiDocument } from '../src/index.js'

const recorded = recordedProfileDir()
if (recorded === undefined)
  console.warn('built-in-kinds: skipped, ../shared/fixtures/kubernetes is absent')

const deployment = (spec: Record<string, unknown>): unknown => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }] }] },
    },
    strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
    ...spec,
  },
})

describe.skipIf(recorded === undefined)(
  'a Deployment against the recorded apps/v1 document',
  () => {
    const document = JSON.parse(
      readFileSync(join(recorded ?? '', 'v3', 'apis', 'apps', 'v1.json'), 'utf8'),
    ) as OpenApiDocument
    const rows = [
      { given: deployment({ replicas: 2 }), want: undefined },
      {
        given: deployment({ replicas: 'two' }),
        want: 'Deployment.apps "web" is invalid: spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"',
      },
    ]
    it.each(rows)('$given', ({ given, want }) => {
      expect(validateObject(document, given)?.message).toBe(want)
    })

    it('lists the fields the schema does not declare', () => {
      const given = deployment({ replicas: 2, paused: false, bogus: 1 })
      expect(findUnknownFields(document, given)).toEqual([
        { path: 'spec.bogus', message: 'unknown field "spec.bogus"' },
      ])
    })
  },
)
