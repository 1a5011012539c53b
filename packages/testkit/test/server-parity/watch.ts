// Watch: events from a resourceVersion, the initial state, selector transitions, bookmarks,
// sendInitialEvents and its requirements.
import type { ParityRow } from './_scenario.js'
import { configMap, configMaps, resourceVersionOf } from './_objects.js'

const merge = 'application/merge-patch+json'

export const watches: ParityRow[] = [
  {
    given: {
      name: 'a watch from a resourceVersion sees every later change in order',
      setup: [{ method: 'POST', path: configMaps, body: configMap('a') }],
      steps: [
        (answers) => ({
          watch: `${configMaps}?watch=true&resourceVersion=${resourceVersionOf(answers, 0)}`,
          events: 3,
          during: [
            { method: 'POST', path: configMaps, body: configMap('b') },
            {
              method: 'PATCH',
              path: `${configMaps}/a`,
              contentType: merge,
              body: { data: { a: '2' } },
            },
            { method: 'DELETE', path: `${configMaps}/b` },
          ],
        }),
      ],
    },
  },
  {
    given: {
      name: 'a watch without resourceVersion starts with the current objects',
      setup: [
        { method: 'POST', path: configMaps, body: configMap('a') },
        { method: 'POST', path: configMaps, body: configMap('b') },
      ],
      steps: [{ watch: `${configMaps}?watch=true`, events: 2 }],
    },
  },
  {
    given: {
      name: 'a label selector turns a MODIFIED into ADDED when an object starts to match, DELETED when it stops',
      setup: [
        {
          method: 'POST',
          path: configMaps,
          body: configMap('a', { a: '1' }, { labels: { on: 'no' } }),
        },
      ],
      steps: [
        (answers) => ({
          watch: `${configMaps}?watch=true&labelSelector=on%3Dyes&resourceVersion=${resourceVersionOf(answers, 0)}`,
          events: 3,
          during: [
            {
              method: 'PATCH',
              path: `${configMaps}/a`,
              contentType: merge,
              body: { metadata: { labels: { on: 'yes' } } },
            },
            {
              method: 'PATCH',
              path: `${configMaps}/a`,
              contentType: merge,
              body: { data: { more: 'x' } },
            },
            {
              method: 'PATCH',
              path: `${configMaps}/a`,
              contentType: merge,
              body: { metadata: { labels: { on: 'no' } } },
            },
          ],
        }),
      ],
    },
  },
  {
    given: {
      name: 'sendInitialEvents: the current objects, then a bookmark marking their end',
      setup: [
        { method: 'POST', path: configMaps, body: configMap('a') },
        { method: 'POST', path: configMaps, body: configMap('b') },
      ],
      steps: [
        {
          watch: `${configMaps}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`,
          events: 3,
        },
        {
          watch: `${configMaps}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan`,
          events: 2,
        },
        { path: `${configMaps}?watch=true&sendInitialEvents=true&allowWatchBookmarks=true` },
        { path: `${configMaps}?sendInitialEvents=true` },
      ],
    },
  },
  {
    given: {
      name: 'a watch with timeoutSeconds ends by itself, with a bookmark before its deadline',
      setup: [{ method: 'POST', path: configMaps, body: configMap('a') }],
      steps: [
        (answers) => ({
          watch: `${configMaps}?watch=true&timeoutSeconds=3&allowWatchBookmarks=true&resourceVersion=${resourceVersionOf(answers, 0)}`,
        }),
      ],
    },
  },
]
