'use client';

import { NodeToolbar, Position } from '@xyflow/react';
import { useEffect, useMemo, useRef, type KeyboardEvent } from 'react';
import type { CatalogNode } from '../../server/api-types';
import type { PortSpec } from '../../nodes/define';
import { useAddStep } from './canvas-actions';
import { useCatalog } from './catalog-context';
import { checkConnection } from './connection-rules';
import { nextStepChoices } from './next-steps';
import { useEditor } from './store';
import styles from './PipelineNode.module.css';

export type OpenMenu = { kind: 'next'; port: string } | { kind: 'connect' } | null;

interface MenuItem {
  key: string;
  label: string;
  run: () => void;
}

/** A list of choices beside a step: arrow keys move, Enter picks, Escape closes. */
function ChoiceMenu({ label, items, onClose, testId }: { label: string; items: MenuItem[]; onClose: () => void; testId: string }) {
  const list = useRef<HTMLDivElement>(null);
  // Focus goes back to the button that opened the menu, for keyboard users.
  const opener = useRef<Element | null>(null);
  useEffect(() => {
    opener.current = document.activeElement;
    list.current?.querySelector<HTMLButtonElement>('button')?.focus();
  }, []);
  const close = () => {
    onClose();
    if (opener.current instanceof HTMLElement) opener.current.focus();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const buttons = [...(list.current?.querySelectorAll<HTMLButtonElement>('button') ?? [])];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (event.key === 'Escape') close();
    else if (event.key === 'ArrowDown') buttons[(at + 1) % buttons.length]?.focus();
    else if (event.key === 'ArrowUp') buttons[(at - 1 + buttons.length) % buttons.length]?.focus();
    else return;
    event.preventDefault();
    event.stopPropagation();
  };
  return (
    <div ref={list} className={`${styles.stepMenu} nodrag nopan nowheel nokey`} role="menu" aria-label={label} onKeyDown={onKeyDown} data-testid={testId}>
      <div className={styles.stepMenuTitle}>{label}</div>
      {items.length === 0 && <p className="muted small">No step fits here.</p>}
      {items.map((item) => (
        <button
          key={item.key}
          type="button"
          role="menuitem"
          className={styles.stepMenuItem}
          onClick={() => {
            item.run();
            close();
          }}
        >
          {item.label}
        </button>
      ))}
    </div>
  );
}

function useNextStepItems(nodeId: string, spec: CatalogNode, port: PortSpec): MenuItem[] {
  const { catalog } = useCatalog();
  const addStep = useAddStep();
  return useMemo(
    () =>
      nextStepChoices(spec, port, catalog).map(({ spec: next }) => ({
        key: next.type,
        label: next.title,
        run: () => addStep(next as CatalogNode, { nodeId, port: port.name }),
      })),
    [catalog, spec, port, nodeId, addStep],
  );
}

function useConnectItems(nodeId: string, spec: CatalogNode): MenuItem[] {
  const { catalog, byType } = useCatalog();
  const nodes = useEditor((state) => state.nodes);
  const edges = useEditor((state) => state.edges);
  return useMemo(() => {
    const graph = { nodes: nodes.map((node) => ({ id: node.id, type: node.data.type })), edges };
    return nodes.flatMap((target) => {
      const targetSpec = byType.get(target.data.type);
      if (target.id === nodeId || !targetSpec) return [];
      return spec.outputs.flatMap((output) =>
        targetSpec.inputs.flatMap((input) => {
          const wire = { source: nodeId, sourceHandle: output.name, target: target.id, targetHandle: input.name };
          if (!checkConnection(wire, graph, catalog).ok) return [];
          const into = targetSpec.inputs.length > 1 ? ` · ${input.label}` : '';
          return [{ key: `${target.id}.${input.name}.${output.name}`, label: `${targetSpec.title} (${target.id})${into}`, run: () => useEditor.getState().connect(wire) }];
        }),
      );
    });
  }, [nodes, edges, nodeId, spec, byType, catalog]);
}

function NextStepMenu({ nodeId, spec, port, onClose }: { nodeId: string; spec: CatalogNode; port: PortSpec; onClose: () => void }) {
  const items = useNextStepItems(nodeId, spec, port);
  return <ChoiceMenu label={`Add a step after “${port.label}”`} items={items} onClose={onClose} testId={`next-step-menu-${nodeId}`} />;
}

function ConnectMenu({ nodeId, spec, onClose }: { nodeId: string; spec: CatalogNode; onClose: () => void }) {
  const items = useConnectItems(nodeId, spec);
  return <ChoiceMenu label={`Connect ${spec.title} to…`} items={items} onClose={onClose} testId={`connect-menu-${nodeId}`} />;
}

/** The open menu of a step (add next step, or connect to), shown beside it at a readable size whatever the zoom. */
export function StepMenu({ nodeId, spec, open, onClose }: { nodeId: string; spec: CatalogNode; open: OpenMenu; onClose: () => void }) {
  const port = open?.kind === 'next' ? spec.outputs.find((output) => output.name === open.port) : undefined;
  return (
    <NodeToolbar isVisible={open !== null} position={Position.Right} align="start">
      {port && <NextStepMenu nodeId={nodeId} spec={spec} port={port} onClose={onClose} />}
      {open?.kind === 'connect' && <ConnectMenu nodeId={nodeId} spec={spec} onClose={onClose} />}
    </NodeToolbar>
  );
}
