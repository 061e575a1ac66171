import { QUICKNET_CHAIN_INFO, type DrandBeacon, type DrandClient } from './algorithm/index.js';

export const DRAND_API_URL = 'https://api.drand.sh';

export interface HttpDrandClientOptions {
  baseUrl?: string;
  timeoutMs?: number;
}

/**
 * Fetches quicknet rounds from a drand HTTP relay. It does not verify them: the draw does,
 * against the pinned chain key, so a relay can delay a draw but never steer it.
 */
export class HttpDrandClient implements DrandClient {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;

  constructor(options: HttpDrandClientOptions = {}) {
    this.baseUrl = (options.baseUrl ?? DRAND_API_URL).replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  async fetchRound(round: number): Promise<DrandBeacon | null> {
    const url = `${this.baseUrl}/${QUICKNET_CHAIN_INFO.chainHash}/public/${round}`;
    const response = await fetch(url, { signal: AbortSignal.timeout(this.timeoutMs), headers: { accept: 'application/json' } });
    // Relays answer 425 Too Early (older ones 404) for a round that does not exist yet.
    if (response.status === 425 || response.status === 404) return null;
    if (!response.ok) throw new Error(`drand relay answered ${response.status} for round ${round}`);
    const body = (await response.json()) as Partial<DrandBeacon>;
    if (typeof body.round !== 'number' || typeof body.signature !== 'string' || typeof body.randomness !== 'string') {
      throw new Error(`drand relay sent an unexpected body for round ${round}`);
    }
    return { round: body.round, signature: body.signature, randomness: body.randomness };
  }
}
