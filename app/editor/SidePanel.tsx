'use client';

import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTRPC } from '../trpc';
import { categoryClass, useCatalog } from './catalog-context';
import { knownColumns } from './known-columns';
import { ParamsForm } from './ParamsForm';
import { problemsFor, useEditor } from './store';
import styles from './SidePanel.module.css';

function useKnownColumns(nodeId: string) {
  const trpc = useTRPC();
  const datasets = useQuery(trpc.datasets.list.queryOptions());
  const nodes = useEditor((state) => state.nodes);
  const edges = useEditor((state) => state.edges);
  const run = useEditor((state) => state.run);
  const { byType } = useCatalog();
  return useMemo(
    () => knownColumns(nodeId, { nodes, edges, run, datasets: datasets.data ?? [], specs: byType }),
    [nodeId, nodes, edges, run, datasets.data, byType],
  );
}

function StepSettings({ nodeId }: { nodeId: string }) {
  const node = useEditor((state) => state.nodes.find((candidate) => candidate.id === nodeId));
  const problems = useEditor((state) => state.problems);
  const { byType } = useCatalog();
  const columns = useKnownColumns(nodeId);
  if (!node) return null;
  const spec = byType.get(node.data.type);
  const messages = problemsFor(problems, nodeId);
  return (
    <div className={styles.sideBody} data-testid="step-settings" data-node-id={nodeId}>
      <div className={`${styles.sideHead} ${categoryClass(spec?.category)}`}>
        <span className={styles.sideCategory}>{spec?.category ?? 'Unknown step'}</span>
        <h3 data-testid="side-title">{spec?.title ?? node.data.type}</h3>
        <span className="muted small">{nodeId}</span>
      </div>
      {spec ? <p className={styles.sideHelp}>{spec.help}</p> : <p className="error-text">This kind of step is not available.</p>}
      {messages.length > 0 && (
        <ul className={styles.problemList} data-testid="side-problems">
          {messages.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      )}
      {spec && (spec.inputs.length > 0 || spec.outputs.length > 0) && (
        <div className={`${styles.sidePorts} muted small`}>
          {spec.inputs.length > 0 && <div>Takes: {spec.inputs.map((port) => port.label).join(', ')}</div>}
          {spec.outputs.length > 0 && <div>Gives: {spec.outputs.map((port) => port.label).join(', ')}</div>}
        </div>
      )}
      <h4 className={styles.sideSection}>Settings</h4>
      {spec && <ParamsForm nodeId={nodeId} spec={spec} params={node.data.params} columns={columns} />}
      <button
        type="button"
        className={`button ghost danger-text ${styles.deleteStep}`}
        data-testid="delete-node"
        onClick={() => useEditor.getState().removeNodes([nodeId])}
      >
        Remove this step
      </button>
    </div>
  );
}

function PipelineOverview() {
  const problems = useEditor((state) => state.problems);
  const count = useEditor((state) => state.nodes.length);
  const general = problems.filter((problem) => !problem.nodeId);
  return (
    <div className={styles.sideBody} data-testid="pipeline-overview">
      <h3>How it works</h3>
      <ol className={styles.howto}>
        <li>Add a data step, then steps to prepare the table.</li>
        <li>Split the rows into a training part and a test part.</li>
        <li>Train a model on the training part and evaluate it on the test part.</li>
        <li>Wire each output (right side of a step) to the next step’s input (left side), then press Run.</li>
      </ol>
      <p className="muted small">
        {count === 0 ? 'The canvas is empty.' : 'Click a step to change its settings.'} Press Delete to remove the
        selected step or wire; Ctrl+Z undoes.
      </p>
      {general.length > 0 && (
        <>
          <h4 className={styles.sideSection}>Problems</h4>
          <ul className={styles.problemList} data-testid="graph-problems">
            {general.map((problem) => (
              <li key={`${problem.edgeId ?? ''}:${problem.message}`}>{problem.message}</li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

export function SidePanel() {
  const selectedNodeId = useEditor((state) => state.selectedNodeId);
  return (
    <aside className={styles.sidePanel} data-testid="side-panel" aria-label="Step settings">
      {selectedNodeId ? <StepSettings key={selectedNodeId} nodeId={selectedNodeId} /> : <PipelineOverview />}
    </aside>
  );
}
