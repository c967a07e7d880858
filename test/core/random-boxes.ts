/** Deterministic random boxes for tests (mulberry32; not the library's sampler). */
export function randomBoxes(n: number, seed: number, size = 100, maxSide = 30): { boxes: number[][]; scores: number[] } {
  let a = seed >>> 0;
  const rand = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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
