import type { PlatformDeps } from '../platform/deps.js';
import { badRequest } from '../platform/errors.js';
import type { RouteTable } from '../platform/http/routes.js';
import { text } from '../platform/text.js';
import { projectIdParams } from '../projects/schemas.js';
import { publicAuction } from './queries.js';
import { bidBody, bidReceiptSchema, eventsQuery, lastEventIdHeader, publicAuctionResponse } from './schemas.js';
import { placeBid } from './service.js';
import { streamAuctionEvents } from './stream.js';

export const idempotencyKey = (value: string | undefined) => {
  if (value !== undefined && !/^[\w.:-]{1,100}$/.test(value)) throw badRequest('invalid_idempotency_key', 'Idempotency-Key must be 1–100 letters, digits or _ . : -');
  return value;
};

export function registerAuctionRoutes(routes: RouteTable, deps: PlatformDeps): void {
  const tags = ['auction'];
  routes.api({
    method: 'get', path: '/projects/:id/auction', access: 'public', tags, params: projectIdParams,
    summary: 'The live auction (竞价), computed from the clock: round, turn, whose turn, seconds left, prices by "Bidder N"',
    response: { status: 200, description: 'Auction state; a firm also sees its own label', schema: publicAuctionResponse },
    handler: ({ params, user }) => publicAuction(deps, user, params.id),
  });
  routes.api({
    method: 'post', path: '/projects/:id/auction/bids', access: ['agency'], tags, params: projectIdParams, body: bidBody,
    summary: 'Bid {amountFen}, pass {pass:true} on your turn, or withdraw {withdraw:true}; send Idempotency-Key to make retries safe',
    response: { status: 201, description: 'The stored action (committed)', schema: bidReceiptSchema }, errors: [409, 422],
    handler: async ({ params, body, user, req, res }) => {
      const { receipt, replayed } = await placeBid(deps, user!, params.id, body, idempotencyKey(req.get('idempotency-key')));
      if (replayed) res.setHeader('Idempotent-Replayed', 'true');
      return receipt;
    },
  });
  routes.api({
    method: 'get', path: '/projects/:id/auction/events', access: 'public', tags, params: projectIdParams, query: eventsQuery,
    summary: 'Server-Sent Events of the auction; Last-Event-ID (header or query) replays what was missed',
    response: { status: 200, description: 'Server-Sent Events: one event per auction change, id = its sequence number (resume with Last-Event-ID)', schema: text(), contentType: 'text/event-stream' },
    handler: async ({ params, query, req, res }) => {
      const header = req.get('last-event-id');
      const parsed = header === undefined ? undefined : lastEventIdHeader.safeParse(header);
      if (parsed && !parsed.success) throw badRequest('invalid_last_event_id', 'Last-Event-ID must be a whole number');
      await streamAuctionEvents(deps, req, res, params.id, parsed?.data ?? query.lastEventId ?? 0);
      return undefined;
    },
  });
}
