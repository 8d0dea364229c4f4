/** The shapes of photos and their pixels, shared by the image code here and the nodes that carry them. */

/** One labelled photo as it was uploaded (PNG or JPEG bytes); `name` is its path in the folder or zip. */
export interface ImageItem {
  name: string;
  label: string;
  bytes: Uint8Array;
}

/** Every image of a set decoded to one size: `data` holds count × height × width × channels values, image after image. */
export interface PixelBlock {
  count: number;
  height: number;
  width: number;
  channels: 1 | 3;
  data: Float32Array;
}

/** How a Prepare images node turns each file into pixels; kept with models so new photos get the same treatment. */
export interface ImagePreparation {
  size: number;
  color: 'grayscale' | 'rgb';
  /** Pixel values divided by 255 (0–1) instead of 0–255. */
  scale: boolean;
  denoise: 'none' | 'median' | 'gaussian';
}

/** Random changes applied to training images only, batch by batch, to teach a network what does not matter. */
export interface AugmentationSpec {
  flip: boolean;
  /** Largest rotation either way, in degrees. */
  rotation: number;
  /** Largest shift either way, as a share of the width and height. */
  shift: number;
  /** Largest brightness change either way, as a share of full brightness. */
  brightness: number;
}
