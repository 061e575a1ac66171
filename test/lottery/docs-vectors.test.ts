import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  candidatesLines,
  canonicaliseCandidates,
  createDrawRng,
  runLotteryV1,
  seedCommitment,
  verifyLotteryRecord,
  type LotteryV1Input,
} from '../../src/lottery/algorithm/index.js';
import { drandRecord, DRAND_ROUND } from './support/records.js';
import { recordedBeacon } from './support/vectors.js';

interface DocVector {
  name: string;
  input: LotteryV1Input;
  seedCommitment: string;
  candidatesLines: string;
  candidatesHash: string;
  entropyLines: string;
  seedHex: string;
  firstInt32Unsigned: number[];
  order: string[];
  winners: string[];
}

const doc = readFileSync(path.resolve(process.cwd(), 'docs/lottery.md'), 'utf8');
const jsonBlocks = [...doc.matchAll(/```json\n([\s\S]*?)\n```/g)].map((match) => JSON.parse(match[1]!) as Record<string, unknown>);
const vectorBlock = jsonBlocks.find((block) => Array.isArray(block.vectors)) as { algorithm: string; vectors: DocVector[] };
const exampleRecord = jsonBlocks.find((block) => block.algorithm === 'lottery-v1' && 'seedHex' in block);

describe('test vectors published in docs/lottery.md', () => {
  it('publishes at least three lottery-v1 vectors: unweighted with entropy, weighted, and drand', () => {
    expect(vectorBlock.algorithm).toBe('lottery-v1');
    expect(vectorBlock.vectors.length).toBeGreaterThanOrEqual(3);
    const [unweighted, weighted, drand] = vectorBlock.vectors;
    expect(unweighted!.input.candidates.every((candidate) => candidate.weight === 1)).toBe(true);
    expect(Object.keys(unweighted!.input.entropy).length).toBeGreaterThan(0);
    expect(weighted!.input.candidates.some((candidate) => candidate.weight > 1)).toBe(true);
    expect(drand!.input.external).toBe(recordedBeacon(DRAND_ROUND).randomness);
  });

  it.each(vectorBlock.vectors.map((vector) => [vector.name, vector]))('matches the code: %s', (_name, vector) => {
    const result = runLotteryV1(vector.input);
    expect(seedCommitment(vector.input.serverSeed)).toBe(vector.seedCommitment);
    expect(candidatesLines(canonicaliseCandidates(vector.input.candidates))).toBe(vector.candidatesLines);
    expect(result.candidatesHash).toBe(vector.candidatesHash);
    expect(result.entropyLines).toBe(vector.entropyLines);
    expect(result.seedHex).toBe(vector.seedHex);
    const rng = createDrawRng(result.seedHex);
    expect(vector.firstInt32Unsigned.map(() => rng.int32() >>> 0)).toEqual(vector.firstInt32Unsigned);
    expect(result.order).toEqual(vector.order);
    expect(result.winners).toEqual(vector.winners);
  });

  it('publishes an example record that verifies and equals the drand test record', () => {
    expect(exampleRecord).toBeDefined();
    expect(verifyLotteryRecord(exampleRecord)).toEqual({ ok: true });
    expect(exampleRecord).toEqual(drandRecord());
  });
});
