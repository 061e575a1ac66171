import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { QUICKNET_CHAIN_INFO, fetchVerifiedBeacon } from '../../src/lottery/algorithm/index.js';
import { HttpDrandClient } from '../../src/lottery/drand-http.js';
import { recordedBeacon } from './support/vectors.js';

const ROUND = 20905307;

/** A local relay speaking drand's HTTP API, serving one recorded round. */
describe('HttpDrandClient', () => {
  let server: Server;
  let baseUrl: string;
  const paths: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      paths.push(req.url ?? '');
      const match = /^\/([0-9a-f]{64})\/public\/(\d+)$/.exec(req.url ?? '');
      if (!match || match[1] !== QUICKNET_CHAIN_INFO.chainHash) return void res.writeHead(404).end();
      const round = Number(match[2]);
      if (round === ROUND) return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ...recordedBeacon(ROUND), previous_signature: '' }));
      if (round === 666) return void res.writeHead(500).end('boom');
      res.writeHead(425).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('fetches a published round from /<chain hash>/public/<round>, and it verifies', async () => {
    const client = new HttpDrandClient({ baseUrl });
    expect(await fetchVerifiedBeacon(client, ROUND)).toEqual(recordedBeacon(ROUND));
    expect(paths).toContain(`/${QUICKNET_CHAIN_INFO.chainHash}/public/${ROUND}`);
  });

  it('answers null for a round the relay does not have yet (425)', async () => {
    expect(await new HttpDrandClient({ baseUrl }).fetchRound(ROUND + 1)).toBeNull();
  });

  it('throws on a relay error', async () => {
    await expect(new HttpDrandClient({ baseUrl }).fetchRound(666)).rejects.toThrow('answered 500');
  });
});
