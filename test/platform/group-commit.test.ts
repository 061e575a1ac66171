import { GroupCommit, type Outcome } from '../../src/platform/group-commit.js';

/** A commit function whose batches the test releases by hand, recording what each batch held. */
function controlledCommit() {
  const batches: string[][] = [];
  const releases: (() => void)[] = [];
  const commit = async (_key: string, items: string[]): Promise<Outcome<string>[]> => {
    batches.push(items);
    await new Promise<void>((resolve) => releases.push(resolve));
    if (items.length > 1 && items.includes('bad')) throw new Error('the batch failed');
    return items.map((item) => (item === 'bad' ? { ok: false, error: new Error(`refused ${item}`) } : { ok: true, value: `receipt:${item}` }));
  };
  const releaseNext = async () => {
    releases.shift()!();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { batches, commit, releaseNext, pending: () => releases.length };
}

describe('group commit', () => {
  it('sends a lone request at once and groups those that arrive meanwhile into the next batch', async () => {
    const { batches, commit, releaseNext } = controlledCommit();
    const intake = new GroupCommit(commit, { concurrency: 1 });
    const answers = ['a', 'b', 'c', 'd'].map((item) => intake.submit('project-1', item));
    expect(batches).toEqual([['a']]);
    await releaseNext();
    expect(batches).toEqual([['a'], ['b', 'c', 'd']]);
    await releaseNext();
    await expect(Promise.all(answers)).resolves.toEqual(['receipt:a', 'receipt:b', 'receipt:c', 'receipt:d']);
  });

  it('keeps keys apart and runs at most `concurrency` batches of one key at once', async () => {
    const { batches, commit, releaseNext, pending } = controlledCommit();
    const intake = new GroupCommit(commit, { concurrency: 2, maxBatch: 2 });
    const answers = ['a', 'b', 'c', 'd', 'e'].map((item) => intake.submit('project-1', item));
    const other = intake.submit('project-2', 'x');
    expect(batches).toEqual([['a'], ['b'], ['x']]);
    expect(pending()).toBe(3);
    await releaseNext();
    expect(batches.slice(3)).toEqual([['c', 'd']]);
    while (pending() > 0) await releaseNext();
    await expect(Promise.all([...answers, other])).resolves.toEqual(['receipt:a', 'receipt:b', 'receipt:c', 'receipt:d', 'receipt:e', 'receipt:x']);
    expect(batches.flat().sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'x']);
  });

  it('answers each request of a batch on its own: one refusal leaves the others accepted', async () => {
    const intake = new GroupCommit<string, string, string>(async (_key, items) =>
      items.map((item) => (item.startsWith('bad') ? { ok: false, error: new Error(`refused ${item}`) } : { ok: true, value: `receipt:${item}` })),
    );
    const answers = await Promise.allSettled(['a', 'bad-1', 'b'].map((item) => intake.submit('p', item)));
    expect(answers).toEqual([
      { status: 'fulfilled', value: 'receipt:a' },
      { status: 'rejected', reason: new Error('refused bad-1') },
      { status: 'fulfilled', value: 'receipt:b' },
    ]);
  });

  it('retries each request alone when a whole batch throws, so only the bad one fails', async () => {
    const { batches, commit, releaseNext, pending } = controlledCommit();
    const intake = new GroupCommit(commit, { concurrency: 1 });
    const answers = ['first', 'ok-1', 'bad', 'ok-2'].map((item) => intake.submit('p', item).then((value) => ({ value }), (error: Error) => ({ error: error.message })));
    while (pending() > 0) await releaseNext();
    expect(await Promise.all(answers)).toEqual([{ value: 'receipt:first' }, { value: 'receipt:ok-1' }, { error: 'refused bad' }, { value: 'receipt:ok-2' }]);
    expect(batches).toEqual([['first'], ['ok-1', 'bad', 'ok-2'], ['ok-1'], ['bad'], ['ok-2']]);
  });
});
