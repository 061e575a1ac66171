import { sha256Hex, type LotteryRecord } from '../algorithm/index.js';

/** The subset of SubtleCrypto used here, so Node's webcrypto and a browser's both fit. */
export interface Sha256Digester {
  digest(algorithm: 'SHA-256', data: Uint8Array<ArrayBuffer>): Promise<ArrayBuffer>;
}

async function webCryptoSha256Hex(subtle: Sha256Digester, text: string): Promise<string> {
  const digest = new Uint8Array(await subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * A second, independent SHA-256 (the browser's own) over the commitment and candidate list,
 * so a visitor does not rely on the bundled hash code alone.
 */
export async function webCryptoAgrees(subtle: Sha256Digester, record: LotteryRecord): Promise<boolean> {
  const candidateLines = record.candidates.map(({ uscc, weight }) => `${uscc}:${weight}\n`).join('');
  const samples = [candidateLines];
  if (record.algorithm === 'lottery-v1') samples.push(record.serverSeed);
  for (const sample of samples) {
    if ((await webCryptoSha256Hex(subtle, sample)) !== sha256Hex(sample)) return false;
  }
  return true;
}
