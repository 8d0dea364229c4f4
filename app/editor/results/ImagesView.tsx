import type { ImagesPreview, Thumbnail } from '../../../nodes/preview';
import ui from '../../_components/ui.module.css';
import editorStyles from '../editor.module.css';
import styles from './ImagesView.module.css';
import resultsStyles from './results.module.css';

const CHANNELS: Record<number, string> = {
  1: 'grayscale',
  2: 'grayscale with transparency',
  3: 'colour',
  4: 'colour with transparency',
};

/** "28×28 grayscale", or the mixed sizes as the server wrote them. */
export function sizeText(preview: Pick<ImagesPreview, 'size' | 'mixed'>): string {
  if (preview.size) {
    const { width, height, channels } = preview.size;
    const kind = CHANNELS[channels] ?? `${channels} channels`;
    return `${width}×${height} ${kind}`;
  }
  return preview.mixed ?? '';
}

function plural(count: number, one: string, many: string): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}

function ClassCounts({ classes }: { classes: ImagesPreview['classes'] }) {
  const max = Math.max(1, ...classes.map((item) => item.count));
  const total = classes.reduce((sum, item) => sum + item.count, 0) || 1;
  return (
    <ul className={styles.imageClassCounts} data-testid="image-class-counts">
      {classes.map((item) => (
        <li key={item.label} data-label={item.label} title={`${item.label}: ${Math.round((item.count / total) * 100)}% of the images`}>
          <span className={styles.classCountLabel}>{item.label}</span>
          <span className={styles.classCountTrack} aria-hidden>
            <span className={styles.classCountBar} style={{ width: `${(item.count / max) * 100}%` }} />
          </span>
          <span className={styles.classCountValue}>{item.count.toLocaleString('en-US')}</span>
        </li>
      ))}
    </ul>
  );
}

/** Thumbnails grouped by class, in the order of the class list; labels missing from it come last. */
function groupByClass(thumbnails: Thumbnail[], classes: ImagesPreview['classes']): [string, Thumbnail[]][] {
  const groups = new Map<string, Thumbnail[]>(classes.map((item) => [item.label, []]));
  for (const thumbnail of thumbnails) {
    const group = groups.get(thumbnail.label);
    if (group) group.push(thumbnail);
    else groups.set(thumbnail.label, [thumbnail]);
  }
  return [...groups].filter(([, items]) => items.length > 0);
}

function ThumbnailGrid({ thumbnails, classes }: { thumbnails: Thumbnail[]; classes: ImagesPreview['classes'] }) {
  const groups = groupByClass(thumbnails, classes);
  if (groups.length === 0) return null;
  return (
    <div className={styles.thumbnailGroups}>
      {groups.map(([label, items]) => (
        <section key={label} className="thumbnail-group" data-label={label}>
          <h6 className={styles.thumbnailGroupLabel}>{label}</h6>
          <div className={styles.thumbnailRow}>
            {items.map((thumbnail, itemIndex) => (
              <img
                key={`${thumbnail.name}:${itemIndex}`}
                src={thumbnail.src}
                alt={thumbnail.name}
                title={`${thumbnail.name} (${label})`}
                className={resultsStyles.pixelImage}
                width={56}
                height={56}
                data-testid="image-thumbnail"
              />
            ))}
          </div>
        </section>
      ))}
    </div>
  );
}

/** A folder of labelled images: how many, of which classes, what size, and a few of each. */
export function ImagesView({ preview }: { preview: ImagesPreview }) {
  const size = sizeText(preview);
  return (
    <div className={`preview ${styles.previewImages}`} data-testid="images-view">
      <p className={resultsStyles.previewLead} data-testid="images-facts">
        <strong>{plural(preview.count, 'image', 'images')}</strong> in{' '}
        <strong>{plural(preview.classes.length, 'class', 'classes')}</strong>
        {size && <> · {size}</>}
      </p>
      {preview.warnings.length > 0 && (
        <ul className={`${editorStyles.warningList} ${ui.noticeWarning}`} data-testid="images-warnings" role="note">
          {preview.warnings.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      )}
      {preview.summary.length > 0 && (
        <ul className={resultsStyles.summaryList} data-testid="images-summary">
          {preview.summary.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
      <div className={styles.imagesLayout}>
        {preview.classes.length > 0 && (
          <div>
            <h5>Images per class</h5>
            <ClassCounts classes={preview.classes} />
          </div>
        )}
        {preview.thumbnails.length > 0 && (
          <div className="images-examples">
            <h5>A few examples of each class</h5>
            <ThumbnailGrid thumbnails={preview.thumbnails} classes={preview.classes} />
          </div>
        )}
      </div>
    </div>
  );
}
