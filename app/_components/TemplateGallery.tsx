'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useMemo } from 'react';
import type { CatalogNode, TemplateInfo } from '../../server/api-types';
import { errorMessage, useTRPC } from '../trpc';
import { dataSources, predictedColumns } from './template-info';
import styles from './TemplateGallery.module.css';
import ui from './ui.module.css';

type Specs = ReadonlyMap<string, CatalogNode>;

function TemplateCard({ template, specs }: { template: TemplateInfo; specs: Specs }) {
  const sources = dataSources(template.graph, specs);
  const targets = predictedColumns(template.graph);
  const href = `/editor?template=${encodeURIComponent(template.id)}`;
  return (
    <article className={`${ui.panel} ${styles.card} ${styles.templateCard}`} data-testid={`template-card-${template.id}`}>
      <h3>{template.name}</h3>
      <p className={styles.templateDescription}>{template.description}</p>
      <dl className={styles.templateFacts}>
        <div>
          <dt>Data</dt>
          <dd data-testid={`template-data-${template.id}`}>{sources.length ? sources.join('; ') : 'None yet'}</dd>
        </div>
        {targets.length > 0 && (
          <div>
            <dt>Predicts</dt>
            <dd>{targets.join(', ')}</dd>
          </div>
        )}
        <div>
          <dt>Steps</dt>
          <dd>{template.graph.nodes.length}</dd>
        </div>
      </dl>
      <div className={styles.cardFoot}>
        <span className="muted small">Opens an editable copy</span>
        {/* The wrapper keeps the older "open-template" handle pointing at the same button. */}
        <span className={styles.templateOpen} data-testid={`open-template-${template.id}`}>
          <Link href={href} className="button primary small-button" data-testid={`use-template-${template.id}`}>
            Use template
          </Link>
        </span>
      </div>
    </article>
  );
}

/** Ready-made pipelines to start from; using one opens a copy that can be changed and saved. */
export function TemplateGallery() {
  const trpc = useTRPC();
  const templates = useQuery(trpc.templates.list.queryOptions());
  const catalog = useQuery(trpc.catalog.list.queryOptions(undefined, { staleTime: Infinity }));
  const specs = useMemo(() => new Map((catalog.data?.nodes ?? []).map((node) => [node.type, node])), [catalog.data]);
  return (
    <section className={ui.section} data-testid="templates">
      <h2>Start from a template</h2>
      <p className={`muted ${ui.sectionLead}`}>Each template is a complete pipeline on sample data. Use one, then swap in your own file.</p>
      {templates.isPending && <p className="muted">Loading templates…</p>}
      {templates.error && <p className="error-text">Templates could not be loaded: {errorMessage(templates.error)}</p>}
      <div className={`${styles.cardGrid} template-gallery`}>
        {templates.data?.map((template) => <TemplateCard key={template.id} template={template} specs={specs} />)}
      </div>
    </section>
  );
}
