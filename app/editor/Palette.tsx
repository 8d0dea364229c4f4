'use client';

import { useMemo, useState, type DragEvent } from 'react';
import type { CatalogNode } from '../../server/api-types';
import { CATEGORY_ORDER, categoryClass, useCatalog } from './catalog-context';
import { PALETTE_MIME } from './Canvas';
import { useAddStep } from './canvas-actions';
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

/** A clicked (or Enter-ed) step continues the selected step, or else the last one added, beside it and wired to it. */
function useAddByClick() {
  const addStep = useAddStep();
  return (spec: CatalogNode) => {
    const { nodes, selectedNodeId } = useEditor.getState();
    const anchor = selectedNodeId ?? nodes[nodes.length - 1]?.id;
    addStep(spec, anchor ? { nodeId: anchor } : undefined);
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
      <h2 className={`${ui.panelTitle} ${styles.paletteTitle}`}>Steps</h2>
      <input
        type="search"
        className="palette-search"
        placeholder="Search steps…"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
        data-testid="palette-search"
        aria-label="Search steps"
      />
      <p className={`muted small ${styles.paletteTip}`}>Drag a step onto the canvas (or onto a wire), or click it to add it after the selected step.</p>
      {groups.length === 0 && <p className="muted small">No step matches “{query}”.</p>}
      {groups.map((group) => (
        <section key={group.category} className={styles.paletteGroup}>
          <h3 className={categoryClass(group.category)}>
            {group.category}
            {CATEGORY_HELP[group.category] && <span className="muted small"> · {CATEGORY_HELP[group.category]}</span>}
          </h3>
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
