import { linkHorizontal } from 'd3-shape';
import { CHART_INK, categoryColor, NODE_IDLE_COLORS, NODE_STATUS_COLORS, WIRE_COLOR } from './theme';

/** A still picture of a pipeline for print and mail; the editor's interactive canvas is React Flow. */

export const BOX_WIDTH = 180;
export const BOX_HEIGHT = 54;
const PAD = 16;
const CATEGORY_EDGE = 4;

export interface GraphStep {
  id: string;
  title: string;
  position: { x: number; y: number };
  /** How the step ran (done, failed…); a step not run is drawn plain. */
  status?: string;
  category?: string;
}

export interface GraphWire {
  id: string;
  source: string;
  target: string;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const wirePath = linkHorizontal<{ source: [number, number]; target: [number, number] }, [number, number]>()
  .source((wire) => wire.source)
  .target((wire) => wire.target);

function StepBox({ step, x, y }: { step: GraphStep; x: number; y: number }) {
  const colors = NODE_STATUS_COLORS[step.status ?? ''] ?? NODE_IDLE_COLORS;
  return (
    <g data-step={step.id}>
      <title>{`${step.title} (${step.id})`}</title>
      <rect x={x} y={y} width={BOX_WIDTH} height={BOX_HEIGHT} rx={8} fill={colors.fill} stroke={colors.stroke} strokeWidth={1.5} />
      {step.category && <rect x={x + 1} y={y + 8} width={CATEGORY_EDGE} height={BOX_HEIGHT - 16} rx={2} fill={categoryColor(step.category)} />}
      <text x={x + 12} y={y + 22} fontSize={13} fontWeight={600} fill={CHART_INK.text}>
        {clip(step.title, 24)}
      </text>
      <text x={x + 12} y={y + 40} fontSize={11} fill={CHART_INK.muted}>
        {clip(step.id, 28)}
      </text>
    </g>
  );
}

/** The pipeline as boxes at their canvas positions joined by wires, boxes coloured by how each step ran. */
export function PipelineGraph({ steps, wires }: { steps: GraphStep[]; wires: GraphWire[] }) {
  if (!steps.length) return <p style={{ color: CHART_INK.muted }}>The pipeline has no nodes.</p>;
  const minX = Math.min(...steps.map((step) => step.position.x));
  const minY = Math.min(...steps.map((step) => step.position.y));
  const width = Math.max(...steps.map((step) => step.position.x)) - minX + BOX_WIDTH + PAD * 2;
  const height = Math.max(...steps.map((step) => step.position.y)) - minY + BOX_HEIGHT + PAD * 2;
  const at = new Map(steps.map((step) => [step.id, { x: step.position.x - minX + PAD, y: step.position.y - minY + PAD }]));
  return (
    <svg viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-label="Pipeline graph" fontFamily={CHART_INK.font} style={{ maxWidth: '100%', height: 'auto' }}>
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M0 0 L10 5 L0 10 z" fill={WIRE_COLOR} />
        </marker>
      </defs>
      {wires.map((wire) => {
        const from = at.get(wire.source);
        const to = at.get(wire.target);
        if (!from || !to) return null;
        const d = wirePath({ source: [from.x + BOX_WIDTH, from.y + BOX_HEIGHT / 2], target: [to.x, to.y + BOX_HEIGHT / 2] });
        return <path key={wire.id} d={d ?? ''} fill="none" stroke={WIRE_COLOR} strokeWidth={1.5} markerEnd="url(#arrow)" />;
      })}
      {steps.map((step) => {
        const { x, y } = at.get(step.id)!;
        return <StepBox key={step.id} step={step} x={x} y={y} />;
      })}
    </svg>
  );
}
