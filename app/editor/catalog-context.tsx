'use client';

import { createContext, useContext, type ReactNode } from 'react';
import type { Catalog, CatalogNode } from '../../server/api-types';

export interface CatalogIndex {
  catalog: Catalog;
  byType: Map<string, CatalogNode>;
}

const CatalogContext = createContext<CatalogIndex | null>(null);

export function indexCatalog(catalog: Catalog): CatalogIndex {
  return { catalog, byType: new Map(catalog.nodes.map((node) => [node.type, node])) };
}

export function CatalogProvider({ value, children }: { value: CatalogIndex; children: ReactNode }) {
  return <CatalogContext.Provider value={value}>{children}</CatalogContext.Provider>;
}

export function useCatalog(): CatalogIndex {
  const value = useContext(CatalogContext);
  if (!value) throw new Error('useCatalog must be used inside CatalogProvider');
  return value;
}

/** The catalog entry for a node type; undefined when this version of the product does not know the type. */
export function useNodeSpec(type: string): CatalogNode | undefined {
  return useCatalog().byType.get(type);
}

export const CATEGORY_ORDER = ['Data', 'Prepare', 'Model', 'Evaluate'] as const;

export function categoryClass(category: string | undefined): string {
  return `cat-${(category ?? 'unknown').toLowerCase()}`;
}
