import {
  checkQuicknetBeacon,
  DrandVerificationError,
  fetchVerifiedBeacon,
  firstRoundAfter,
  QUICKNET_CHAIN_INFO,
  quicknetMessage,
  RecordedDrandClient,
  roundAt,
  timeOfRound,
  verifyQuicknetBeacon,
  type DrandBeacon,
} from '../../src/lottery/algorithm/index.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { quicknetVectors } from './support/vectors.js';

const vectors = quicknetVectors();
const beacons: DrandBeacon[] = vectors.rounds.map(({ round, signature, randomness }) => ({ round, signature, randomness }));

function sha256OfHex(hex: string): string {
  return bytesToHex(sha256(hexToBytes(hex)));
}

function flipBit(hex: string, bit: number): string {
  const index = Math.floor(bit / 4);
  const nibble = parseInt(hex[index]!, 16) ^ (1 << bit % 4);
  return hex.slice(0, index) + nibble.toString(16) + hex.slice(index + 1);
}

describe('drand quicknet beacons', () => {
  it('pins the chain info from the shared vectors', () => {
    expect(QUICKNET_CHAIN_INFO).toMatchObject({
      publicKey: vectors.chain_info.public_key,
      periodSeconds: vectors.chain_info.period,
      genesisTime: vectors.chain_info.genesis_time,
      chainHash: vectors.chain_info.hash,
      groupHash: vectors.chain_info.groupHash,
    });
  });

  it('signs sha256 of the round as 8 big-endian bytes', () => {
    for (const round of vectors.rounds) expect(bytesToHex(quicknetMessage(round.round))).toBe(round.message_sha256_round_be8);
  });

  it.each(beacons.map((beacon) => [beacon.round, beacon]))('verifies recorded round %i', (_round, beacon) => {
    expect(checkQuicknetBeacon(beacon)).toEqual({ ok: true });
    expect(() => verifyQuicknetBeacon(beacon)).not.toThrow();
  });

  it('rejects a signature with one bit flipped', () => {
    const beacon = beacons[0]!;
    // Keep randomness consistent so the BLS check itself must catch it; some flips are not even curve points.
    for (const bit of [8, 100, 383]) {
      const signature = flipBit(beacon.signature, bit);
      const tampered = { ...beacon, signature, randomness: sha256OfHex(signature) };
      const result = checkQuicknetBeacon(tampered);
      expect(result.ok).toBe(false);
      expect(() => verifyQuicknetBeacon(tampered)).toThrow(DrandVerificationError);
    }
  });

  it('rejects a real signature presented as the next round', () => {
    for (const beacon of beacons.slice(0, 4)) {
      const result = checkQuicknetBeacon({ ...beacon, round: beacon.round + 1 });
      expect(result).toEqual({ ok: false, error: expect.stringContaining('does not verify') });
    }
  });

  it('rejects randomness that is not sha256(signature)', () => {
    const beacon = beacons[2]!;
    const result = checkQuicknetBeacon({ ...beacon, randomness: flipBit(beacon.randomness, 0) });
    expect(result).toEqual({ ok: false, error: expect.stringContaining('not sha256(signature)') });
  });

  it.each([
    ['a round of 0', { round: 0 }],
    ['a short signature', { signature: 'ab' }],
    ['an upper-case signature', { signature: 'B'.repeat(96) }],
    ['non-hex randomness', { randomness: 'z'.repeat(64) }],
  ])('rejects %s with a clear error, not a throw', (_case, change) => {
    const result = checkQuicknetBeacon({ ...beacons[0]!, ...change });
    expect(result.ok).toBe(false);
  });
});

describe('quicknet round timing', () => {
  const genesisMs = QUICKNET_CHAIN_INFO.genesisTime * 1000;

  it('puts round 1 at genesis and round r at genesis + (r − 1)·3 s', () => {
    expect(timeOfRound(1)).toBe(genesisMs);
    expect(timeOfRound(20905307)).toBe(Date.parse('2025-08-18T12:14:45Z'));
  });

  it('knows which round is the latest at a given time', () => {
    expect(roundAt(genesisMs - 1)).toBe(0);
    expect(roundAt(genesisMs)).toBe(1);
    expect(roundAt(genesisMs + 2999)).toBe(1);
    expect(roundAt(genesisMs + 3000)).toBe(2);
    expect(roundAt(timeOfRound(31089008))).toBe(31089008);
    expect(firstRoundAfter(timeOfRound(1000))).toBe(1001);
  });
});

describe('drand clients', () => {
  it('serves recorded rounds and null for rounds not recorded', async () => {
    const client = new RecordedDrandClient(beacons);
    await expect(client.fetchRound(1000)).resolves.toEqual(beacons.find((beacon) => beacon.round === 1000));
    await expect(client.fetchRound(999)).resolves.toBeNull();
  });

  it('hands out only beacons that verify and are the round asked for', async () => {
    const good = beacons[3]!;
    await expect(fetchVerifiedBeacon(new RecordedDrandClient(beacons), good.round)).resolves.toEqual(good);
    await expect(fetchVerifiedBeacon(new RecordedDrandClient(beacons), 4)).resolves.toBeNull();
    const forged = { ...good, signature: beacons[4]!.signature, randomness: beacons[4]!.randomness };
    await expect(fetchVerifiedBeacon(new RecordedDrandClient([forged]), good.round)).rejects.toThrow(DrandVerificationError);
  });
});
