import { seededRandom } from '../../src/util/random';

/** Deterministic random boxes for tests (the course's one seeded generator). */
export function randomBoxes(n: number, seed: number, size = 100, maxSide = 30): { boxes: number[][]; scores: number[] } {
  const rand = seededRandom(seed);
  const boxes: number[][] = [];
  const scores: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = rand() * size;
    const y = rand() * size;
    boxes.push([x, y, x + 1 + rand() * maxSide, y + 1 + rand() * maxSide]);
    scores.push(rand());
  }
  return { boxes, scores };
}
