import { writeAtom } from '../platform/atom.js';
import { MINUTE } from '../platform/clock.js';
import type { PlatformDeps } from '../platform/deps.js';
import { API_PREFIX } from '../platform/http/routes.js';
import { CHECKPOINT_ALGORITHM, checkpointContradiction, keyIdOf, signCheckpointStatement, type CheckpointReason } from './checkpoint-format.js';
import * as repository from './repository.js';
import type { CheckpointRow } from './repository.js';

export type { CheckpointRow };
export type CheckpointDeps = Pick<PlatformDeps, 'database' | 'clock' | 'auditSigningKey'>;

/** A chain that moved is checkpointed at least this often (by the injected clock). */
export const CHECKPOINT_INTERVAL_MS = 10 * MINUTE;

/** The chain no longer holds what the latest checkpoint signed: it was rewritten. */
export class ChainContradictsCheckpoint extends Error {
  constructor(readonly checkpoint: CheckpointRow, why: string) {
    super(`the audit chain contradicts checkpoint seq ${checkpoint.seq}: ${why}; refusing to sign`);
    this.name = 'ChainContradictsCheckpoint';
  }
}

/**
 * Signs the current head of the chain. `interval` signs only when the head moved past the
 * latest checkpoint (never seq 0); `opening` signs unless that very seq is checkpointed. It
 * appends no audit event: that would move the head being signed. Two signers racing for one seq
 * are harmless (the seq is unique), and a chain that contradicts the latest checkpoint is never
 * signed, so the key never signs two histories. Returns the checkpoint signed, if any.
 */
export async function signCheckpoint(deps: CheckpointDeps, reason: CheckpointReason): Promise<CheckpointRow | undefined> {
  const db = deps.database.db;
  const head = await repository.readHead(db);
  if (head.seq === 0) return undefined;
  const latest = await repository.latestCheckpoint(db);
  if (reason === 'interval' && latest?.seq === head.seq) return undefined;
  if (reason === 'opening' && (await repository.findCheckpoint(db, head.seq))) return undefined;
  if (latest) {
    const why = checkpointContradiction(latest, { headSeq: head.seq, hashAt: await repository.hashAt(db, latest.seq) });
    if (why) throw new ChainContradictsCheckpoint(latest, why);
  }
  const signedAt = new Date(deps.clock.now().getTime());
  const signature = signCheckpointStatement(deps.auditSigningKey, { seq: head.seq, hash: head.hash, signedAt: signedAt.toISOString() });
  return repository.insertCheckpoint(db, { seq: head.seq, hash: head.hash, signedAt, reason, keyId: keyIdOf(deps.auditSigningKey.publicKey), signature });
}

/** The interval checkpoint, when the latest is at least CHECKPOINT_INTERVAL_MS old (or there is none). */
export async function signDueCheckpoint(deps: CheckpointDeps): Promise<CheckpointRow | undefined> {
  const latest = await repository.latestCheckpoint(deps.database.db);
  if (latest && deps.clock.now().getTime() - latest.signedAt.getTime() < CHECKPOINT_INTERVAL_MS) return undefined;
  return signCheckpoint(deps, 'interval');
}

/** When the next interval checkpoint falls due, if that is still ahead (else the sweeper's next pass). */
export async function nextCheckpointDue(deps: CheckpointDeps): Promise<Date | undefined> {
  const latest = await repository.latestCheckpoint(deps.database.db);
  if (!latest) return undefined;
  const due = new Date(latest.signedAt.getTime() + CHECKPOINT_INTERVAL_MS);
  return due > deps.clock.now() ? due : undefined;
}

/** The published form: `signedAt` is the exact UTC string that was signed. */
export const presentCheckpoint = (row: CheckpointRow) => ({
  seq: row.seq,
  hash: row.hash,
  signedAt: row.signedAt.toISOString(),
  reason: row.reason,
  keyId: row.keyId,
  signature: row.signature,
});

/** The key a verifier needs: the raw public key (hex), its id and the algorithm. */
export const checkpointKey = (deps: Pick<PlatformDeps, 'auditSigningKey'>) => ({
  publicKey: deps.auditSigningKey.publicKey.toString('hex'),
  keyId: keyIdOf(deps.auditSigningKey.publicKey),
  algorithm: CHECKPOINT_ALGORITHM,
});

export async function listCheckpoints(deps: CheckpointDeps, page: { page: number; pageSize: number }) {
  const { items, total } = await repository.findCheckpoints(deps.database.db, { offset: (page.page - 1) * page.pageSize, limit: page.pageSize });
  return { ...checkpointKey(deps), items: items.map(presentCheckpoint), total, page: page.page, pageSize: page.pageSize };
}

export const latestCheckpoint = (deps: Pick<PlatformDeps, 'database'>) => repository.latestCheckpoint(deps.database.db);
export const findCheckpoint = (deps: Pick<PlatformDeps, 'database'>, seq: number) => repository.findCheckpoint(deps.database.db, seq);

const FEED_SIZE = 50;
const REASON_WORDS: Record<CheckpointReason, string> = { interval: '定时签名', opening: '开标后签名' };

/** The 50 latest checkpoints as Atom; each entry carries all a verifier needs, as signed. */
export async function checkpointsFeed(deps: CheckpointDeps & Pick<PlatformDeps, 'config'>): Promise<string> {
  const baseUrl = deps.config.publicBaseUrl;
  const { items } = await repository.findCheckpoints(deps.database.db, { offset: 0, limit: FEED_SIZE });
  const key = checkpointKey(deps);
  const listUrl = `${baseUrl}${API_PREFIX}/audit/checkpoints`;
  return writeAtom({
    id: listUrl,
    title: '中介服务超市审计链签名检查点',
    selfLink: `${baseUrl}/feeds/audit-checkpoints.atom`,
    alternateLink: listUrl,
    updated: items[0]?.signedAt ?? deps.clock.now(),
    author: '中介服务超市',
    entries: items.map((row) => {
      const url = `${listUrl}/${row.seq}`;
      return {
        id: url,
        title: `审计链检查点：第 ${row.seq} 条`,
        link: url,
        published: row.signedAt,
        updated: row.signedAt,
        category: row.reason,
        summary:
          `审计链第 ${row.seq} 条事件的哈希为 ${row.hash}（${REASON_WORDS[row.reason]}）。` +
          `签名时间（UTC，按原样签名）：${row.signedAt.toISOString()}；密钥 ${row.keyId}（${key.algorithm} 公钥 ${key.publicKey}）；签名：${row.signature}`,
      };
    }),
  });
}
