import { pageOf, pageQuery } from '../audit/schemas.js';
import type { PlatformDeps } from '../platform/deps.js';
import { actorOf } from '../platform/http/access.js';
import type { RouteTable } from '../platform/http/routes.js';
import { verifyLotteryRecord, type DrandClient } from './algorithm/index.js';
import { buildVerifierBundle } from './browser/bundle.js';
import { HttpDrandClient } from './drand-http.js';
import { lotteryListData, lotteryPageData } from './presenter.js';
import {
  candidatesBody,
  commitLotteryBody,
  externalFigureBody,
  invalidateBody,
  lotteryIdParams,
  lotteryResponse,
  lotterySummary,
  verifyBody,
  verifyResponse,
  witnessesBody,
} from './schemas.js';
import {
  commitLottery,
  drawLottery,
  enterManualExternal,
  fixCandidates,
  getLottery,
  getPublicRecord,
  invalidateLottery,
  listLotteries,
  publicJson,
  setWitnesses,
} from './service.js';

const STAFF = ['staff', 'admin'] as const;

export interface LotteryRouteOptions {
  /** Where drand beacons come from; the public relay unless a test or deployment says otherwise. */
  drandClient?: DrandClient;
}

export function registerLotteryRoutes(routes: RouteTable, deps: PlatformDeps, options: LotteryRouteOptions = {}): void {
  const db = deps.database.db;
  const drandClient = options.drandClient ?? new HttpDrandClient();

  routes.api({
    method: 'get',
    path: '/lotteries',
    access: 'public',
    summary: 'Lotteries, newest commitment first',
    tags: ['lottery'],
    query: pageQuery,
    response: { status: 200, description: 'A page of lotteries', schema: pageOf(lotterySummary) },
    handler: ({ query }) => listLotteries(db, query),
  });

  routes.api({
    method: 'post',
    path: '/lotteries/verify',
    access: 'public',
    summary: 'Re-run a draw record: consistent, or the first mismatch (commitment, candidates hash, entropy, seed, order, winners, format)',
    tags: ['lottery'],
    body: verifyBody,
    response: { status: 200, description: 'The verdict; a malformed record is a `format` mismatch', schema: verifyResponse },
    handler: async ({ body }) => {
      const result = verifyLotteryRecord(body);
      return result.ok ? { consistent: true } : { consistent: false, mismatch: result.mismatch };
    },
  });

  routes.api({
    method: 'get',
    path: '/lotteries/:id',
    access: 'public',
    summary: 'A lottery: its public draw record once drawn, before that its commitment and external source declaration',
    tags: ['lottery'],
    params: lotteryIdParams,
    response: { status: 200, description: 'The lottery', schema: lotteryResponse },
    handler: ({ params }) => getPublicRecord(db, params.id),
  });

  routes.api({
    method: 'post',
    path: '/lotteries',
    access: STAFF,
    summary: 'Commit a lottery: draw the secret server seed, publish its commitment and the external source',
    tags: ['lottery'],
    body: commitLotteryBody,
    response: { status: 201, description: 'Committed and audited', schema: lotteryResponse },
    handler: async ({ body, user }) => {
      const { external } = body;
      const published = await commitLottery(deps, actorOf(user), {
        algorithm: body.algorithm,
        winners: body.winners,
        ...(body.subject ? { subject: body.subject } : {}),
        external:
          external.kind === 'drand'
            ? {
                kind: 'drand',
                ...(external.round === undefined ? {} : { round: external.round }),
                ...(external.after === undefined ? {} : { after: new Date(external.after) }),
              }
            : external,
      });
      return publicJson(published);
    },
  });

  routes.api({
    method: 'put',
    path: '/lotteries/:id/candidates',
    access: STAFF,
    summary: 'Fix the candidates and their entropy at registration close (after the external value is known: invalidates the draw)',
    tags: ['lottery'],
    params: lotteryIdParams,
    body: candidatesBody,
    response: { status: 200, description: 'Fixed and audited, or the lottery invalidated', schema: lotteryResponse },
    errors: [409],
    handler: async ({ params, body, user }) =>
      publicJson(await fixCandidates(deps, actorOf(user), params.id, body.candidates, body.entropy)),
  });

  routes.api({
    method: 'post',
    path: '/lotteries/:id/external',
    access: STAFF,
    summary: 'Enter the declared public figure with its reference (manual sources and rfc3797)',
    tags: ['lottery'],
    params: lotteryIdParams,
    body: externalFigureBody,
    response: { status: 200, description: 'Entered and audited', schema: lotteryResponse },
    errors: [409],
    handler: async ({ params, body, user }) =>
      publicJson(await enterManualExternal(deps, actorOf(user), params.id, body.figure, body.reference)),
  });

  routes.api({
    method: 'post',
    path: '/lotteries/:id/draw',
    access: STAFF,
    summary: 'Reveal the seed and draw (409 while the external value is not available yet)',
    tags: ['lottery'],
    params: lotteryIdParams,
    response: { status: 200, description: 'The public draw record', schema: lotteryResponse },
    errors: [409, 422],
    handler: async ({ params, user }) => {
      await drawLottery(deps, actorOf(user), params.id, { drandClient });
      return getPublicRecord(db, params.id);
    },
  });

  routes.api({
    method: 'post',
    path: '/lotteries/:id/witnesses',
    access: STAFF,
    summary: 'Name up to three witnesses of the draw (before the draw; replaces the list)',
    tags: ['lottery'],
    params: lotteryIdParams,
    body: witnessesBody,
    response: { status: 200, description: 'Stored and audited', schema: lotteryResponse },
    errors: [409],
    handler: async ({ params, body, user }) => publicJson(await setWitnesses(deps, actorOf(user), params.id, body.witnesses)),
  });

  routes.api({
    method: 'post',
    path: '/lotteries/:id/invalidate',
    access: STAFF,
    summary: 'Declare a lottery void, with the reason (a drawn record is kept unchanged)',
    tags: ['lottery'],
    params: lotteryIdParams,
    body: invalidateBody,
    response: { status: 200, description: 'Invalidated and audited', schema: lotteryResponse },
    errors: [409],
    handler: async ({ params, body, user }) => publicJson(await invalidateLottery(deps, actorOf(user), params.id, body.reason)),
  });

  routes.page({
    method: 'get',
    path: '/lotteries',
    access: 'public',
    query: pageQuery,
    handler: async ({ query, res }) => ({
      view: 'lottery/list',
      data: { title: res.locals.t('lottery.list.title'), ...lotteryListData(await listLotteries(db, query)) },
    }),
  });

  routes.page({
    method: 'get',
    path: '/lotteries/:id',
    access: 'public',
    params: lotteryIdParams,
    handler: async ({ params, res }) => ({
      view: 'lottery/show',
      data: { title: res.locals.t('lottery.show.title', { id: params.id }), ...lotteryPageData(await getLottery(db, params.id)) },
    }),
  });

  routes.page({
    method: 'get',
    path: '/assets/lottery-verify.js',
    access: 'public',
    handler: async ({ res }) => {
      const bundle = await buildVerifierBundle();
      res.set('Cache-Control', 'public, max-age=3600').type('application/javascript').send(bundle);
    },
  });
}
