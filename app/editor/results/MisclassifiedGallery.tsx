import type { MisclassifiedImage } from '../../../nodes/preview';

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
    <div className="misclassified-gallery" data-testid="misclassified-gallery" data-count={images.length}>
      {images.map((image, index) => {
        const confidence = `${Math.round(image.confidence * 100)}%`;
        return (
          <figure
            key={`${image.name}:${index}`}
            className="misclassified-card"
            data-testid="misclassified-image"
            title={`${image.name}: really ${image.trueLabel}, the model said ${image.predicted} (${confidence} sure)`}
          >
            <img src={image.src} alt={image.name} className="pixel-image" width={56} height={56} />
            <figcaption>
              <span className="misclassified-true">true: {image.trueLabel}</span>
              <span className="misclassified-predicted">
                predicted: {image.predicted} ({confidence})
              </span>
            </figcaption>
          </figure>
        );
      })}
    </div>
  );
}
