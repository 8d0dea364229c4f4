import { z } from 'zod';
import { prepareImages } from '../models/images/decode';
import { choice } from './lib/params';
import { imagesPreview } from './data-images';
import { defineNode } from './define';
import type { AugmentationSpec, ImagePreparation, ImageSetValue } from './values';

export const prepImage = defineNode({
  type: 'prep.image',
  version: 1,
  title: 'Prepare images',
  category: 'Prepare',
  help: 'Gives every photo the same size and colours, scales pixel values to 0–1 and can smooth out noise. Optional random flips, turns, shifts and brightness changes are applied to training photos only, while a network trains, so it learns what does not matter.',
  inputs: [{ name: 'images', type: 'images', label: 'Photos' }],
  outputs: [{ name: 'images', type: 'images', label: 'Photos' }],
  params: z.object({
    size: z.number().int().min(8).max(256).default(28).meta({
      title: 'Size (pixels)',
      description: 'Every photo is resized to this many pixels wide and high. Small sizes train much faster; 28 suits product thumbnails.',
    }),
    color: choice(
      { grayscale: 'Grayscale', rgb: 'Colour (RGB)' },
      {
        default: 'grayscale',
        title: 'Colours',
        description: 'Grayscale is 3× smaller and often enough; keep colour when it tells classes apart.',
      },
    ),
    scale: z.boolean().default(true).meta({
      title: 'Scale pixel values to 0–1',
      description: 'Networks train faster and steadier on small numbers than on 0–255.',
    }),
    denoise: choice(
      { none: 'No', median: 'Median filter (3×3)', gaussian: 'Gaussian blur' },
      { default: 'none', title: 'Remove noise', description: 'A median filter removes specks; a Gaussian blur softens grain.' },
    ),
    flip: z.boolean().default(false).meta({
      title: 'Training: random mirror images',
      description: 'Flips training photos left–right at random. Good for products photographed from either side.',
    }),
    rotation: z.number().min(0).max(45).default(0).meta({
      title: 'Training: random turn up to (degrees)',
      description: 'Turns each training photo by a random angle up to this much either way. 0 turns nothing.',
    }),
    shift: z.number().min(0).max(0.3).default(0).meta({
      title: 'Training: random shift up to (share of size)',
      description: '0.1 moves a training photo up to 10% of its width and height in any direction.',
    }),
    brightness: z.number().min(0).max(0.5).default(0).meta({
      title: 'Training: random brightness change up to',
      description: '0.1 makes a training photo up to 10% brighter or darker.',
    }),
  }),
  async run({ params, inputs, ctx }) {
    const source = inputs.images;
    const preparation: ImagePreparation = { size: params.size, color: params.color, scale: params.scale, denoise: params.denoise };
    ctx.progress(0, `Preparing ${source.items.length.toLocaleString('en-US')} photos`);
    const { block, kept, failed } = await prepareImages(source.items, preparation);
    const augmentation: AugmentationSpec = { flip: params.flip, rotation: params.rotation, shift: params.shift, brightness: params.brightness };
    const augmenting = augmentation.flip || augmentation.rotation > 0 || augmentation.shift > 0 || augmentation.brightness > 0;
    const items = kept.map((index) => source.items[index]);
    const set: ImageSetValue = {
      items,
      classes: [...new Set(items.map((item) => item.label))].sort(),
      pixels: block,
      mixed: null,
      preparation,
      augmentation: augmenting ? augmentation : null,
      origin: source.origin,
    };
    const warnings = failed.map((f) => `${f.name} could not be prepared and was skipped (${f.reason}).`);
    const extra = [
      `Each photo: ${params.size}×${params.size} ${params.color === 'rgb' ? 'colour' : 'grayscale'}, values ${params.scale ? '0–1' : '0–255'}` +
        (params.denoise === 'none' ? '.' : `, ${params.denoise === 'median' ? 'median-filtered' : 'blurred'} to remove noise.`),
      augmenting ? `While a network trains, its training photos are changed at random: ${describeAugmentation(augmentation)}. Test photos are never changed.` : '',
    ].filter(Boolean);
    return { outputs: { images: set }, preview: await imagesPreview(set, warnings, extra) };
  },
});

function describeAugmentation(spec: AugmentationSpec): string {
  const parts: string[] = [];
  if (spec.flip) parts.push('mirrored');
  if (spec.rotation > 0) parts.push(`turned up to ${spec.rotation}°`);
  if (spec.shift > 0) parts.push(`shifted up to ${Math.round(spec.shift * 100)}%`);
  if (spec.brightness > 0) parts.push(`brightness ±${Math.round(spec.brightness * 100)}%`);
  return parts.join(', ');
}
