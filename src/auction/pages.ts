import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import { csrfTokenFor } from '../auth/middleware.js';
import type { PlatformDeps } from '../platform/deps.js';
import { AppError } from '../platform/errors.js';
import type { PageResult, RouteTable } from '../platform/http/routes.js';
import type { Translate } from '../platform/i18n/index.js';
import { formatFen, parseYuanToFen } from '../platform/money.js';
import { projectIdParams } from '../projects/schemas.js';
import { publicAuction, type PublicAuction } from './queries.js';
import { placeBid } from './service.js';

export const AUCTION_SCRIPT = '/assets/auction.js';
export const AUCTION_STYLESHEET = '/assets/auction.css';

const tOf = (req: Request): Translate => req.res!.locals.t;
/** The script's strings use %name% placeholders (it fills them in the browser too). */
const fill = (text: string, values: Record<string, unknown>) => text.replace(/%(\w+)%/g, (_, name: string) => String(values[name] ?? ''));

/** The strings the page script needs, in the page's language. */
function scriptTexts(t: Translate) {
  const keys = ['round', 'turnOf', 'yourTurn', 'notStarted', 'ended', 'tieBreakPending', 'announce.turn', 'announce.bid', 'announce.pass', 'announce.timeout', 'announce.withdraw', 'announce.ended', 'outcomes.bid', 'outcomes.pass', 'outcomes.timeout', 'outcomes.withdraw', 'you', 'maxBid', 'withdrawn', 'connectionLost', 'bidRefused'];
  return Object.fromEntries(keys.map((key) => [key, t(`auction.script.${key}`)]));
}

function viewOf(req: Request, state: PublicAuction, extra: { error?: string } = {}, status = 200): PageResult {
  const t = tOf(req);
  const current = state.current;
  return {
    view: 'auction/show',
    status,
    data: {
      title: `${t('auction.page.title')} · ${state.title}`,
      csrfToken: csrfTokenFor(req),
      scripts: [AUCTION_SCRIPT],
      stylesheets: [AUCTION_STYLESHEET],
      state,
      stateJson: state,
      texts: scriptTexts(t),
      idempotencyKey: randomUUID(),
      error: extra.error,
      phaseText: state.phase === 'pending' ? t('auction.script.notStarted') : state.phase === 'ended' ? t('auction.script.ended') : fill(t('auction.script.turnOf'), { round: current?.round, label: current?.label }),
      log: state.log.map((entry) => ({ ...entry, outcomeLabel: t(`auction.script.outcomes.${entry.outcome}`), amount: entry.amountFen !== null ? formatFen(entry.amountFen) : '' })),
      yourTurn: Boolean(state.you?.yourTurn),
    },
  };
}

export function registerAuctionPages(routes: RouteTable, deps: PlatformDeps): void {
  routes.page({
    method: 'get',
    path: '/projects/:id/auction',
    access: 'public',
    params: projectIdParams,
    handler: async ({ req, params, user }) => viewOf(req, await publicAuction(deps, user, params.id)),
  });

  /** Without JavaScript the form posts here; with it, the page script calls the API. */
  routes.page({
    method: 'post',
    path: '/projects/:id/auction/bid',
    access: ['agency'],
    params: projectIdParams,
    handler: async ({ req, params, body, user }) => {
      const t = tOf(req);
      const form = body as Record<string, string | undefined>;
      const key = form.idempotencyKey && /^[\w.:-]{1,100}$/.test(form.idempotencyKey) ? form.idempotencyKey : undefined;
      try {
        if (form.action === 'pass') {
          await placeBid(deps, user!, params.id, { pass: true }, key);
        } else {
          const amountFen = parseYuanToFen(form.amount ?? '');
          if (!amountFen) throw new AppError(400, 'validation_failed', t('auction.errors.amount'));
          await placeBid(deps, user!, params.id, { amountFen }, key);
        }
        return { redirect: `/projects/${params.id}/auction` };
      } catch (error) {
        if (!(error instanceof AppError) || error.status >= 500 || error.status === 404) throw error;
        const message = t(`auction.errors.${error.code}`, { defaultValue: error.message });
        return viewOf(req, await publicAuction(deps, user, params.id), { error: message }, error.status);
      }
    },
  });
}
