import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LambdaInvokeStandIn {
  /** For AWS_ENDPOINT_URL_LAMBDA. */
  url: string;
  /** Function names invoked so far, in order. */
  invocations(): { functionName: string; payload: string }[];
  close(): Promise<void>;
}

/**
 * Lambda's Invoke API on loopback: accepts every asynchronous invocation (202) and records it,
 * runs nothing. With WORKER_FUNCTION_NAME set and AWS_ENDPOINT_URL_LAMBDA pointing here, jobs are
 * dispatched exactly as on Lambda, so no job runs in the test process behind the test's back.
 */
export async function startLambdaInvokeStandIn(): Promise<LambdaInvokeStandIn> {
  const recorded: { functionName: string; payload: string }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const match = /\/functions\/([^/]+)\/invocations/.exec(req.url ?? '');
      recorded.push({
        functionName: decodeURIComponent(match?.[1] ?? ''),
        payload: Buffer.concat(chunks).toString(),
      });
      res.writeHead(202, { 'content-type': 'application/json', 'x-amzn-requestid': 'standin' });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    invocations: () => [...recorded],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Environment that sends job dispatch to `standin` as an async Invoke of `functionName`. */
export function lambdaDispatchEnv(
  standin: LambdaInvokeStandIn,
  functionName = 'mcc-worker',
): Record<string, string> {
  return {
    WORKER_FUNCTION_NAME: functionName,
    AWS_ENDPOINT_URL_LAMBDA: standin.url,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
  };
}
