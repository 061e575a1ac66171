/** Binary indexed tree over non-negative integer weights whose total stays below 2^53. */
export class FenwickTree {
  private readonly tree: Float64Array;
  private readonly highestBit: number;

  constructor(weights: readonly number[]) {
    const size = weights.length;
    this.tree = new Float64Array(size + 1);
    for (let i = 0; i < size; i += 1) this.tree[i + 1] = weights[i]!;
    for (let i = 1; i <= size; i += 1) {
      const parent = i + (i & -i);
      if (parent <= size) this.tree[parent]! += this.tree[i]!;
    }
    let bit = 1;
    while (bit * 2 <= size) bit *= 2;
    this.highestBit = size === 0 ? 0 : bit;
  }

  add(index: number, delta: number): void {
    const size = this.tree.length - 1;
    for (let i = index + 1; i <= size; i += i & -i) this.tree[i]! += delta;
  }

  /** Smallest index whose inclusive prefix sum exceeds `target` (target must be below the total). */
  firstPrefixAbove(target: number): number {
    const size = this.tree.length - 1;
    let position = 0;
    let remaining = target;
    for (let bit = this.highestBit; bit > 0; bit = Math.floor(bit / 2)) {
      const next = position + bit;
      if (next <= size && this.tree[next]! <= remaining) {
        position = next;
        remaining -= this.tree[next]!;
      }
    }
    return position;
  }
}
