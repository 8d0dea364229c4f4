import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { GraphFormatError, parseGraph, type Graph } from '../../nodes/graph-document';

/** Graph JSON from the browser goes through the same parser as files, so errors read the same everywhere. */
export const graphInput = z.unknown().transform((value): Graph => {
  try {
    return parseGraph(value);
  } catch (error) {
    if (error instanceof GraphFormatError) throw new TRPCError({ code: 'BAD_REQUEST', message: error.message });
    throw error;
  }
});
