import { describe, expect, it } from 'vitest';
import { readCsv } from './csv';
import { summarizeColumns } from './summarize';
import { noTargetReason, suggestTarget, targetForFile } from './target-column';

/** The summaries an upload records for this CSV text (parsed by the real reader). */
function table(text: string) {
  const { frame } = readCsv(new TextEncoder().encode(text), 'test.csv');
  return { columns: summarizeColumns(frame), rowCount: frame.rowCount };
}

const bank = table('age,job,balance,y\n30,admin.,100,no\n41,services,2000,yes\n52,admin.,50,no\n35,technician,700,no\n');

describe('noTargetReason', () => {
  it('refuses a file with one column, naming it', () => {
    const { columns, rowCount } = table('email\na@x.com\nb@x.com\nc@x.com\n');
    expect(noTargetReason(columns, rowCount)).toMatch(/^The file has only one column \(“email”\)/);
  });

  it('refuses a file whose columns are all unique text or constant', () => {
    const { columns, rowCount } = table('customer_id,email,country\nC1,a@x.com,FR\nC2,b@x.com,FR\nC3,c@x.com,FR\n');
    expect(noTargetReason(columns, rowCount)).toMatch(/^No column can be predicted: every column either holds a different text on each row/);
  });

  it('refuses a file with a single row of data', () => {
    const { columns, rowCount } = table('spend,bought\n10,yes\n');
    expect(noTargetReason(columns, rowCount)).toBe('The file has only one row of data: a model learns from many rows, with at least two different answers.');
  });

  it('accepts a file with a repeating text column or a varying number column', () => {
    expect(noTargetReason(bank.columns, bank.rowCount)).toBeNull();
    const prices = table('sku,price\nA1,10.5\nA2,12\nA3,9\n');
    expect(noTargetReason(prices.columns, prices.rowCount)).toBeNull();
  });
});

describe('suggestTarget', () => {
  it('preselects a last column with two values, saying why', () => {
    expect(suggestTarget(bank.columns, bank.rowCount)).toEqual({ column: 'y', reason: 'Preselected “y”: it is the last column and has two values.' });
    const flags = table('spend,visits,bought\n10,3,1\n20,4,0\n30,5,1\n');
    expect(suggestTarget(flags.columns, flags.rowCount)?.column).toBe('bought');
  });

  it('prefers a column named like an answer, in any case, wherever it is', () => {
    const { columns, rowCount } = table('Churn,plan,tenure\nyes,basic,3\nno,pro,10\nno,basic,4\nyes,basic,12\n');
    expect(suggestTarget(columns, rowCount)).toEqual({ column: 'Churn', reason: 'Preselected “Churn”: columns called that usually hold the answer to predict.' });
  });

  it('preselects nothing when no column is obvious', () => {
    const { columns, rowCount } = table('spend,region,visits\n10,north,3\n20,south,4\n30,east,5\n40,west,9\n');
    expect(suggestTarget(columns, rowCount)).toBeNull();
  });

  it('ignores a column named like an answer that cannot be learnt (the same on every row)', () => {
    const { columns, rowCount } = table('label,spend\nA,10\nA,20\nA,30\n');
    expect(suggestTarget(columns, rowCount)).toBeNull();
  });
});

describe('targetForFile', () => {
  it('keeps the chosen column when the new file has it', () => {
    expect(targetForFile('job', 'bank.csv', bank.columns, bank.rowCount)).toEqual({ target: 'job', notes: [] });
  });

  it('clears a column the new file lacks, says so, and preselects an obvious one', () => {
    expect(targetForFile('bought', 'bank.csv', bank.columns, bank.rowCount)).toEqual({
      target: 'y',
      notes: ['bank.csv has no column “bought”, so the column to predict was cleared.', 'Preselected “y”: it is the last column and has two values.'],
    });
    const plain = table('spend,region,visits\n10,north,3\n20,south,4\n30,east,5\n');
    expect(targetForFile('bought', 'plain.csv', plain.columns, plain.rowCount)).toEqual({
      target: '',
      notes: ['plain.csv has no column “bought”, so the column to predict was cleared.', 'Choose the column to predict below.'],
    });
  });

  it('explains a preselection made when no column was chosen', () => {
    expect(targetForFile('', 'bank.csv', bank.columns, bank.rowCount).notes).toEqual(['Preselected “y”: it is the last column and has two values.']);
  });
});
