import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../../server/routers/app';

export type Comparison = inferRouterOutputs<AppRouter>['runs']['compare'];
export type ComparedRun = Comparison['runs'][number];
export type MetricHistoryPoint = inferRouterOutputs<AppRouter>['runs']['metricHistory'][number];
