/**
 * A set of 64-bit ids (the first 16 hex digits of a record id) in two flat arrays with open
 * addressing: 16 bytes a slot, no object per entry, so deduplicating millions of sessions costs
 * tens of megabytes rather than hundreds.
 */
export class IdSet {
  private hi = new Uint32Array(1 << 16);
  private lo = new Uint32Array(1 << 16);
  private used = new Uint8Array(1 << 16);
  size = 0;

  /** Adds the id; false when it was there already. */
  add(hex: string): boolean {
    const h = Number.parseInt(hex.slice(0, 8), 16) >>> 0;
    const l = Number.parseInt(hex.slice(8, 16), 16) >>> 0;
    if ((this.size + 1) * 2 > this.used.length) this.grow();
    return this.insert(h, l);
  }

  private insert(h: number, l: number): boolean {
    const mask = this.used.length - 1;
    let i = (Math.imul(h ^ l, 0x9e3779b1) >>> 0) & mask;
    while (this.used[i]) {
      if (this.hi[i] === h && this.lo[i] === l) return false;
      i = (i + 1) & mask;
    }
    this.used[i] = 1;
    this.hi[i] = h;
    this.lo[i] = l;
    this.size++;
    return true;
  }

  private grow(): void {
    const { hi, lo, used } = this;
    const capacity = used.length * 2;
    this.hi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.used = new Uint8Array(capacity);
    this.size = 0;
    for (let i = 0; i < used.length; i++) if (used[i]) this.insert(hi[i]!, lo[i]!);
  }
}
