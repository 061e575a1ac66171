import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DrandBeacon } from '../../../src/lottery/algorithm/index.js';

// Copies of ../shared/vectors (real recorded data, sources inside each file), kept in the
// repository so the suite runs wherever it is cloned.
const VECTORS_DIR = path.resolve(process.cwd(), 'test/fixtures/vectors');

export function readVector<T>(fileName: string): T {
  return JSON.parse(readFileSync(path.join(VECTORS_DIR, fileName), 'utf8')) as T;
}

export interface QuicknetVectors {
  chain_info: { public_key: string; period: number; genesis_time: number; hash: string; groupHash: string };
  rounds: Array<DrandBeacon & { message_sha256_round_be8: string }>;
}

export interface SeedrandomVectors {
  vectors: Array<{ seed: string; rng: number[]; int32_unsigned: number[]; int32_signed: number[]; quick: number[]; double: number[] }>;
  interleaved_hello: { values: number[] };
}

export interface Rfc3797Vectors {
  names_in_order: Array<{ number: number; name: string }>;
  sources: { values: Array<{ source: number; raw: number[] }> };
  key_string: string;
  md5_table: Array<{ index: number; hex_md5: string; div: number; remainder_0_based: number; selected_number: number; selected_name: string }>;
  selection_order_all_16_rows: string[];
  selection_order_first_10: string[];
}

export const quicknetVectors = (): QuicknetVectors => readVector<QuicknetVectors>('drand-quicknet.json');
export const seedrandomVectors = (): SeedrandomVectors => readVector<SeedrandomVectors>('seedrandom-vectors.json');
export const rfc3797Vectors = (): Rfc3797Vectors => readVector<Rfc3797Vectors>('rfc3797-example.json');

/** A real quicknet round, trimmed to the beacon fields. */
export function recordedBeacon(round: number): DrandBeacon {
  const found = quicknetVectors().rounds.find((beacon) => beacon.round === round);
  if (!found) throw new Error(`round ${round} is not in the shared vectors`);
  return { round: found.round, signature: found.signature, randomness: found.randomness };
}
