import { randomBytes } from 'node:crypto';
import { createWebhookSender, type DeliveryAttempt } from './webhook-sender';

/**
 * Workfront event subscriptions for the stand-in (platform-facts §7): `POST
 * /attask/eventsubscription/api/v1/subscriptions` with `{objCode, eventType, url, authToken,
 * base64Encoding?}` → 201 + `Location`; every matching change is POSTed to `url` as `{eventType,
 * subscriptionId, eventTime: {epochSecond, nano}, newState, oldState}` (states base64 JSON when
 * asked), with the token as `Authorization: Bearer <authToken>` — the carrying header is
 * UNCONFIRMED for real Workfront; the intake accepts bearer and bare, and `tokenForm: 'bare'`
 * sends it bare. A delivery not answered 2xx is retried.
 */
interface WorkfrontSubscription {
  ID: string;
  objCode: string;
  eventType: 'CREATE' | 'UPDATE' | 'DELETE';
  url: string;
  authToken: string;
  base64Encoding: boolean;
  tokenForm: 'bearer' | 'bare';
}

export interface WorkfrontEvents {
  subscribe(
    input: Omit<WorkfrontSubscription, 'ID' | 'base64Encoding' | 'tokenForm'> &
      Partial<Pick<WorkfrontSubscription, 'base64Encoding' | 'tokenForm'>>,
  ): WorkfrontSubscription;
  subscriptions(): WorkfrontSubscription[];
  emit(
    eventType: 'CREATE' | 'UPDATE' | 'DELETE',
    objCode: string,
    oldState: Record<string, unknown>,
    newState: Record<string, unknown>,
  ): void;
  /** Sends a message again exactly as before (a redelivery), `times` times, concurrently. */
  redeliver(index: number, times?: number): Promise<number[]>;
  deliveries(): DeliveryAttempt[];
  settled(): Promise<void>;
}

export function createWorkfrontEvents(options: { retryDelaysMs?: number[] } = {}): WorkfrontEvents {
  const subs: WorkfrontSubscription[] = [];
  const sender = createWebhookSender(options);
  const sent: { url: string; body: string; headers: Record<string, string> }[] = [];
  // Nanosecond counter so two changes in the same millisecond stay ordered.
  let lastNs = 0n;
  const nowNs = () => {
    const ns = BigInt(Date.now()) * 1_000_000n;
    lastNs = ns > lastNs ? ns : lastNs + 1n;
    return lastNs;
  };
  const encode = (state: Record<string, unknown>, base64: boolean) =>
    base64 ? Buffer.from(JSON.stringify(state)).toString('base64') : state;

  return {
    subscribe(input) {
      const sub: WorkfrontSubscription = {
        base64Encoding: false,
        tokenForm: 'bearer',
        ...input,
        ID: randomBytes(16).toString('hex'),
      };
      subs.push(sub);
      return sub;
    },
    subscriptions: () => subs.map((s) => ({ ...s })),
    emit(eventType, objCode, oldState, newState) {
      const ns = nowNs();
      for (const sub of subs) {
        if (sub.objCode !== objCode || sub.eventType !== eventType) continue;
        const body = JSON.stringify({
          eventType,
          subscriptionId: sub.ID,
          eventTime: { epochSecond: Number(ns / 1_000_000_000n), nano: Number(ns % 1_000_000_000n) },
          newState: encode(newState, sub.base64Encoding),
          oldState: encode(oldState, sub.base64Encoding),
        });
        const headers = {
          authorization: sub.tokenForm === 'bearer' ? `Bearer ${sub.authToken}` : sub.authToken,
        };
        sent.push({ url: sub.url, body, headers });
        void sender.send(sub.url, body, headers);
      }
    },
    async redeliver(index, times = 1) {
      const message = sent[index];
      if (!message) throw new Error(`no message ${index}`);
      return Promise.all(
        Array.from({ length: times }, () => sender.send(message.url, message.body, message.headers)),
      );
    },
    deliveries: () => sender.attempts(),
    settled: () => sender.settled(),
  };
}
