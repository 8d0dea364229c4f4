'use client';

import { useReactFlow, type XYPosition } from '@xyflow/react';
import { useMemo, useState, type DragEvent } from 'react';
import type { CatalogNode } from '../../server/api-types';
import { CATEGORY_ORDER, categoryClass, useCatalog } from './catalog-context';
import { PALETTE_MIME } from './Canvas';
import type { StepNode } from './graph-doc';
import { useEditor } from './store';
import ui from '../_components/ui.module.css';
import styles from './Palette.module.css';

const CATEGORY_HELP: Record<string, string> = {
  Data: 'Where the rows come from',
  Prepare: 'Tidy and shape the table',
  Model: 'Learn from the training rows',
  Evaluate: 'Check how good the model is',
};

function matches(node: CatalogNode, query: string): boolean {
  if (!query) return true;
  const text = `${node.title} ${node.help} ${node.category} ${node.type}`.toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .every((word) => text.includes(word));
}

const NODE_BOX = { width: 230, height: 120 };

function overlaps(point: XYPosition, nodes: readonly StepNode[]): boolean {
  return nodes.some(
    (node) => Math.abs(node.position.x - point.x) < NODE_BOX.width && Math.abs(node.position.y - point.y) < NODE_BOX.height,
  );
}

/** The part of the canvas currently on screen, in canvas coordinates. */
function visibleArea(toFlow: (point: XYPosition) => XYPosition) {
  const rect = document.querySelector('[data-testid="canvas"]')?.getBoundingClientRect();
  const box = rect ?? new DOMRect(0, 0, window.innerWidth, window.innerHeight);
  return {
    topLeft: toFlow({ x: box.left, y: box.top }),
    bottomRight: toFlow({ x: box.right, y: box.bottom }),
    center: toFlow({ x: box.left + box.width / 2, y: box.top + box.height / 3 }),
  };
}

/** Where a clicked step goes: right of the selected step when that is on screen, else the middle of the view. */
function useAddByClick() {
  const { screenToFlowPosition } = useReactFlow();
  return (spec: CatalogNode) => {
    const { nodes, selectedNodeId, addNode, viewing } = useEditor.getState();
    if (viewing) return;
    const view = visibleArea(screenToFlowPosition);
    const fits = (point: XYPosition) =>
      point.x >= view.topLeft.x &&
      point.y >= view.topLeft.y &&
      point.x + NODE_BOX.width <= view.bottomRight.x &&
      point.y + NODE_BOX.height <= view.bottomRight.y;
    const selected = nodes.find((node) => node.id === selectedNodeId);
    const besideSelected = selected && { x: selected.position.x + NODE_BOX.width + 30, y: selected.position.y };
    let point = besideSelected && fits(besideSelected) ? besideSelected : { x: view.center.x - 105, y: view.center.y - 40 };
    for (let tries = 0; tries < 20 && overlaps(point, nodes); tries += 1) point = { x: point.x, y: point.y + 60 };
    addNode(spec, { x: Math.round(point.x), y: Math.round(point.y) });
  };
}

function PaletteItem({ spec, onAdd }: { spec: CatalogNode; onAdd: (spec: CatalogNode) => void }) {
  const onDragStart = (event: DragEvent) => {
    event.dataTransfer.setData(PALETTE_MIME, spec.type);
    event.dataTransfer.setData('text/plain', spec.title);
    event.dataTransfer.effectAllowed = 'copy';
  };
  return (
    <li>
      <button
        type="button"
        className={`${styles.paletteItem} ${categoryClass(spec.category)}`}
        data-testid={`palette-item-${spec.type}`}
        draggable
        onDragStart={onDragStart}
        onClick={() => onAdd(spec)}
        title={spec.help}
      >
        <span className={styles.paletteTitle}>{spec.title}</span>
        <span className={styles.paletteHelp}>{spec.help}</span>
      </button>
    </li>
  );
}

export function Palette() {
  const { catalog } = useCatalog();
  const [query, setQuery] = useState('');
  const add = useAddByClick();
  const groups = useMemo(() => {
    const known = new Set<string>(CATEGORY_ORDER);
    const extra = [...new Set(catalog.nodes.map((node) => node.category))].filter((name) => !known.has(name));
    return [...CATEGORY_ORDER, ...extra]
      .map((category) => ({
        category,
        nodes: catalog.nodes.filter((node) => node.category === category && matches(node, query.trim())),
      }))
      .filter((group) => group.nodes.length > 0);
  }, [catalog, query]);

  return (
    <aside className={styles.palette} data-testid="palette" aria-label="Steps">
      <div className={ui.panelTitle}>Steps</div>
      <input
        type="search"
        className="palette-search"
        placeholder="Search steps…"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
        data-testid="palette-search"
        aria-label="Search steps"
      />
      <p className={`muted small ${styles.paletteTip}`}>Drag a step onto the canvas, or click it to add it.</p>
      {groups.length === 0 && <p className="muted small">No step matches “{query}”.</p>}
      {groups.map((group) => (
        <section key={group.category} className={styles.paletteGroup}>
          <h4 className={categoryClass(group.category)}>
            {group.category}
            {CATEGORY_HELP[group.category] && <span className="muted small"> · {CATEGORY_HELP[group.category]}</span>}
          </h4>
          <ul>
            {group.nodes.map((spec) => (
              <PaletteItem key={spec.type} spec={spec} onAdd={add} />
            ))}
          </ul>
        </section>
      ))}
    </aside>
  );
}
