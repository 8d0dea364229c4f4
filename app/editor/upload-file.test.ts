import { afterEach, describe, expect, it, vi } from 'vitest';
import { LIMITS, MiB } from '../../models/limits';
import { uploadFile } from './upload-file';

afterEach(() => vi.unstubAllGlobals());

describe('uploadFile', () => {
  it('refuses a file over its kind\'s limit with the server\'s words, before sending a byte', async () => {
    const sent: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => (sent.push(url), new Response('{}')));
    const oneMiB = new Uint8Array(MiB);
    const big = new File(Array.from({ length: LIMITS.upload.modelBytes / MiB + 50 }, () => oneMiB), 'churn-model.json');
    await expect(uploadFile('model', big)).rejects.toThrow('"churn-model.json" is 150 MB; the limit is 100 MB.');
    expect(sent).toEqual([]);
    // The same size is within a table's limit, and is sent.
    await uploadFile('dataset', new File([big], 'customers.csv'));
    expect(sent).toEqual(['/api/uploads/dataset?name=customers.csv']);
  });
});
