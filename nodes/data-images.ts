import path from 'node:path';
import { z } from 'zod';
import { checkClasses, labelCounts, readImageArchive, readImageFolder } from '../models/images/archive';
import { decodeImages } from '../models/images/decode';
import { defineNode, NodeInputError, type NodeContext } from './define';
import { describeSize, thumbnailsOf } from './lib/image-sets';
import { choice } from './lib/params';
import { samplesDir } from './lib/paths';
import type { ImagesPreview } from './preview';
import type { ImageItem, ImageSetValue, PixelBlock } from './values';

export const IMAGE_SAMPLES = {
  'fashion-products': {
    folder: 'fashion-products',
    title: 'Fashion product photos (1,000 photos, 10 kinds of clothing)',
  },
} as const;

type ImageSampleId = keyof typeof IMAGE_SAMPLES;
const sampleIds = Object.keys(IMAGE_SAMPLES) as [ImageSampleId, ...ImageSampleId[]];
const THUMBNAILS_PER_CLASS = 6;

export const dataImages = defineNode({
  type: 'data.images',
  version: 1,
  title: 'Photos',
  category: 'Data',
  help: 'Starts the pipeline with labelled photos: a zip with one folder per label (sneaker/0001.png, bag/0002.jpg, ...), or the built-in product photos. PNG and JPEG of any size.',
  inputs: [],
  outputs: [{ name: 'images', type: 'images', label: 'Photos' }],
  params: z.object({
    source: choice(
      { sample: 'Built-in sample', upload: 'My zip file' },
      { default: 'sample', title: 'Photos from', description: 'The built-in sample, or a zip you upload.' },
    ),
    sample: z
      .enum(sampleIds)
      .default('fashion-products')
      .meta({
        title: 'Sample',
        description: 'Which built-in photo set to load.',
        enumLabels: sampleIds.map((id) => IMAGE_SAMPLES[id].title),
        showWhen: { source: 'sample' },
      }),
    archive: z.string().default('').meta({
      title: 'Zip file',
      description: 'A zip with one folder per label; the folder name is the label. Pipelab keeps a copy.',
      widget: 'imageArchive',
      showWhen: { source: 'upload' },
    }),
  }),
  async run({ params, ctx }) {
    const { items, warnings, origin } = await readItems(params, ctx);
    ctx.progress(0.1, `Decoding ${items.length.toLocaleString('en-US')} photos`);
    const { decoded, failed } = await decodeImages(items);
    if (failed.length) warnings.push(skippedWarning(failed));
    const kept = decoded.map((image) => items[image.index]);
    const checked = checkClasses({ items: kept, warnings: [] });
    warnings.push(...checked.warnings);
    const keptNames = new Set(checked.items.map((item) => item.name));
    const images = decoded.filter((image) => keptNames.has(items[image.index].name));
    const set: ImageSetValue = {
      items: images.map((image) => items[image.index]),
      classes: [...new Set(checked.items.map((item) => item.label))].sort(),
      ...pixelsIfUniform(images),
      preparation: null,
      augmentation: null,
      origin,
    };
    return { outputs: { images: set }, preview: await imagesPreview(set, warnings) };
  },
});

async function readItems(
  params: { source: 'sample' | 'upload'; sample: ImageSampleId; archive: string },
  ctx: NodeContext,
): Promise<{ items: ImageItem[]; warnings: string[]; origin: string }> {
  if (params.source === 'sample') {
    const folder = path.join(/* turbopackIgnore: true */ samplesDir(), IMAGE_SAMPLES[params.sample].folder);
    return { ...(await readImageFolder(folder)), origin: `${params.sample} sample` };
  }
  if (!params.archive) throw new NodeInputError('No zip file chosen yet: upload a zip of photos in this node, one folder per label.');
  return { ...(await readImageArchive(ctx.datasets.pathOf(params.archive))), origin: 'uploaded zip' };
}

function skippedWarning(failed: { name: string; reason: string }[]): string {
  const shown = failed.slice(0, 5).map((f) => `${f.name} (${f.reason})`).join('; ');
  const more = failed.length > 5 ? ` and ${failed.length - 5} more` : '';
  return `${failed.length} file${failed.length === 1 ? ' is' : 's are'} not a readable image and ${failed.length === 1 ? 'was' : 'were'} skipped: ${shown}${more}.`;
}

type Decoded = { width: number; height: number; channels: 1 | 3; pixels: Uint8Array };

/** One pixel block when every photo has the same size and channels; else a description of the mix. */
function pixelsIfUniform(images: Decoded[]): { pixels: PixelBlock | null; mixed: string | null } {
  const shapes = new Map<string, number>();
  for (const image of images) {
    const key = `${image.width}×${image.height} ${image.channels === 1 ? 'grayscale' : 'colour'}`;
    shapes.set(key, (shapes.get(key) ?? 0) + 1);
  }
  if (shapes.size > 1) {
    const list = [...shapes].sort((a, b) => b[1] - a[1]).map(([shape, count]) => `${shape} (${count})`);
    return { pixels: null, mixed: `${shapes.size} different sizes: ${list.slice(0, 4).join(', ')}${list.length > 4 ? ', …' : ''}` };
  }
  const { width, height, channels } = images[0];
  const size = width * height * channels;
  const data = new Float32Array(images.length * size);
  images.forEach((image, i) => data.set(image.pixels, i * size));
  return { pixels: { count: images.length, width, height, channels, data }, mixed: null };
}

export async function imagesPreview(set: ImageSetValue, warnings: string[], extra: string[] = []): Promise<ImagesPreview> {
  const classes = labelCounts(set.items);
  const block = set.pixels;
  const summary = [
    `${set.items.length.toLocaleString('en-US')} photos in ${classes.length} classes from the ${set.origin}` +
      (block ? `, all ${describeSize(block)}.` : '.'),
    ...extra,
  ];
  if (!block) summary.push(`They come in ${set.mixed}: add a Prepare images step to give them one size.`);
  return {
    kind: 'images',
    count: set.items.length,
    classes,
    size: block ? { width: block.width, height: block.height, channels: block.channels } : null,
    mixed: set.mixed,
    thumbnails: await thumbnailsOf(set, THUMBNAILS_PER_CLASS),
    summary,
    warnings,
  };
}
