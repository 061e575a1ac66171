import type { PlatformDeps } from '../platform/deps.js';
import { isoShanghai } from '../platform/time.js';
import type { RouteTable } from '../platform/http/routes.js';
import { firmRatings, presentRating, projectContracts, registerContractFileRules } from './queries.js';
import { completionBody, contractBody, contractResponse, deliveryBody, deliveryResponse, firmRatingsResponse, hideBody, idParams, projectContractsResponse, ratingResponse, replyBody } from './schemas.js';
import { completeContract, recordContract, recordDelivery, hideRatingComment, replyToRating } from './service.js';

const tags = ['contracts'];
const STAFF = ['staff', 'admin'] as const;

export function registerContractRoutes(routes: RouteTable, deps: PlatformDeps): void {
  registerContractFileRules();

  routes.api({
    method: 'get', path: '/projects/:id/contracts', access: 'public', tags, params: idParams,
    summary: "A project's contracts with the service timer in working days, delivery and rating (files for the parties only)",
    response: { status: 200, description: '{items}', schema: projectContractsResponse },
    handler: ({ params, user }) => projectContracts(deps, user, params.id),
  });
  routes.api({
    method: 'post', path: '/projects/:id/contract', access: ['owner'], tags, params: idParams, body: contractBody,
    summary: 'The owner records the contract of an accepted award: amount ≤ the winning price, signed date, scan (a file of purpose "contract")',
    response: { status: 201, description: 'The contract', schema: contractResponse }, errors: [409],
    handler: async ({ params, body, user }) => {
      const contract = await recordContract(deps, user!, params.id, body);
      return { id: contract.id, awardId: contract.awardId, firmId: contract.firmId, amountFen: contract.amountFen, signedOn: contract.signedOn, promisedDays: contract.promisedDays, fileId: contract.fileId };
    },
  });
  routes.api({
    method: 'post', path: '/projects/:id/delivery', access: ['agency'], tags, params: idParams, body: deliveryBody,
    summary: 'The contracted firm marks delivery with its deliverables (服务成果, files of purpose "deliverable")',
    response: { status: 200, description: 'The contract, delivered', schema: deliveryResponse }, errors: [409],
    handler: async ({ params, body, user }) => {
      const contract = await recordDelivery(deps, user!, params.id, body);
      return { id: contract.id, deliveredAt: isoShanghai(contract.deliveredAt) };
    },
  });
  routes.api({
    method: 'post', path: '/projects/:id/completion', access: ['owner'], tags, params: idParams, body: completionBody,
    summary: 'The owner accepts the delivery (验收) and rates quality, timeliness, attitude, fees and conduct 1–5 with a comment',
    response: { status: 201, description: 'The rating', schema: ratingResponse }, errors: [409],
    handler: async ({ params, body, user }) => presentRating(await completeContract(deps, user!, params.id, body)),
  });
  routes.api({
    method: 'post', path: '/ratings/:id/reply', access: ['agency'], tags, params: idParams, body: replyBody,
    summary: 'The rated firm answers the rating once, in public',
    response: { status: 200, description: 'The rating with the reply', schema: ratingResponse }, errors: [409],
    handler: async ({ params, body, user }) => presentRating(await replyToRating(deps, user!, params.id, body.reply)),
  });
  routes.api({
    method: 'post', path: '/ratings/:id/hide', access: STAFF, tags, params: idParams, body: hideBody,
    summary: 'Staff hide an abusive comment (kept in the audit log); scores never change',
    response: { status: 200, description: 'The rating, comment hidden', schema: ratingResponse }, errors: [409],
    handler: async ({ params, body, user }) => presentRating(await hideRatingComment(deps, user!, params.id, body.reason)),
  });
  routes.api({
    method: 'get', path: '/firms/:id/ratings', access: 'public', tags, params: idParams,
    summary: "A firm's ratings by owners, with averages per aspect and the firm's replies",
    response: { status: 200, description: '{count, averages, mean, items}', schema: firmRatingsResponse },
    handler: ({ params }) => firmRatings(deps.database.db, params.id),
  });
}
