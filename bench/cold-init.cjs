// Child process for the cold-init measurement: require one bundle, then make its first handler
// call (an unsigned ssl_check probe: every app answers it without a store or Slack call), and
// print how long each step took. Plain CommonJS so no TypeScript loader sits in the measurement.
const { performance } = require('node:perf_hooks');

const bundle = process.argv[2];
const t0 = performance.now();
const mod = require(bundle);
const t1 = performance.now();
const body = 'ssl_check=1&token=x';
const event = {
  version: '2.0',
  routeKey: '$default',
  rawPath: '/slack/events',
  rawQueryString: '',
  headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(body.length) },
  requestContext: {
    http: {
      method: 'POST',
      path: '/slack/events',
      protocol: 'HTTP/1.1',
      sourceIp: '127.0.0.1',
      userAgent: 'Slackbot',
    },
    requestId: 'cold',
    routeKey: '$default',
    stage: '$default',
    timeEpoch: Date.now(),
  },
  body,
  isBase64Encoded: false,
};
const context = { awsRequestId: 'cold-init', getRemainingTimeInMillis: () => 10000 };
Promise.resolve(mod.handler(event, context)).then(
  (result) => {
    const t2 = performance.now();
    process.stdout.write(
      JSON.stringify({
        requireMs: t1 - t0,
        firstCallMs: t2 - t1,
        totalMs: t2 - t0,
        sinceProcessStartMs: t2,
        status: result.statusCode,
      }),
    );
    process.exit(0);
  },
  (error) => {
    process.stderr.write(String(error?.stack ?? error));
    process.exit(1);
  },
);
