import { createServer } from 'node:http';
import { referenceReceiver } from './reference-app';

/**
 * The bench's reference Bolt app (reference-app.ts) served over HTTP on `PORT`, with nothing else:
 * what `npm start`'s own HTTP latency is compared against (bench/local-http.ts).
 */
const server = createServer(referenceReceiver().requestListener);
server.listen(Number(process.env.PORT ?? 3100), '127.0.0.1', () => process.stdout.write('listening\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
