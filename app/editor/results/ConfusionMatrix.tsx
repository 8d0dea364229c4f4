/** Rows are the actual classes, columns the predicted ones; the diagonal holds the right answers. */
export function ConfusionMatrix({ classes, matrix, showNote = true }: { classes: string[]; matrix: number[][]; showNote?: boolean }) {
  const max = Math.max(1, ...matrix.flat());
  return (
    <div className="confusion" data-testid="confusion-matrix">
      <table className="confusion-table">
        <thead>
          <tr>
            <th className="corner">
              Actual ↓ / Predicted →
            </th>
            {classes.map((label) => (
              <th key={label} scope="col">
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {matrix.map((row, actual) => (
            <tr key={classes[actual] ?? actual}>
              <th scope="row">{classes[actual] ?? actual}</th>
              {row.map((count, predicted) => {
                const right = actual === predicted;
                const strength = count / max;
                return (
                  <td
                    key={predicted}
                    className={right ? 'hit' : 'miss'}
                    style={{
                      background: right
                        ? `rgba(22, 163, 74, ${0.1 + strength * 0.5})`
                        : `rgba(220, 38, 38, ${count ? 0.08 + strength * 0.45 : 0})`,
                    }}
                    data-actual={classes[actual]}
                    data-predicted={classes[predicted]}
                    title={`Actually ${classes[actual]}, predicted ${classes[predicted]}: ${count} rows`}
                  >
                    {count.toLocaleString('en-US')}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {showNote && <p className="muted small">Green cells are right answers; red cells are mix-ups.</p>}
    </div>
  );
}
