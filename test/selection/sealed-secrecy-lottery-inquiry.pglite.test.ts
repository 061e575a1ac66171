import { describeSealedSecrecy } from './sealed-secrecy.js';

describeSealedSecrecy('lottery_inquiry');
