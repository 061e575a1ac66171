import { describeSealedSecrecy } from './sealed-secrecy.js';

describeSealedSecrecy('bidding');
