import { randomUUID } from 'node:crypto'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.js'
import { storeMessages, v1Message } from '../../../../test/support/stored-events.js'
import { createTestApp } from '../testing/test-app.js'

interface Node {
  event_id: string
  depth: number
  children?: Node[]
}

const at = (second: number) => `2026-03-01T10:00:${String(second).padStart(2, '0')}Z`

describe('GET /events/{id}/descendants and /ancestors', () => {
  let database: TestDatabase
  let app: ReturnType<typeof createTestApp>['app']
  const id: Record<string, string> = {}

  const get = async (path: string) => {
    const res = await app.request(`/api/v1/events/${path}`)
    expect(res.status, path).toBe(200)
    return res.json() as Promise<Node[] & Node>
  }
  const depths = (nodes: Node[]) => nodes.map((node) => [nameOf(node.event_id), node.depth])
  const nameOf = (eventId: string) => Object.keys(id).find((name) => id[name] === eventId)

  beforeAll(async () => {
    database = await createTestDatabase('api_causation')
    app = createTestApp(database, { API_MAX_CAUSATION_DEPTH: '20' }).app
    for (const name of ['r', 'a', 'b', 'c', 'd', 'x', 'y', 'z', 'w', 'p', 'q', 's']) {
      id[name] = randomUUID()
    }
    const event = (name: string, second: number, parents: string[], payloadText = '{}') =>
      v1Message({
        event_id: id[name],
        event_type: 'causation.test',
        timestamp: at(second),
        parents: parents.map((parent) => id[parent] ?? parent),
        payloadText,
      })

    await storeMessages(database.db, [
      // The samples' diamond: r -> a -> b, and c has parents b and a.
      event('r', 1, []),
      event('a', 2, ['r'], '{"big":123456789012345678901234567890}'),
      event('b', 3, ['a']),
      event('c', 4, ['b', 'a']),
      // d has two parents at the same depth; the later one is listed first.
      event('x', 5, []),
      event('y', 6, ['x']),
      event('z', 7, ['x']),
      event('w', 8, ['z', 'y']),
      // A cycle: p -> q -> s -> p.
      event('p', 9, ['s']),
      event('q', 10, ['p']),
      event('s', 11, ['q']),
      // d names a parent that is no stored event.
      event('d', 12, ['c', randomUUID()]),
    ])
  })

  afterAll(async () => {
    await database?.drop()
  })

  it('lists each descendant once at its shortest depth, nearest level first', async () => {
    const nodes = await get(`${id.r}/descendants`)

    expect(depths(nodes)).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 2],
      ['d', 3],
    ])
  })

  it('nests a tree with each event under one parent on a shortest path', async () => {
    const tree = await get(`${id.r}/descendants?format=tree`)

    expect(shape(tree)).toEqual({
      r: [{ a: [{ b: [] }, { c: [{ d: [] }] }] }],
    })
    expect(tree.depth).toBe(0)
    expect(tree.children![0]!.children![1]!.depth).toBe(2)
  })

  it('puts an event with two parents at one depth under the earliest of them', async () => {
    const tree = await get(`${id.x}/descendants?format=tree`)

    expect(shape(tree)).toEqual({ x: [{ y: [{ w: [] }] }, { z: [] }] })
  })

  it('cuts a cycle instead of going round it', async () => {
    expect(depths(await get(`${id.p}/descendants`))).toEqual([
      ['q', 1],
      ['s', 2],
    ])
    expect(shape(await get(`${id.p}/descendants?format=tree`))).toEqual({
      p: [{ q: [{ s: [] }] }],
    })
    expect(depths(await get(`${id.p}/ancestors`))).toEqual([
      ['s', 1],
      ['q', 2],
    ])
  })

  it('stops at max_depth', async () => {
    expect(depths(await get(`${id.r}/descendants?max_depth=1`))).toEqual([['a', 1]])
    expect(shape(await get(`${id.r}/descendants?format=tree&max_depth=2`))).toEqual({
      r: [{ a: [{ b: [] }, { c: [] }] }],
    })
    expect(depths(await get(`${id.d}/ancestors?max_depth=2`))).toEqual([
      ['c', 1],
      ['b', 2],
      ['a', 2],
    ])
  })

  it('lists ancestors nearest first, each once, skipping parents that are not events', async () => {
    expect(depths(await get(`${id.c}/ancestors`))).toEqual([
      ['b', 1],
      ['a', 1],
      ['r', 2],
    ])
    expect(depths(await get(`${id.d}/ancestors`))).toEqual([
      ['c', 1],
      ['b', 2],
      ['a', 2],
      ['r', 3],
    ])
    expect(await get(`${id.r}/ancestors`)).toEqual([])
  })

  it('keeps every digit of big numbers in causation lists', async () => {
    const flat = await (await app.request(`/api/v1/events/${id.r}/descendants`)).text()
    const tree = await (await app.request(`/api/v1/events/${id.r}/descendants?format=tree`)).text()
    const up = await (await app.request(`/api/v1/events/${id.b}/ancestors`)).text()

    for (const text of [flat, tree, up]) {
      expect(text).toContain('"big":123456789012345678901234567890')
    }
  })

  it.each([
    ['descendants?max_depth=21', 'max_depth'],
    ['descendants?max_depth=0', 'max_depth'],
    ['descendants?format=graph', 'format'],
    ['ancestors?max_depth=1000', 'max_depth'],
  ])('answers 400 naming the parameter for %s', async (query, param) => {
    const res = await app.request(`/api/v1/events/${id.r}/${query}`)

    expect(res.status).toBe(400)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    expect(await res.json()).toMatchObject({ status: 400, param })
  })

  it('answers 404 for an unknown start event', async () => {
    for (const path of ['descendants', 'ancestors']) {
      const res = await app.request(`/api/v1/events/${randomUUID()}/${path}`)
      expect(res.status).toBe(404)
    }
  })

  /** `{name: [children...]}`, to compare trees by their shape. */
  function shape(node: Node): Record<string, unknown> {
    return { [nameOf(node.event_id)!]: (node.children ?? []).map(shape) }
  }
})
