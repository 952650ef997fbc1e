/**
 * Webhook deliveries from a stand-in (Workfront event subscriptions, Asana webhooks): POSTs a JSON
 * body with the vendor's headers and retries a delivery that is not answered 2xx, as the vendors
 * do (much faster here: `retryDelaysMs`). Every attempt is recorded; `settled()` waits for all
 * deliveries in flight, so a test can assert on their effects.
 */
export interface DeliveryAttempt {
  url: string;
  body: string;
  headers: Record<string, string>;
  status: number;
  /** 1 for the first try. */
  attempt: number;
  at: string;
}

export interface WebhookSender {
  send(url: string, body: string, headers: Record<string, string>): Promise<number>;
  attempts(): DeliveryAttempt[];
  settled(): Promise<void>;
}

export function createWebhookSender(
  options: { retryDelaysMs?: number[]; timeoutMs?: number } = {},
): WebhookSender {
  const log: DeliveryAttempt[] = [];
  const inFlight = new Set<Promise<unknown>>();
  const delays = options.retryDelaysMs ?? [50, 200, 1_000];
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref?.());

  const once = async (url: string, body: string, headers: Record<string, string>, attempt: number) => {
    let status = 0;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      status = response.status;
      await response.arrayBuffer();
    } catch {
      status = 0;
    }
    log.push({ url, body, headers, status, attempt, at: new Date().toISOString() });
    return status;
  };

  return {
    send(url, body, headers) {
      const run = (async () => {
        let status = await once(url, body, headers, 1);
        for (let i = 0; i < delays.length && (status < 200 || status >= 300); i++) {
          await sleep(delays[i] ?? 0);
          status = await once(url, body, headers, i + 2);
        }
        return status;
      })();
      inFlight.add(run);
      void run.finally(() => inFlight.delete(run));
      return run;
    },
    attempts: () => log.map((a) => ({ ...a })),
    async settled() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
