'use client';

import { Handle, Position, type Edge, type Node, type NodeProps, type NodeTypes } from '@xyflow/react';
import { memo, useMemo } from 'react';
import type { CatalogNode } from '../../server/api-types';
import { categoryClass } from '../editor/catalog-context';
import { CHANGE_LABELS, handlesFromEdges, placeExtraNodes, type NodeChange } from './compare-model';
import type { Comparison } from './types';
import { ReadOnlyFlow } from '../_components/ReadOnlyFlow';
import ui from '../_components/ui.module.css';
import styles from './CompareGraph.module.css';

/** Outline colours by how a step differs between the runs; unchanged steps keep the plain outline. */
const CHANGE_CLASS: Record<NodeChange, string | undefined> = {
  added: styles.changeAdded,
  removed: styles.changeRemoved,
  changed: styles.changeChanged,
  same: undefined,
};

type ChangeData = { title: string; category?: string; change: NodeChange; present: number; total: number; inputs: string[]; outputs: string[] };
type ChangeNode = Node<ChangeData, 'change'>;

function ChangeNodeView({ id, data }: NodeProps<ChangeNode>) {
  return (
    <div
      className={`${styles.changeNode} ${categoryClass(data.category)} ${CHANGE_CLASS[data.change] ?? ''}`}
      data-testid={`compare-node-${id}`}
      data-change={data.change}
      title={CHANGE_LABELS[data.change]}
    >
      {data.inputs.map((handle, index) => (
        <Handle key={handle} type="target" position={Position.Left} id={handle} style={{ top: 18 + index * 10 }} isConnectable={false} />
      ))}
      <div className={ui.stepHead}>
        <span className={ui.stepTitle}>{data.title}</span>
        <span className={ui.stepId}>{id}</span>
      </div>
      <div className={styles.changeNote}>
        {data.change === 'same' ? 'Unchanged' : CHANGE_LABELS[data.change]}
        {data.present < data.total && <span className="muted"> · in {data.present} of {data.total} runs</span>}
      </div>
      {data.outputs.map((handle, index) => (
        <Handle key={handle} type="source" position={Position.Right} id={handle} style={{ top: 18 + index * 10 }} isConnectable={false} />
      ))}
    </div>
  );
}

const nodeTypes: NodeTypes = { change: memo(ChangeNodeView) };

function useFlowElements(comparison: Comparison, specs: ReadonlyMap<string, CatalogNode>) {
  return useMemo(() => {
    const { baseGraph, graphChanges, edgeChanges, parameters, runs } = comparison;
    const addedWires = edgeChanges.filter((entry) => entry.change === 'added');
    const handles = handlesFromEdges([...baseGraph.edges, ...addedWires]);
    const changeOf = new Map(graphChanges.map((entry) => [entry.nodeId, entry]));
    const titleOf = new Map(parameters.map((row) => [row.nodeId, row.nodeTitle]));
    const dataFor = (nodeId: string, type: string | null): ChangeData => {
      const entry = changeOf.get(nodeId);
      const spec = type ? specs.get(type) : undefined;
      return {
        title: spec?.title ?? entry?.nodeTitle ?? titleOf.get(nodeId) ?? type ?? nodeId,
        category: spec?.category,
        change: entry?.change ?? 'same',
        present: entry ? entry.inRuns.filter(Boolean).length : runs.length,
        total: runs.length,
        inputs: handles.get(nodeId)?.inputs ?? [],
        outputs: handles.get(nodeId)?.outputs ?? [],
      };
    };
    const nodes: ChangeNode[] = baseGraph.nodes.map((node) => ({
      id: node.id,
      type: 'change',
      position: node.position,
      data: dataFor(node.id, node.type),
    }));
    const baseIds = new Set(nodes.map((node) => node.id));
    const extraIds = graphChanges.filter((entry) => !baseIds.has(entry.nodeId)).map((entry) => entry.nodeId);
    for (const placed of placeExtraNodes(nodes, extraIds, addedWires)) {
      nodes.push({ id: placed.id, type: 'change', position: placed.position, data: dataFor(placed.id, null) });
    }
    const drawn = new Set(nodes.map((node) => node.id));
    const removedEdges = new Set(edgeChanges.filter((entry) => entry.change === 'removed').map((entry) => entry.edgeId));
    const edges: Edge[] = [
      ...baseGraph.edges.map((edge) => ({ ...edge, className: removedEdges.has(edge.id) ? 'edge-removed' : undefined })),
      ...addedWires
        .filter((edge) => drawn.has(edge.source) && drawn.has(edge.target))
        .map((edge) => ({ ...edge, id: `added:${edge.edgeId}`, className: 'edge-added' })),
    ].map(({ id, source, sourceHandle, target, targetHandle, className }) => ({ id, source, sourceHandle, target, targetHandle, className }));
    return { nodes, edges, addedEdges: addedWires.length };
  }, [comparison, specs]);
}

function Legend({ addedEdges }: { addedEdges: number }) {
  return (
    <ul className={styles.changeLegend} aria-label="What the outlines mean">
      <li><span className={`${styles.legendBox} ${styles.changeAdded}`} aria-hidden /> Only in other runs (shown under the graph)</li>
      <li><span className={`${styles.legendBox} ${styles.changeRemoved}`} aria-hidden /> Missing from some runs</li>
      <li><span className={`${styles.legendBox} ${styles.changeChanged}`} aria-hidden /> Settings differ</li>
      <li><span className={styles.legendBox} aria-hidden /> Same in every run</li>
      {addedEdges > 0 && (
        <li>
          <span className={`${styles.legendWire} edge-added`} aria-hidden /> {addedEdges} {addedEdges === 1 ? 'wire is' : 'wires are'} only in other runs
        </li>
      )}
    </ul>
  );
}

/** The pipeline of run #1, each step outlined by how the other runs differ from it. */
export const CompareGraph = memo(function CompareGraph({ comparison, specs }: { comparison: Comparison; specs: ReadonlyMap<string, CatalogNode> }) {
  const { nodes, edges, addedEdges } = useFlowElements(comparison, specs);
  return (
    <section className="compare-section" data-testid="compare-graph">
      <h2>Changes to the pipeline</h2>
      <p className="muted small">The steps of run #1; outlines show where the other runs differ.</p>
      <div className={styles.compareCanvas}>
        <ReadOnlyFlow<ChangeNode> nodes={nodes} edges={edges} nodeTypes={nodeTypes} padding={0.15} maxZoom={1.5} />
      </div>
      <Legend addedEdges={addedEdges} />
    </section>
  );
});
