import { readFileSync } from 'node:fs';
import { LinearRegression } from './models/linear-regression';
const lines = readFileSync('samples/advertising.csv', 'utf8').trim().split('\n').slice(1).map(l => l.split(',').map(Number));
const X = { data: Float64Array.from(lines.flatMap(r => r.slice(1, 4))), rows: lines.length, cols: 3 };
const y = Float64Array.from(lines.map(r => r[4]));
for (const [degree, l2] of [[1,0],[2,0],[2,10],[5,0],[3,1]]) {
  const t = performance.now();
  const m = new LinearRegression({ degree, l2 }).fit(X, y, ['TV','Radio','Newspaper']);
  console.log(degree, l2, (performance.now()-t).toFixed(1), m.intercept, m.coefficients.slice(0,4), m.warnings);
}
const X2 = { data: Float64Array.from(lines.flatMap(r => [r[1], r[2], r[1], r[1]+r[2], 5])), rows: lines.length, cols: 5 };
const m = new LinearRegression({ degree: 1, l2: 0 }).fit(X2, y, ['TV','Radio','TV_copy','Total','Five']);
console.log(m.intercept, m.coefficients, m.warnings);
