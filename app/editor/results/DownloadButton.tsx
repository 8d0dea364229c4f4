import type { DownloadLink } from '../../../nodes/preview';
import { formatBytes } from '../../_components/format';
import styles from './DownloadButton.module.css';

export function artifactHref(link: Pick<DownloadLink, 'hash' | 'fileName'>): string {
  return `/api/artifacts/${link.hash}?name=${encodeURIComponent(link.fileName)}`;
}

/** A file made by the step (a scored list, a trained model), saved straight to the computer. */
export function DownloadButton({ link, testId, fallbackLabel }: { link: DownloadLink; testId: string; fallbackLabel: string }) {
  return (
    <a className={`button ${styles.downloadButton}`} href={artifactHref(link)} download={link.fileName} data-testid={testId}>
      <span aria-hidden>⤓</span> {link.label || fallbackLabel}
      {link.sizeBytes > 0 && <span className="muted small">{formatBytes(link.sizeBytes)}</span>}
    </a>
  );
}
