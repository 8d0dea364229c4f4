'use client';

import { Background, Controls, ReactFlow, type Edge, type Node, type NodeTypes } from '@xyflow/react';

/**
 * A pipeline drawn to look at, not to edit: no dragging or wiring, fitted to its box. Nodes can still be
 * picked when `onSelect` is given (a finished run's steps, to read their results).
 */
export function ReadOnlyFlow<N extends Node>({
  nodes,
  edges,
  nodeTypes,
  onSelect,
  padding = 0.2,
  maxZoom = 2,
}: {
  nodes: N[];
  edges: Edge[];
  nodeTypes: NodeTypes;
  onSelect?: (nodeId: string | null) => void;
  padding?: number;
  maxZoom?: number;
}) {
  return (
    <ReactFlow<N>
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      nodesDraggable={false}
      nodesConnectable={false}
      elementsSelectable={Boolean(onSelect)}
      onNodeClick={onSelect ? (_event, node) => onSelect(node.id) : undefined}
      onPaneClick={onSelect ? () => onSelect(null) : undefined}
      deleteKeyCode={null}
      fitView
      fitViewOptions={{ padding, maxZoom: 1 }}
      minZoom={0.2}
      maxZoom={maxZoom}
      attributionPosition="bottom-right"
    >
      <Background gap={20} color="#d8dde6" />
      <Controls position="bottom-left" showInteractive={false} />
    </ReactFlow>
  );
}
