/**
 * A local Stripe speaking the real wire protocol for the calls Jobr makes: form-encoded requests with
 * bracket notation, `Authorization: Bearer sk_...`, Idempotency-Key replay, JSON objects with Stripe's
 * ids and shapes, and Stripe's error bodies. Test controls (complete a checkout, fail a renewal, ...)
 * change its state and return the events Stripe would send, for the test to sign and deliver.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

type Obj = Record<string, unknown>;
export type FakeEvent = { id: string; object: 'event'; type: string; created: number; data: { object: Obj } };

const newId = (prefix: string) => `${prefix}_${randomBytes(10).toString('hex')}`;
const nowSec = () => Math.floor(Date.now() / 1000);
const clone = <T>(v: T): T => structuredClone(v);

/** `a[b][0][c]=x` -> { a: { b: [ { c: 'x' } ] } } (Stripe's form encoding). */
export function parseForm(body: string): Obj {
  const out: Obj = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const parts = key.replace(/\]/g, '').split('[');
    let node: Obj | unknown[] = out;
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      const nextIsIndex = /^\d+$/.test(parts[i + 1] ?? '');
      const container = node as Record<string, unknown>;
      if (last) container[part] = value;
      else {
        container[part] ??= nextIsIndex ? [] : {};
        node = container[part] as Obj;
      }
    });
  }
  return out;
}

export type FakeStripe = Awaited<ReturnType<typeof startFakeStripe>>;

export async function startFakeStripe(o: {
  secretKey: string;
  webhookSecret: string;
  prices: Record<string, { amount: number; currency: string; interval?: 'month' | 'year' }>;
}) {
  const customers = new Map<string, Obj>();
  const sessions = new Map<string, Obj>();
  const subs = new Map<string, Obj>();
  const invoices = new Map<string, Obj>();
  const charges = new Map<string, Obj>();
  const idempotent = new Map<string, { status: number; body: string }>();
  const calls: Array<{ method: string; path: string }> = [];
  let outage: 'none' | 'error' | 'hang' = 'none';
  const hanging: ServerResponse[] = [];

  const priceObj = (id: string) => {
    const p = o.prices[id];
    if (!p) return undefined;
    return {
      id,
      object: 'price',
      unit_amount: p.amount,
      currency: p.currency,
      recurring: { interval: p.interval ?? 'month' },
    };
  };
  /** Length of one period of a subscription's price (30 or 365 days, as the fake keeps it simple). */
  const periodOf = (sub: Obj) =>
    (sub.items as { data: Array<{ price: { recurring: { interval: string } } }> }).data[0]?.price.recurring.interval ===
    'year'
      ? 365 * 86400
      : 30 * 86400;
  const send = (res: ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { 'content-type': 'application/json', 'request-id': newId('req') }).end(JSON.stringify(body));
  const notFound = (res: ServerResponse, what: string, id: string) =>
    send(res, 404, {
      error: {
        type: 'invalid_request_error',
        code: 'resource_missing',
        message: `No such ${what}: '${id}'`,
        param: 'id',
      },
    });
  const invalid = (res: ServerResponse, message: string, param?: string) =>
    send(res, 400, { error: { type: 'invalid_request_error', message, ...(param ? { param } : {}) } });

  function makeInvoice(sub: Obj, status: 'paid' | 'open', amount: number): Obj {
    const price = (sub.items as { data: Array<{ price: { currency: string } }> }).data[0]?.price;
    const pi = newId('pi');
    const charge: Obj = {
      id: newId('ch'),
      object: 'charge',
      amount,
      amount_refunded: 0,
      currency: price?.currency ?? 'usd',
      customer: sub.customer,
      payment_intent: pi,
      paid: status === 'paid',
      status: status === 'paid' ? 'succeeded' : 'failed',
    };
    charges.set(charge.id as string, charge);
    const invoice: Obj = {
      id: newId('in'),
      object: 'invoice',
      customer: sub.customer,
      subscription: sub.id,
      payment_intent: pi,
      charge: charge.id,
      status,
      // A paid invoice, or an open one whose collection was attempted and failed.
      attempted: true,
      amount_due: amount,
      amount_paid: status === 'paid' ? amount : 0,
      currency: price?.currency ?? 'usd',
      created: nowSec(),
    };
    invoices.set(invoice.id as string, invoice);
    return invoice;
  }

  const event = (type: string, object: Obj): FakeEvent => ({
    id: newId('evt'),
    object: 'event',
    type,
    created: nowSec(),
    data: { object: clone(object) },
  });

  async function handle(req: IncomingMessage, res: ServerResponse, raw: string) {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    calls.push({ method, path });
    if (req.headers.authorization !== `Bearer ${o.secretKey}`) {
      return send(res, 401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } });
    }
    if (outage === 'error') return send(res, 500, { error: { type: 'api_error', message: 'Something went wrong' } });
    if (outage === 'hang') {
      hanging.push(res);
      return;
    }
    const key = req.headers['idempotency-key'];
    const idemKey = typeof key === 'string' && method === 'POST' ? `${path} ${key}` : undefined;
    if (idemKey && idempotent.has(idemKey)) {
      const saved = idempotent.get(idemKey) as { status: number; body: string };
      return res
        .writeHead(saved.status, { 'content-type': 'application/json', 'idempotent-replayed': 'true' })
        .end(saved.body);
    }
    const reply = (status: number, body: unknown) => {
      if (idemKey) idempotent.set(idemKey, { status, body: JSON.stringify(body) });
      send(res, status, body);
    };
    const form = method === 'POST' ? parseForm(raw) : Object.fromEntries(url.searchParams);
    const route = (re: RegExp) => re.exec(path);
    let m: RegExpExecArray | null = null;

    if (method === 'POST' && path === '/v1/customers') {
      const c = {
        id: newId('cus'),
        object: 'customer',
        email: form.email ?? null,
        name: form.name ?? null,
        metadata: form.metadata ?? {},
      };
      customers.set(c.id, c);
      return reply(200, c);
    }
    if (method === 'POST' && path === '/v1/checkout/sessions') {
      if (form.mode !== 'subscription') return invalid(res, 'mode must be subscription here', 'mode');
      if (!customers.has(form.customer as string))
        return invalid(res, `No such customer: '${form.customer}'`, 'customer');
      const items = form.line_items as Array<{ price: string; quantity: string }> | undefined;
      const priceId = items?.[0]?.price;
      if (!priceId || !priceObj(priceId)) return invalid(res, `No such price: '${priceId}'`, 'line_items[0][price]');
      const s: Obj = {
        id: newId('cs_test'),
        object: 'checkout.session',
        mode: 'subscription',
        customer: form.customer,
        client_reference_id: form.client_reference_id ?? null,
        status: 'open',
        payment_status: 'unpaid',
        subscription: null,
        url: `https://checkout.stripe.test/c/pay/${newId('cs')}`,
        success_url: form.success_url,
        metadata: {},
        price: priceId,
        subscription_data: form.subscription_data ?? {},
      };
      sessions.set(s.id as string, s);
      return reply(200, s);
    }
    if (method === 'POST' && path === '/v1/billing_portal/sessions') {
      if (!customers.has(form.customer as string))
        return invalid(res, `No such customer: '${form.customer}'`, 'customer');
      return reply(200, {
        id: newId('bps'),
        object: 'billing_portal.session',
        customer: form.customer,
        url: `https://billing.stripe.test/p/session/${newId('s')}`,
      });
    }
    m = route(/^\/v1\/subscriptions\/([^/]+)$/);
    if (m) {
      const sub = subs.get(m[1] as string);
      if (!sub) return notFound(res, 'subscription', m[1] as string);
      if (method === 'GET') return reply(200, sub);
      if (form.cancel_at_period_end !== undefined) sub.cancel_at_period_end = form.cancel_at_period_end === 'true';
      const items = form.items as Array<{ id?: string; price?: string }> | undefined;
      const newPrice = items?.[0]?.price;
      if (newPrice) {
        const price = priceObj(newPrice);
        if (!price) return invalid(res, `No such price: '${newPrice}'`, 'items[0][price]');
        const item = (sub.items as { data: Array<{ id: string; price: Obj }> }).data[0];
        const old = (item?.price.unit_amount as number) ?? 0;
        if (item) item.price = price;
        // Proration: the difference is invoiced at once (simplified: full difference).
        if (form.proration_behavior === 'create_prorations' && price.unit_amount > old) {
          makeInvoice(sub, 'paid', price.unit_amount - old);
        }
      }
      return reply(200, sub);
    }
    // Lists of one customer's objects, newest first, one page of up to `limit`.
    const list = (all: Iterable<Obj>, what: string) => {
      const limit = Number(form.limit ?? 10);
      const mine = [...all].filter((x) => x.customer === form.customer).reverse();
      return reply(200, { object: 'list', data: mine.slice(0, limit), has_more: mine.length > limit, url: what });
    };
    if (method === 'GET' && path === '/v1/invoices') return list(invoices.values(), path);
    if (method === 'GET' && path === '/v1/charges') return list(charges.values(), path);
    if (method === 'GET' && path === '/v1/subscriptions') return list(subs.values(), path);
    m = route(/^\/v1\/invoices\/([^/]+)$/);
    if (method === 'GET' && m) {
      const inv = invoices.get(m[1] as string);
      return inv ? reply(200, inv) : notFound(res, 'invoice', m[1] as string);
    }
    m = route(/^\/v1\/charges\/([^/]+)$/);
    if (method === 'GET' && m) {
      const ch = charges.get(m[1] as string);
      return ch ? reply(200, ch) : notFound(res, 'charge', m[1] as string);
    }
    if (method === 'POST' && path === '/v1/refunds') {
      const ch = [...charges.values()].find((c) => c.payment_intent === form.payment_intent);
      if (!ch) return invalid(res, `No such payment_intent: '${form.payment_intent}'`, 'payment_intent');
      const amount = Number(form.amount ?? (ch.amount as number) - (ch.amount_refunded as number));
      if ((ch.amount_refunded as number) + amount > (ch.amount as number)) {
        return invalid(res, 'Refund amount is greater than unrefunded amount on charge', 'amount');
      }
      ch.amount_refunded = (ch.amount_refunded as number) + amount;
      ch.refunded = ch.amount_refunded === ch.amount;
      return reply(200, {
        id: newId('re'),
        object: 'refund',
        amount,
        charge: ch.id,
        payment_intent: ch.payment_intent,
        status: 'succeeded',
      });
    }
    return send(res, 404, {
      error: { type: 'invalid_request_error', message: `Unrecognized request URL (${method}: ${path}).` },
    });
  }

  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => {
      raw += c;
    });
    req.on('end', () => void handle(req, res, raw));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const signer = new Stripe(o.secretKey);

  const subOf = (id: string) => {
    const s = subs.get(id);
    if (!s) throw new Error(`fake stripe: no subscription ${id}`);
    return s;
  };

  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    customers,
    sessions,
    subs,
    invoices,
    charges,
    setOutage(mode: 'none' | 'error' | 'hang') {
      outage = mode;
      if (mode === 'none') for (const r of hanging.splice(0)) r.destroy();
    },
    /** The customer completes Checkout: subscription active, first invoice paid. */
    completeCheckout(sessionId: string): FakeEvent[] {
      const s = sessions.get(sessionId);
      if (!s) throw new Error(`fake stripe: no session ${sessionId}`);
      const start = nowSec();
      const sub: Obj = {
        id: newId('sub'),
        object: 'subscription',
        customer: s.customer,
        status: 'active',
        cancel_at_period_end: false,
        canceled_at: null,
        current_period_start: start,
        current_period_end: start,
        metadata: (s.subscription_data as { metadata?: Obj }).metadata ?? {},
        items: {
          object: 'list',
          data: [{ id: newId('si'), object: 'subscription_item', price: priceObj(s.price as string) }],
        },
      };
      sub.current_period_end = start + periodOf(sub);
      subs.set(sub.id as string, sub);
      Object.assign(s, { status: 'complete', payment_status: 'paid', subscription: sub.id });
      const inv = makeInvoice(sub, 'paid', priceObj(s.price as string)?.unit_amount ?? 0);
      return [
        event('checkout.session.completed', s),
        event('customer.subscription.created', sub),
        event('invoice.paid', inv),
      ];
    },
    /** The renewal charge fails: past_due. */
    failRenewal(subId: string): FakeEvent[] {
      const sub = subOf(subId);
      const amount = (sub.items as { data: Array<{ price: { unit_amount: number } }> }).data[0]?.price.unit_amount ?? 0;
      sub.status = 'past_due';
      sub.current_period_start = sub.current_period_end;
      sub.current_period_end = (sub.current_period_end as number) + periodOf(sub);
      const inv = makeInvoice(sub, 'open', amount);
      return [event('invoice.payment_failed', inv), event('customer.subscription.updated', sub)];
    },
    /** A retry of the renewal succeeds: active again. */
    payRenewal(subId: string): FakeEvent[] {
      const sub = subOf(subId);
      const amount = (sub.items as { data: Array<{ price: { unit_amount: number } }> }).data[0]?.price.unit_amount ?? 0;
      sub.status = 'active';
      const inv = makeInvoice(sub, 'paid', amount);
      return [event('invoice.paid', inv), event('customer.subscription.updated', sub)];
    },
    /** Stripe ends the subscription (period over after cancel, or dunning gave up). */
    cancelNow(subId: string): FakeEvent[] {
      const sub = subOf(subId);
      Object.assign(sub, { status: 'canceled', canceled_at: nowSec(), cancel_at_period_end: false });
      return [event('customer.subscription.deleted', sub)];
    },
    /** Body and Stripe-Signature header of an event, as Stripe would POST it. */
    sign(ev: FakeEvent, opts: { secret?: string; timestamp?: number } = {}) {
      const payload = JSON.stringify(ev);
      const header = signer.webhooks.generateTestHeaderString({
        payload,
        secret: opts.secret ?? o.webhookSecret,
        ...(opts.timestamp ? { timestamp: opts.timestamp } : {}),
      });
      return { payload, header };
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const r of hanging.splice(0)) r.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
