'use client';

import { useMemo, useState, type CSSProperties, type KeyboardEvent } from 'react';
import type { TreeNodePreview } from '../../../nodes/preview';
import { formatNumber } from '../../_components/format';
import { seriesColor } from './palette';
import styles from './TreeView.module.css';

/** Levels shown when the tree first opens: the root and the two levels below it. */
const OPEN_DEPTH = 2;

function isLeaf(node: TreeNodePreview): boolean {
  return node.left === undefined && node.right === undefined;
}

function majority(value: number[]): number {
  let best = 0;
  for (let i = 1; i < value.length; i++) if (value[i] > value[best]) best = i;
  return best;
}

interface TreeViewProps {
  nodes: TreeNodePreview[];
  task: 'classification' | 'regression';
  classes?: string[];
}

interface NodeRowProps {
  node: TreeNodePreview;
  branch: 'yes' | 'no' | null;
  byId: Map<number, TreeNodePreview>;
  open: Set<number>;
  toggle(id: number): void;
  task: 'classification' | 'regression';
  classes: string[];
  range: [number, number];
}

/** Share of each class among the rows reaching a node, as a thin stacked bar. */
function ClassBar({ value, classes }: { value: number[]; classes: string[] }) {
  const total = value.reduce((sum, count) => sum + count, 0) || 1;
  return (
    <span className={styles.classBar} aria-hidden>
      {value.map((count, index) => (
        <span
          key={index}
          style={{ width: `${(count / total) * 100}%`, background: seriesColor(index) }}
          title={`${classes[index] ?? index}: ${Math.round((count / total) * 100)}%`}
        />
      ))}
    </span>
  );
}

function NodeRow({ node, branch, byId, open, toggle, task, classes, range }: NodeRowProps) {
  const leaf = isLeaf(node);
  const expanded = !leaf && open.has(node.id);
  const children = [
    { id: node.left, branch: 'yes' as const },
    { id: node.right, branch: 'no' as const },
  ].filter((child): child is { id: number; branch: 'yes' | 'no' } => child.id !== undefined && byId.has(child.id));
  const klass = task === 'classification' ? majority(node.value) : null;
  const leafStyle =
    leaf && klass !== null
      ? { '--leaf-color': seriesColor(klass) }
      : leaf && task === 'regression'
        ? { '--leaf-strength': String((node.value[0] - range[0]) / (range[1] - range[0] || 1)) }
        : undefined;
  const onKey = (event: KeyboardEvent) => {
    if (leaf || (event.key !== 'Enter' && event.key !== ' ')) return;
    event.preventDefault();
    toggle(node.id);
  };
  return (
    <li className={styles.treeItem}>
      <div
        className={`${styles.treeNode}${leaf ? ` ${styles.treeLeaf}${task === 'regression' ? ` ${styles.leafRegression}` : ''}` : ''}`}
        style={leafStyle as CSSProperties | undefined}
        data-testid={`tree-node-${node.id}`}
        data-depth={node.depth}
        data-leaf={leaf ? 'true' : undefined}
        data-class={leaf && klass !== null ? classes[klass] : undefined}
        data-expanded={leaf ? undefined : String(expanded)}
        role={leaf ? undefined : 'button'}
        tabIndex={leaf ? undefined : 0}
        aria-expanded={leaf ? undefined : expanded}
        onClick={leaf ? undefined : () => toggle(node.id)}
        onKeyDown={onKey}
        title={leaf ? undefined : expanded ? 'Click to hide the branches below' : 'Click to show the branches below'}
      >
        <span className={styles.treeToggle} aria-hidden>
          {leaf ? '●' : expanded ? '▾' : '▸'}
        </span>
        {branch && <span className={`${styles.treeBranch} ${branch === 'yes' ? styles.branchYes : styles.branchNo}`}>{branch === 'yes' ? 'Yes' : 'No'}</span>}
        {leaf ? (
          <strong className="tree-prediction">{node.prediction}</strong>
        ) : (
          <>
            <strong className="tree-rule">{node.rule}?</strong>
            <span className="tree-prediction muted">{node.prediction}</span>
          </>
        )}
        <span className={`${styles.treeSamples} muted`}>{node.samples.toLocaleString('en-US')} rows</span>
        {task === 'classification' && node.value.length > 1 && <ClassBar value={node.value} classes={classes} />}
        {!leaf && !expanded && <span className={`${styles.treeHidden} muted`}>+{countBelow(node, byId)} below</span>}
      </div>
      {expanded && children.length > 0 && (
        <ul className={styles.treeChildren}>
          {children.map((child) => (
            <NodeRow
              key={child.id}
              node={byId.get(child.id)!}
              branch={child.branch}
              byId={byId}
              open={open}
              toggle={toggle}
              task={task}
              classes={classes}
              range={range}
            />
          ))}
        </ul>
      )}
    </li>
  );
}

function countBelow(node: TreeNodePreview, byId: Map<number, TreeNodePreview>): number {
  let count = 0;
  const stack = [node.left, node.right];
  while (stack.length) {
    const id = stack.pop();
    const child = id === undefined ? undefined : byId.get(id);
    if (!child) continue;
    count++;
    stack.push(child.left, child.right);
  }
  return count;
}

/** The decision tree as nested questions; click a question to show or hide what follows it. */
export function TreeView({ nodes, task, classes = [] }: TreeViewProps) {
  const byId = useMemo(() => new Map(nodes.map((node) => [node.id, node])), [nodes]);
  const branching = useMemo(() => nodes.filter((node) => !isLeaf(node)).map((node) => node.id), [nodes]);
  const [open, setOpen] = useState<Set<number>>(
    () => new Set(nodes.filter((node) => !isLeaf(node) && node.depth < OPEN_DEPTH).map((node) => node.id)),
  );
  const range = useMemo<[number, number]>(() => {
    if (task !== 'regression') return [0, 1];
    const values = nodes.filter(isLeaf).map((node) => node.value[0]).filter(Number.isFinite);
    return values.length ? [Math.min(...values), Math.max(...values)] : [0, 1];
  }, [nodes, task]);
  const root = byId.get(0) ?? nodes[0];
  if (!root) return null;
  const depth = Math.max(...nodes.map((node) => node.depth));
  const leaves = nodes.filter(isLeaf).length;
  const toggle = (id: number) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  return (
    <div className={styles.treeView} data-testid="tree-view">
      <div className={styles.treeToolbar}>
        <span className="muted small">
          {depth} levels of questions, {leaves.toLocaleString('en-US')} final groups. Each question splits the rows into
          “Yes” and “No”; click a question to show or hide what follows it.
        </span>
        <button type="button" className="link-button" onClick={() => setOpen(new Set(branching))} data-testid="tree-expand-all">
          Expand all
        </button>
        <button type="button" className="link-button" onClick={() => setOpen(new Set([root.id]))} data-testid="tree-collapse-all">
          Collapse
        </button>
      </div>
      {task === 'classification' && classes.length > 0 && (
        <ul className={`chart-legend ${styles.treeLegend}`}>
          {classes.map((label, index) => (
            <li key={label}>
              <span className="swatch" style={{ background: seriesColor(index) }} aria-hidden />
              predicts {label}
            </li>
          ))}
        </ul>
      )}
      {task === 'regression' && (
        <p className={`muted small ${styles.treeLegend}`}>
          Final groups are shaded from the lowest prediction ({formatNumber(range[0])}) to the highest (
          {formatNumber(range[1])}).
        </p>
      )}
      <ul className={styles.treeRoot}>
        <NodeRow node={root} branch={null} byId={byId} open={open} toggle={toggle} task={task} classes={classes} range={range} />
      </ul>
    </div>
  );
}
