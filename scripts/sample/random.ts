/**
 * Seeded randomness for the sample data. Every series is seeded from a stable name (a resource id
 * and a billing period), so adding a resource never changes the numbers of the others.
 */

/** FNV-1a: a string to a 32-bit seed. */
export function hashSeed(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** mulberry32: small, fast and plenty for sample data; never Math.random. */
export class Random {
  private state: number;

  constructor(seed: number | string) {
    this.state = typeof seed === 'string' ? hashSeed(seed) : seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [low, high], both included. */
  int(low: number, high: number): number {
    return low + Math.floor(this.next() * (high - low + 1));
  }

  hex(length: number): string {
    let text = '';
    for (let i = 0; i < length; i++) text += '0123456789abcdef'[this.int(0, 15)];
    return text;
  }

  digits(length: number): string {
    let text = String(this.int(1, 9));
    for (let i = 1; i < length; i++) text += String(this.int(0, 9));
    return text;
  }
}

/** A version-4-shaped GUID derived from a name, so ids are stable from run to run. */
export function guidFor(name: string): string {
  const hex = new Random(`guid:${name}`).hex(32).split('');
  hex[12] = '4';
  hex[16] = '89ab'[parseInt(hex[16], 16) % 4];
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function hexFor(name: string, length: number): string {
  return new Random(`hex:${name}`).hex(length);
}

export function digitsFor(name: string, length: number): string {
  return new Random(`digits:${name}`).digits(length);
}
