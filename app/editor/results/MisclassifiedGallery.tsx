import type { MisclassifiedImage } from '../../../nodes/preview';
import styles from './MisclassifiedGallery.module.css';
import resultsStyles from './results.module.css';

/** The test images one model got wrong, each with the right answer and the model's guess. */
export function MisclassifiedGallery({ images }: { images: MisclassifiedImage[] }) {
  if (images.length === 0) {
    return (
      <p className="muted small" data-testid="misclassified-gallery" data-count={0}>
        No test image was misclassified.
      </p>
    );
  }
  return (
    <div className={styles.misclassifiedGallery} data-testid="misclassified-gallery" data-count={images.length}>
      {images.map((image, index) => {
        const confidence = `${Math.round(image.confidence * 100)}%`;
        return (
          <figure
            key={`${image.name}:${index}`}
            className={styles.misclassifiedCard}
            data-testid="misclassified-image"
            title={`${image.name}: really ${image.trueLabel}, the model said ${image.predicted} (${confidence} sure)`}
          >
            <img src={image.src} alt={image.name} className={resultsStyles.pixelImage} width={56} height={56} />
            <figcaption>
              <span className={styles.misclassifiedTrue}>true: {image.trueLabel}</span>
              <span className={styles.misclassifiedPredicted}>
                predicted: {image.predicted} ({confidence})
              </span>
            </figcaption>
          </figure>
        );
      })}
    </div>
  );
}
