/** A photo the site ships for lessons; `url` is relative to the site's base. */
export interface LessonPhoto {
  name: string;
  url: string;
  width: number;
  height: number;
  caption: string;
  source: string;
  licence: string;
}

/**
 * The photos served under `<base>photos/` (declared in scripts/assets/photos.ts;
 * sources in docs/photos-and-models.md). Resolve a `url` against the base:
 *
 * @example
 * const img = new Image();
 * img.src = `${import.meta.env.BASE_URL}${LESSON_PHOTOS[0].url}`;
 * await img.decode();
 * const found = await detector.detect(img);
 */
export const LESSON_PHOTOS: readonly LessonPhoto[] = Object.freeze([
  {
    name: 'car-park',
    url: 'photos/car-park.jpg',
    width: 704,
    height: 576,
    caption: 'A car park seen from a security camera: about twenty cars, two people, a timestamp burnt into the frame.',
    source: 'npm package @jimp/test-utils 1.6.1, images/fillbytes.jpg (github.com/jimp-dev/jimp)',
    licence: 'MIT (Copyright (c) 2018 Oliver Moran), the licence of the package that ships it',
  },
  {
    name: 'costume-party',
    url: 'photos/costume-party.jpg',
    width: 1920,
    height: 1280,
    caption: 'Three people in Halloween costumes at a table, a glass of red wine in front, chairs and a bar behind.',
    source: 'npm package @vladmandic/face-api 1.7.15, demo/sample1.jpg (github.com/vladmandic/face-api); its README says the author took the photos',
    licence: 'MIT (Copyright (c) Vladimir Mandic), the licence of the package that ships it',
  },
  {
    name: 'bar-sofa',
    url: 'photos/bar-sofa.jpg',
    width: 1920,
    height: 1350,
    caption: 'Three people on a leather sofa by a window at night, a drink in hand and cups on the table.',
    source: 'npm package @vladmandic/face-api 1.7.15, demo/sample3.jpg (github.com/vladmandic/face-api); its README says the author took the photos',
    licence: 'MIT (Copyright (c) Vladimir Mandic), the licence of the package that ships it',
  },
  {
    name: 'hands-engraving',
    url: 'photos/hands-engraving.jpg',
    width: 2376,
    height: 1408,
    caption:
      'Not a photograph: a scan of an old engraving of two hands holding a pen holder and a pencil. Detectors trained on COCO photos find little or nothing here.',
    source: 'npm package @jimp/test-utils 1.6.1, images/hands.jpg (github.com/jimp-dev/jimp)',
    licence: 'MIT (Copyright (c) 2018 Oliver Moran), the licence of the package that ships it',
  },
]);
