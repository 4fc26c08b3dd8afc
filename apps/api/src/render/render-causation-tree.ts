import { renderEventJson } from '@historian/envelope'
import type { CausationNode, EventRow } from '@historian/queries'

import { jsonArray } from '../http/json-response.js'

/**
 * The `format=tree` view of descendants: the start event at depth 0 with nested `children`,
 * each descendant under the parent its walk chose (`via`), children oldest first.
 *
 * Nodes arrive level by level, so every child comes after its parent; rendering them from the
 * last to the first finishes each subtree before its parent needs it, without recursion.
 */
export function renderCausationTree(root: EventRow, nodes: readonly CausationNode[]): string {
  const childrenOf = new Map<string, number[]>()
  nodes.forEach((node, index) => {
    const siblings = childrenOf.get(node.via)
    if (siblings) siblings.push(index)
    else childrenOf.set(node.via, [index])
  })

  const rendered: string[] = new Array<string>(nodes.length)
  const childrenJson = (eventId: string) =>
    jsonArray((childrenOf.get(eventId) ?? []).map((index) => rendered[index]!))

  for (let index = nodes.length - 1; index >= 0; index--) {
    const node = nodes[index]!
    rendered[index] = renderEventJson(node.row, {
      depth: String(node.depth),
      children: childrenJson(node.row.event_id),
    })
  }

  return renderEventJson(root, { depth: '0', children: childrenJson(root.event_id) })
}
