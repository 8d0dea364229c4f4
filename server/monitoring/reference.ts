import type { TrainingReference } from '../../nodes/lib/training-reference';
import { storedArtifacts } from '../datasets';

/** A published API keeps at most this much of its training profile (tens of columns fit easily). */
export const MAX_REFERENCE_BYTES = 256 * 1024;

/**
 * The training profile stored beside a model, to keep with its prediction API; null when the model has none
 * (trained before profiles were kept, or loaded from a file). Columns past the size cap are left out.
 */
export function storedTrainingReference(hash: string | undefined): TrainingReference | null {
  if (!hash) return null;
  let reference: TrainingReference;
  try {
    reference = JSON.parse(new TextDecoder().decode(storedArtifacts.read(hash))) as TrainingReference;
  } catch {
    return null;
  }
  while (JSON.stringify(reference).length > MAX_REFERENCE_BYTES && reference.columns.length > 0) {
    reference = { ...reference, columns: reference.columns.slice(0, Math.floor(reference.columns.length / 2)) };
  }
  return reference;
}
