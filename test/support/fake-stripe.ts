import { createHash, randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import Stripe from 'stripe';
import request from 'supertest';

/**
 * A fake Stripe API on loopback for the real `stripe` SDK (pointed here by STRIPE_API_URL).
 * Stateful (sessions, payment intents, charges, refunds, events), honours Idempotency-Key like
 * Stripe (same key + same body → the same answer; another body → 400 idempotency_error), answers
 * unknown routes with Stripe's 404 shape, can fail or hang the next requests, records every
 * request, and signs webhook events exactly as Stripe does.
 */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  idempotencyKey: string | null;
  stripeVersion: string | null;
  body: JsonObject;
}

export interface SignedEvent {
  id: string;
  type: string;
  payload: string;
  header: string;
}

interface StoredResponse {
  fingerprint: string;
  status: number;
  body: Json;
}

export const FAKE_STRIPE_KEY = 'sk_test_fake_mend_key';
export const FAKE_WEBHOOK_SECRET = 'whsec_fake_mend_secret';

/** Parses Stripe's form encoding with bracket notation (`a[b][0][c]=x`) into nested JSON. */
export function parseStripeForm(body: string): JsonObject {
  const root: JsonObject = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const parts = rawKey.split(/\[|\]\[|\]/).filter((p, i) => p !== '' || i === 0);
    let node: JsonObject = root;
    parts.forEach((part, i) => {
      if (i === parts.length - 1) {
        node[part] = value;
        return;
      }
      const child = node[part];
      if (
        child === undefined ||
        typeof child !== 'object' ||
        child === null ||
        Array.isArray(child)
      )
        node[part] = {};
      const next = node[part];
      if (typeof next === 'object' && next !== null && !Array.isArray(next)) node = next;
    });
  }
  return obj(arrayify(root));
}

function arrayify(value: Json): Json {
  if (Array.isArray(value)) return value.map(arrayify);
  if (typeof value !== 'object' || value === null) return value;
  const keys = Object.keys(value);
  if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
    return keys.sort((a, b) => Number(a) - Number(b)).map((k) => arrayify(value[k]));
  }
  const out: JsonObject = {};
  for (const k of keys) out[k] = arrayify(value[k]);
  return out;
}

function str(v: Json | undefined): string | null {
  return typeof v === 'string' ? v : null;
}
function obj(v: Json | undefined): JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? v : {};
}
function id(prefix: string): string {
  return `${prefix}_test_${randomBytes(12).toString('hex')}`;
}
function stripeError(
  status: number,
  type: string,
  message: string,
  code?: string,
): { status: number; body: Json } {
  return { status, body: { error: { type, message, ...(code ? { code } : {}) } } };
}

export class FakeStripe {
  readonly requests: RecordedRequest[] = [];
  readonly sessions = new Map<string, JsonObject>();
  readonly paymentIntents = new Map<string, JsonObject>();
  readonly charges = new Map<string, JsonObject>();
  readonly refunds = new Map<string, JsonObject>();
  /** Events Stripe would have sent on its own (e.g. charge.refunded after an API refund). */
  readonly events: SignedEvent[] = [];
  private readonly idempotency = new Map<string, StoredResponse>();
  private failures: { status: number }[] = [];
  private hangs = 0;
  private lostAnswers = 0;
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  url = '';

  constructor(readonly webhookSecret = FAKE_WEBHOOK_SECRET) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.onRequest(req, res));
    this.server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    if (!address || typeof address === 'string') throw new Error('fake Stripe: no port');
    this.url = `http://127.0.0.1:${address.port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }

  /** The env that points the app at this fake. */
  env(): Record<string, string> {
    return {
      STRIPE_SECRET_KEY: FAKE_STRIPE_KEY,
      STRIPE_WEBHOOK_SECRET: this.webhookSecret,
      STRIPE_API_URL: this.url,
    };
  }

  /** The next `n` requests answer `status` (500 by default) before doing anything. */
  failNext(n: number, status = 500): void {
    for (let i = 0; i < n; i++) this.failures.push({ status });
  }

  /** The next `n` requests never get an answer (the SDK's timeout fires). */
  hangNext(n: number): void {
    this.hangs += n;
  }

  /** The next `n` requests are carried out, but their answers never arrive (the worst kind of timeout). */
  loseAnswersOfNext(n: number): void {
    this.lostAnswers += n;
  }

  requestsTo(method: string, path: string | RegExp): RecordedRequest[] {
    return this.requests.filter(
      (r) =>
        r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)),
    );
  }

  // ---- the API -----------------------------------------------------------------------------

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    const idempotencyKey =
      typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : null;
    const method = req.method ?? 'GET';
    this.requests.push({
      method,
      path: url.pathname,
      query: url.searchParams,
      idempotencyKey,
      stripeVersion:
        typeof req.headers['stripe-version'] === 'string' ? req.headers['stripe-version'] : null,
      body: parseStripeForm(raw),
    });
    if (this.hangs > 0) {
      this.hangs--;
      return; // never answered; the socket is destroyed on stop()
    }
    const failure = this.failures.shift();
    if (failure)
      return this.reply(res, failure.status, {
        error: { type: 'api_error', message: 'An unknown error occurred (injected by the fake).' },
      });
    if (req.headers.authorization !== `Bearer ${FAKE_STRIPE_KEY}`) {
      return this.reply(res, 401, {
        error: { type: 'invalid_request_error', message: 'Invalid API Key provided.' },
      });
    }
    if (method === 'POST' && idempotencyKey) {
      const fingerprint = createHash('sha256')
        .update(`${method} ${url.pathname} ${raw}`)
        .digest('hex');
      const stored = this.idempotency.get(idempotencyKey);
      if (stored && stored.fingerprint !== fingerprint) {
        const e = stripeError(
          400,
          'idempotency_error',
          `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
        );
        return this.reply(res, e.status, e.body);
      }
      if (stored)
        return this.reply(res, stored.status, stored.body, { 'idempotent-replayed': 'true' });
      const result = this.route(method, url, parseStripeForm(raw));
      if (result.status < 500)
        this.idempotency.set(idempotencyKey, {
          fingerprint,
          status: result.status,
          body: result.body,
        });
      return this.reply(res, result.status, result.body);
    }
    const result = this.route(method, url, parseStripeForm(raw));
    this.reply(res, result.status, result.body);
  }

  private reply(
    res: ServerResponse,
    status: number,
    body: Json,
    headers: Record<string, string> = {},
  ): void {
    if (this.lostAnswers > 0) {
      this.lostAnswers--;
      return; // done, but never answered; the socket is destroyed on stop()
    }
    res.writeHead(status, {
      'content-type': 'application/json',
      'request-id': id('req'),
      ...headers,
    });
    res.end(JSON.stringify(body));
  }

  private route(method: string, url: URL, body: JsonObject): { status: number; body: Json } {
    const path = url.pathname;
    let m: RegExpMatchArray | null;
    if (method === 'POST' && path === '/v1/checkout/sessions') return this.createSession(body);
    if (method === 'GET' && path === '/v1/checkout/sessions') {
      const pi = url.searchParams.get('payment_intent');
      const data = [...this.sessions.values()]
        .filter((s) => !pi || s.payment_intent === pi)
        .map((s) => this.publicSession(s));
      return {
        status: 200,
        body: { object: 'list', data, has_more: false, url: '/v1/checkout/sessions' },
      };
    }
    if (method === 'GET' && (m = path.match(/^\/v1\/checkout\/sessions\/([^/]+)$/))) {
      const s = this.sessions.get(m[1]);
      return s
        ? { status: 200, body: this.publicSession(s) }
        : stripeError(
            404,
            'invalid_request_error',
            `No such checkout.session: '${m[1]}'`,
            'resource_missing',
          );
    }
    if (method === 'POST' && (m = path.match(/^\/v1\/checkout\/sessions\/([^/]+)\/expire$/))) {
      const s = this.sessions.get(m[1]);
      if (!s)
        return stripeError(
          404,
          'invalid_request_error',
          `No such checkout.session: '${m[1]}'`,
          'resource_missing',
        );
      if (s.status !== 'open')
        return stripeError(
          400,
          'invalid_request_error',
          'Only Checkout Sessions with a status in ["open"] can be expired.',
        );
      s.status = 'expired';
      return { status: 200, body: this.publicSession(s) };
    }
    if (method === 'POST' && path === '/v1/refunds') return this.createRefund(body);
    if (method === 'GET' && (m = path.match(/^\/v1\/payment_intents\/([^/]+)$/))) {
      const pi = this.paymentIntents.get(m[1]);
      return pi
        ? { status: 200, body: pi }
        : stripeError(
            404,
            'invalid_request_error',
            `No such payment_intent: '${m[1]}'`,
            'resource_missing',
          );
    }
    return stripeError(
      404,
      'invalid_request_error',
      `Unrecognized request URL (${method}: ${path}).`,
    );
  }

  private createSession(body: JsonObject): { status: number; body: Json } {
    if (body.mode !== 'payment')
      return stripeError(
        400,
        'invalid_request_error',
        'Missing required param: mode.',
        'parameter_missing',
      );
    const lineItems = body.line_items;
    const first = Array.isArray(lineItems) ? obj(lineItems[0]) : {};
    const priceData = obj(first.price_data);
    const amount = Number(str(priceData.unit_amount) ?? NaN) * Number(str(first.quantity) ?? 1);
    const currency = str(priceData.currency);
    if (!Number.isInteger(amount) || amount <= 0 || !currency)
      return stripeError(
        400,
        'invalid_request_error',
        'Invalid line_items.',
        'parameter_invalid_integer',
      );
    const now = Math.floor(Date.now() / 1000);
    const expiresAt = Number(str(body.expires_at) ?? now + 86400);
    if (expiresAt < now + 30 * 60 - 5 || expiresAt > now + 24 * 3600 + 5) {
      return stripeError(
        400,
        'invalid_request_error',
        'The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.',
        'parameter_invalid_integer',
      );
    }
    const sessionId = id('cs');
    const session: JsonObject = {
      id: sessionId,
      object: 'checkout.session',
      amount_subtotal: amount,
      amount_total: amount,
      cancel_url: str(body.cancel_url),
      client_reference_id: str(body.client_reference_id),
      created: now,
      currency,
      customer_email: str(body.customer_email),
      expires_at: expiresAt,
      livemode: false,
      metadata: obj(body.metadata),
      mode: 'payment',
      payment_intent: null,
      payment_status: 'unpaid',
      status: 'open',
      success_url: str(body.success_url),
      url: `https://checkout.stripe.com/c/pay/${sessionId}`,
      _payment_intent_metadata: obj(obj(body.payment_intent_data).metadata),
    };
    this.sessions.set(sessionId, session);
    return { status: 200, body: this.publicSession(session) };
  }

  private publicSession(s: JsonObject): JsonObject {
    const copy: JsonObject = { ...s };
    delete copy._payment_intent_metadata;
    return copy;
  }

  private createRefund(body: JsonObject): { status: number; body: Json } {
    const piId = str(body.payment_intent);
    const pi = piId ? this.paymentIntents.get(piId) : undefined;
    if (!pi || !piId)
      return stripeError(
        400,
        'invalid_request_error',
        `No such payment_intent: '${piId ?? ''}'`,
        'resource_missing',
      );
    const charge = this.charges.get(String(pi.latest_charge));
    if (!charge)
      return stripeError(
        400,
        'invalid_request_error',
        'This PaymentIntent has no charge to refund.',
      );
    const remaining = Number(charge.amount) - Number(charge.amount_refunded);
    if (remaining <= 0)
      return stripeError(
        400,
        'invalid_request_error',
        `Charge ${String(charge.id)} has already been refunded.`,
        'charge_already_refunded',
      );
    const amount = body.amount === undefined ? remaining : Number(str(body.amount));
    const refund = this.refund(charge, amount, obj(body.metadata));
    this.events.push(this.sign(this.event('charge.refunded', charge)));
    return { status: 200, body: refund };
  }

  private refund(charge: JsonObject, amount: number, metadata: JsonObject): JsonObject {
    const refund: JsonObject = {
      id: id('re'),
      object: 'refund',
      amount,
      charge: charge.id,
      currency: charge.currency,
      payment_intent: charge.payment_intent,
      status: 'succeeded',
      metadata,
      created: Math.floor(Date.now() / 1000),
    };
    this.refunds.set(String(refund.id), refund);
    charge.amount_refunded = Number(charge.amount_refunded) + amount;
    charge.refunded = charge.amount_refunded === charge.amount;
    const list = obj(charge.refunds);
    list.data = [refund, ...(Array.isArray(list.data) ? list.data : [])];
    charge.refunds = list;
    return refund;
  }

  // ---- what happens on Stripe's side, as signed webhook events ------------------------------

  /** The payer pays: the session completes (paid, or `unpaid` for an async method) and the event is signed. */
  completeSession(
    sessionId: string,
    options: { async?: boolean; thinPayload?: boolean } = {},
  ): SignedEvent {
    const s = this.requireSession(sessionId);
    const piId = id('pi');
    const chId = id('ch');
    const amount = Number(s.amount_total);
    this.paymentIntents.set(piId, {
      id: piId,
      object: 'payment_intent',
      amount,
      currency: s.currency,
      latest_charge: chId,
      status: options.async ? 'processing' : 'succeeded',
      metadata: obj(s._payment_intent_metadata),
    });
    this.charges.set(chId, {
      id: chId,
      object: 'charge',
      amount,
      amount_captured: amount,
      amount_refunded: 0,
      currency: s.currency,
      paid: true,
      refunded: false,
      status: 'succeeded',
      payment_intent: piId,
      metadata: obj(s._payment_intent_metadata),
      refunds: { object: 'list', data: [], has_more: false, url: `/v1/charges/${chId}/refunds` },
    });
    s.status = 'complete';
    s.payment_status = options.async ? 'unpaid' : 'paid';
    s.payment_intent = piId;
    const payload = this.publicSession(s);
    if (options.thinPayload) payload.payment_intent = null;
    return this.sign(this.event('checkout.session.completed', payload));
  }

  asyncPaymentSucceeded(sessionId: string): SignedEvent {
    const s = this.requireSession(sessionId);
    s.payment_status = 'paid';
    const pi = this.paymentIntents.get(String(s.payment_intent));
    if (pi) pi.status = 'succeeded';
    return this.sign(this.event('checkout.session.async_payment_succeeded', this.publicSession(s)));
  }

  asyncPaymentFailed(sessionId: string): SignedEvent {
    const s = this.requireSession(sessionId);
    const pi = this.paymentIntents.get(String(s.payment_intent));
    if (pi) pi.status = 'requires_payment_method';
    return this.sign(this.event('checkout.session.async_payment_failed', this.publicSession(s)));
  }

  expireSession(sessionId: string): SignedEvent {
    const s = this.requireSession(sessionId);
    if (s.status === 'open') s.status = 'expired';
    return this.sign(this.event('checkout.session.expired', this.publicSession(s)));
  }

  /** A refund made by the coach in the Stripe dashboard (full unless `amount`). */
  refundFromDashboard(paymentIntentId: string, amount?: number): SignedEvent {
    const pi = this.paymentIntents.get(paymentIntentId);
    const charge = pi ? this.charges.get(String(pi.latest_charge)) : undefined;
    if (!charge) throw new Error(`fake Stripe: no charge for ${paymentIntentId}`);
    this.refund(charge, amount ?? Number(charge.amount) - Number(charge.amount_refunded), {});
    return this.sign(this.event('charge.refunded', charge));
  }

  /**
   * A refund that had gone through fails later (e.g. the card was closed): Stripe marks it
   * `failed` with a `failure_reason`, gives the amount back to the charge, and sends
   * `charge.refund.updated` with the refund.
   */
  failRefund(refundId: string, failureReason = 'expired_or_canceled_card'): SignedEvent {
    const refund = this.refunds.get(refundId);
    if (!refund) throw new Error(`fake Stripe: no refund ${refundId}`);
    refund.status = 'failed';
    refund.failure_reason = failureReason;
    const charge = this.charges.get(String(refund.charge));
    if (charge) {
      charge.amount_refunded = Math.max(0, Number(charge.amount_refunded) - Number(refund.amount));
      charge.refunded = false;
    }
    return this.sign(this.event('charge.refund.updated', refund));
  }

  /** Any event, e.g. a type Mend does not handle. */
  event(type: string, object: JsonObject): JsonObject {
    return {
      id: id('evt'),
      object: 'event',
      api_version: Stripe.API_VERSION,
      created: Math.floor(Date.now() / 1000),
      data: { object: structuredClone(object) },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
    };
  }

  /** Signs a payload exactly as Stripe does (`t=…,v1=…`); `timestamp` in seconds makes stale ones. */
  sign(event: JsonObject, options: { timestamp?: number; secret?: string } = {}): SignedEvent {
    const payload = JSON.stringify(event);
    const header = Stripe.webhooks.generateTestHeaderString({
      payload,
      secret: options.secret ?? this.webhookSecret,
      timestamp: options.timestamp,
    });
    return { id: String(event.id), type: String(event.type), payload, header };
  }

  private requireSession(sessionId: string): JsonObject {
    const s = this.sessions.get(sessionId);
    if (!s) throw new Error(`fake Stripe: no session ${sessionId}`);
    return s;
  }
}

/** Delivers a signed event to the app's webhook as Stripe would (the exact bytes that were signed). */
export function send(http: () => ReturnType<typeof request>, event: SignedEvent): request.Test {
  return http()
    .post('/api/stripe/webhook')
    .set('content-type', 'application/json')
    .set('stripe-signature', event.header)
    .send(event.payload);
}
