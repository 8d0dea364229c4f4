import { describe, expect, it } from 'vitest';
import { firstRunName, shortDate, unusedName } from './pipeline-names';

const december3 = new Date(2026, 11, 3, 9, 30);

describe('naming a pipeline at its first run', () => {
  it('dates a template name and a blank canvas', () => {
    expect(firstRunName('Predict campaign response', ['Predict campaign response', 'Sales forecast'], december3)).toBe('Predict campaign response – 3 Dec 2026');
    expect(firstRunName('My pipeline', [], december3)).toBe('My pipeline – 3 Dec 2026');
    expect(firstRunName('  ', [], december3)).toBe('My pipeline – 3 Dec 2026');
    expect(firstRunName('Untitled pipeline', [], december3)).toBe('My pipeline – 3 Dec 2026');
  });

  it('keeps a name someone typed', () => {
    expect(firstRunName(' Q4 retention ', ['Sales forecast'], december3)).toBe('Q4 retention');
  });

  it('writes the date the same way in any month', () => {
    expect(shortDate(new Date(2027, 8, 30))).toBe('30 Sep 2027');
  });
});

describe('a name the workspace does not have yet', () => {
  it('adds (2), then (3), ignoring case', () => {
    expect(unusedName('Churn model', ['Other'])).toBe('Churn model');
    expect(unusedName('Churn model', ['churn model'])).toBe('Churn model (2)');
    expect(unusedName('Churn model', ['Churn model', 'Churn model (2)'])).toBe('Churn model (3)');
  });
});
