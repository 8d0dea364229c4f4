'use client';

import { useId, useState, type FormEvent } from 'react';
import styles from './PhotoEndpoint.module.css';

/** What a photo API takes, as its list entry carries it (see PhotoInput in nodes/lib/photo-scoring.ts). */
export interface PhotoInputInfo {
  classes: string[];
  preparation: { size: number; color: 'grayscale' | 'rgb' } | null;
  shape: { width: number; height: number; channels: 1 | 3 } | null;
}

export function describePhotos(input: PhotoInputInfo): string {
  const { shape, preparation } = input;
  if (!shape) return 'Takes PNG or JPEG photos of the size and colours it was trained on';
  const colours = shape.channels === 1 ? 'grayscale' : 'colour';
  if (!preparation) return `Takes ${shape.width}×${shape.height} PNG or JPEG photos, as it was trained on`;
  return `Takes PNG or JPEG photos of any size; each is resized to ${shape.width}×${shape.height} ${colours}, as in training`;
}

/** Bars of shares (0–1), largest first: a photo's class probabilities, or the labels an API answered. */
export function ShareBars({ shares, testId, caption }: { shares: { label: string; share: number; note?: string }[]; testId: string; caption: string }) {
  const sorted = [...shares].sort((a, b) => b.share - a.share);
  return (
    <table className={styles.bars} data-testid={testId}>
      <caption className="visually-hidden">{caption}</caption>
      <tbody>
        {sorted.map(({ label, share, note }) => (
          <tr key={label} data-label={label}>
            <th scope="row">{label}</th>
            <td className={styles.barCell}>
              <span className={styles.bar} style={{ width: `${Math.max(0.5, share * 100)}%` }} />
            </td>
            <td className="num">{note ?? `${(share * 100).toFixed(1)}%`}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

type Prediction = { name: string; label: string; probabilities: Record<string, number> | null } | { name: string; error: string };

/** Sends photos chosen in the browser to the API itself (with its access key), as any other tool would, and shows the answers. */
export function PhotoTry({ url, input, onClose }: { url: string; input: PhotoInputInfo; onClose(): void }) {
  const [token, setToken] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [pending, setPending] = useState(false);
  const [answers, setAnswers] = useState<Prediction[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const id = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const form = new FormData();
    for (const file of files) form.append('image', file, file.name);
    setPending(true);
    setProblem(null);
    setAnswers(null);
    try {
      const response = await fetch(url, { method: 'POST', body: form, headers: { authorization: `Bearer ${token.trim()}` } });
      const body = (await response.json().catch(() => null)) as { predictions?: Prediction[]; error?: string } | null;
      if (body?.predictions) setAnswers(body.predictions);
      else setProblem(body?.error ?? `The API answered ${response.status}.`);
    } catch {
      setProblem('The API could not be reached.');
    } finally {
      setPending(false);
    }
  };

  return (
    <section className={styles.tryPanel} data-testid="photo-try" aria-labelledby={`${id}-title`}>
      <div className="page-head">
        <h2 id={`${id}-title`}>Try it with a photo</h2>
        <button type="button" className="button ghost" onClick={onClose}>
          Close
        </button>
      </div>
      <p className="muted small">
        {describePhotos(input)}, and answers one of {input.classes.length} labels with its probabilities. The photo is sent to the API
        itself, so it is counted in its monitoring.
      </p>
      <form className={styles.tryForm} onSubmit={submit}>
        <label htmlFor={`${id}-token`}>Access key</label>
        <input id={`${id}-token`} type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} data-testid="photo-try-token" required />
        <label htmlFor={`${id}-files`}>Photos</label>
        <input
          id={`${id}-files`}
          type="file"
          accept="image/png,image/jpeg"
          multiple
          onChange={(e) => setFiles(Array.from(e.target.files ?? []))}
          data-testid="photo-try-files"
          required
        />
        <div>
          <button type="submit" className="button primary" disabled={pending || files.length === 0} data-testid="photo-try-send">
            {pending ? 'Asking the model…' : 'Classify'}
          </button>
        </div>
      </form>
      {problem && (
        <p className="error-text" role="alert" data-testid="photo-try-error">
          {problem}
        </p>
      )}
      {answers && (
        <ul className={styles.answers} data-testid="photo-try-answers" aria-live="polite">
          {answers.map((answer, index) => (
            <li key={index} data-testid="photo-try-answer">
              <PhotoAnswerView answer={answer} file={files[index]} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function PhotoAnswerView({ answer, file }: { answer: Prediction; file: File | undefined }) {
  const [preview] = useState(() => (file ? URL.createObjectURL(file) : null));
  return (
    <div className={styles.answer}>
      {/* A local preview of the chosen file (a blob: URL); next/image cannot optimise those. */}
      {preview && <img src={preview} alt={answer.name} className={styles.thumb} />}
      <div>
        <strong>{answer.name}</strong>
        {'error' in answer ? (
          <p className="error-text small" data-testid="photo-try-answer-error">
            {answer.error}
          </p>
        ) : (
          <>
            <p>
              Label: <strong data-testid="photo-try-label">{answer.label}</strong>
            </p>
            {answer.probabilities && (
              <ShareBars
                testId="photo-try-probabilities"
                caption={`Probability of each label for ${answer.name}`}
                shares={Object.entries(answer.probabilities).map(([label, share]) => ({ label, share }))}
              />
            )}
          </>
        )}
      </div>
    </div>
  );
}
