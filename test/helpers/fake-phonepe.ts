/**
 * A local PhonePe Payment Gateway v2 (Standard Checkout) for the documented endpoints Jobr calls:
 * POST /v1/oauth/token (form: client_id, client_version, client_secret, grant_type), POST
 * /checkout/v2/pay, GET /checkout/v2/order/{merchantOrderId}/status, POST /payments/v2/refund, all but
 * the token behind `Authorization: O-Bearer <token>`. Callbacks are built as PhonePe sends them.
 * With `hostedPages`, the redirect URL of an order is a page of the fake itself where a browser approves
 * or declines the payment (as the customer does in PhonePe's page or UPI app) and is sent back to the
 * merchant's redirect URL: what the browser journeys (test/e2e) go through.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Order = {
  merchantOrderId: string;
  orderId: string;
  amount: number;
  state: 'PENDING' | 'NOTIFIED' | 'COMPLETED' | 'FAILED';
  refunded: number;
  /** Autopay: the mandate this order sets up or redeems. */
  mandate?: string;
  /** Where PhonePe's page sends the customer back (merchantUrls.redirectUrl). */
  redirectUrl?: string;
};
type Mandate = {
  merchantSubscriptionId: string;
  subscriptionId: string;
  state: 'ACTIVATION_IN_PROGRESS' | 'ACTIVE' | 'CANCELLED' | 'REVOKED';
  maxAmount: number;
  frequency: string;
};

export type FakePhonePe = Awaited<ReturnType<typeof startFakePhonePe>>;

export async function startFakePhonePe(o: {
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
  hostedPages?: boolean;
}) {
  const orders = new Map<string, Order>();
  const mandates = new Map<string, Mandate>();
  const tokens = new Set<string>();
  const calls: Array<{ method: string; path: string }> = [];
  let outage: 'none' | 'error' | 'hang' = 'none';
  const hanging: ServerResponse[] = [];
  const send = (res: ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

  function handle(req: IncomingMessage, res: ServerResponse, raw: string) {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    calls.push({ method, path });
    if (outage === 'error') return send(res, 500, { code: 'INTERNAL_SERVER_ERROR', message: 'Something went wrong' });
    if (outage === 'hang') {
      hanging.push(res);
      return;
    }
    if (path === '/transact' && o.hostedPages) return payPage(res, method, url, raw);
    if (method === 'POST' && path === '/v1/oauth/token') {
      const form = new URLSearchParams(raw);
      if (
        form.get('client_id') !== o.clientId ||
        form.get('client_secret') !== o.clientSecret ||
        form.get('grant_type') !== 'client_credentials'
      ) {
        return send(res, 401, { code: 'UNAUTHORIZED', message: 'Invalid client credentials' });
      }
      const token = randomBytes(16).toString('hex');
      tokens.add(token);
      const now = Math.floor(Date.now() / 1000);
      return send(res, 200, {
        access_token: token,
        encrypted_access_token: token,
        expires_in: null,
        issued_at: now,
        expires_at: now + 3600,
        session_expires_at: now + 3600,
        token_type: 'O-Bearer',
      });
    }
    const auth = /^O-Bearer (\S+)$/.exec(req.headers.authorization ?? '');
    if (!auth || !tokens.has(auth[1] as string))
      return send(res, 401, { code: 'UNAUTHORIZED', message: 'Unauthorized' });
    const route = (re: RegExp) => re.exec(path);
    let m: RegExpExecArray | null = null;
    if (method === 'POST' && path === '/checkout/v2/pay') {
      const body = JSON.parse(raw) as {
        merchantOrderId?: string;
        amount?: number;
        paymentFlow?: {
          type?: string;
          subscriptionDetails?: { merchantSubscriptionId?: string; maxAmount?: number; frequency?: string };
          merchantUrls?: { redirectUrl?: string };
        };
      };
      const type = body.paymentFlow?.type;
      if (
        !body.merchantOrderId ||
        !Number.isInteger(body.amount) ||
        (body.amount ?? 0) < 100 ||
        (type !== 'PG_CHECKOUT' && type !== 'SUBSCRIPTION_CHECKOUT_SETUP')
      ) {
        return send(res, 400, { code: 'BAD_REQUEST', message: 'Invalid request' });
      }
      let mandate: string | undefined;
      if (type === 'SUBSCRIPTION_CHECKOUT_SETUP') {
        const d = body.paymentFlow?.subscriptionDetails;
        if (!d?.merchantSubscriptionId || !d.maxAmount || !['MONTHLY', 'YEARLY'].includes(d.frequency ?? '')) {
          return send(res, 400, { code: 'BAD_REQUEST', message: 'Invalid subscriptionDetails' });
        }
        if (mandates.has(d.merchantSubscriptionId))
          return send(res, 409, { code: 'DUPLICATE_SUBSCRIPTION', message: 'Subscription exists' });
        mandate = d.merchantSubscriptionId;
        mandates.set(mandate, {
          merchantSubscriptionId: mandate,
          subscriptionId: `OMS${randomBytes(10).toString('hex').toUpperCase()}`,
          state: 'ACTIVATION_IN_PROGRESS',
          maxAmount: d.maxAmount,
          frequency: d.frequency as string,
        });
      }
      if (orders.has(body.merchantOrderId)) return send(res, 409, { code: 'DUPLICATE_ORDER', message: 'Order exists' });
      const order: Order = {
        merchantOrderId: body.merchantOrderId,
        orderId: `OMO${randomBytes(10).toString('hex').toUpperCase()}`,
        amount: body.amount as number,
        state: 'PENDING',
        refunded: 0,
        ...(mandate ? { mandate } : {}),
        ...(body.paymentFlow?.merchantUrls?.redirectUrl
          ? { redirectUrl: body.paymentFlow.merchantUrls.redirectUrl }
          : {}),
      };
      orders.set(order.merchantOrderId, order);
      return send(res, 200, {
        orderId: order.orderId,
        state: 'PENDING',
        expireAt: Date.now() + 1_200_000,
        redirectUrl: o.hostedPages
          ? `${base}/transact?token=${order.orderId}`
          : `https://mercury-uat.phonepe.test/transact/uat_v2?token=${order.orderId}`,
      });
    }
    m = route(/^\/checkout\/v2\/order\/([^/]+)\/status$/);
    if (method === 'GET' && m) {
      const order = orders.get(decodeURIComponent(m[1] as string));
      if (!order) return send(res, 404, { code: 'ORDER_NOT_FOUND', message: 'Order not found' });
      return send(res, 200, {
        orderId: order.orderId,
        state: order.state,
        amount: order.amount,
        expireAt: Date.now() + 1_200_000,
        paymentDetails:
          order.state === 'PENDING'
            ? []
            : [
                {
                  paymentMode: 'UPI_QR',
                  transactionId: `OM${order.orderId}`,
                  timestamp: Date.now(),
                  amount: order.amount,
                  state: order.state,
                },
              ],
      });
    }
    m = route(/^\/subscriptions\/v2\/order\/([^/]+)\/status$/);
    if (method === 'GET' && m) {
      const order = orders.get(decodeURIComponent(m[1] as string));
      if (!order?.mandate) return send(res, 404, { code: 'ORDER_NOT_FOUND', message: 'Order not found' });
      return send(res, 200, {
        orderId: order.orderId,
        state: order.state,
        amount: order.amount,
        paymentFlow: { merchantSubscriptionId: order.mandate },
      });
    }
    if (method === 'POST' && path === '/subscriptions/v2/notify') {
      const body = JSON.parse(raw) as {
        merchantOrderId?: string;
        amount?: number;
        paymentFlow?: { type?: string; merchantSubscriptionId?: string };
      };
      const mandate = mandates.get(body.paymentFlow?.merchantSubscriptionId ?? '');
      if (!mandate || body.paymentFlow?.type !== 'SUBSCRIPTION_REDEMPTION' || !body.merchantOrderId)
        return send(res, 400, { code: 'BAD_REQUEST', message: 'Invalid request' });
      if (mandate.state !== 'ACTIVE')
        return send(res, 400, { code: 'SUBSCRIPTION_NOT_ACTIVE', message: 'Subscription not active' });
      if (!body.amount || body.amount > mandate.maxAmount)
        return send(res, 400, { code: 'INVALID_AMOUNT', message: 'Amount above the mandate' });
      if (orders.has(body.merchantOrderId)) return send(res, 409, { code: 'DUPLICATE_ORDER', message: 'Order exists' });
      const order: Order = {
        merchantOrderId: body.merchantOrderId,
        orderId: `OMO${randomBytes(10).toString('hex').toUpperCase()}`,
        amount: body.amount,
        state: 'NOTIFIED',
        refunded: 0,
        mandate: mandate.merchantSubscriptionId,
      };
      orders.set(order.merchantOrderId, order);
      return send(res, 200, {
        orderId: order.orderId,
        state: 'NOTIFICATION_IN_PROGRESS',
        expireAt: Date.now() + 172_800_000,
      });
    }
    if (method === 'POST' && path === '/subscriptions/v2/redeem') {
      const body = JSON.parse(raw) as { merchantOrderId?: string };
      const order = orders.get(body.merchantOrderId ?? '');
      if (!order?.mandate || order.state !== 'NOTIFIED')
        return send(res, 400, { code: 'INVALID_ORDER_STATE', message: 'Order not notified' });
      order.state = 'PENDING';
      return send(res, 200, { transactionId: `OM${order.orderId}`, state: 'PENDING' });
    }
    m = route(/^\/subscriptions\/v2\/([^/]+)\/status$/);
    if (method === 'GET' && m) {
      const mandate = mandates.get(decodeURIComponent(m[1] as string));
      if (!mandate) return send(res, 404, { code: 'SUBSCRIPTION_NOT_FOUND', message: 'Subscription not found' });
      return send(res, 200, { ...mandate, authWorkflowType: 'TRANSACTION', amountType: 'FIXED', expireAt: null });
    }
    m = route(/^\/subscriptions\/v2\/([^/]+)\/cancel$/);
    if (method === 'POST' && m) {
      const mandate = mandates.get(decodeURIComponent(m[1] as string));
      if (!mandate) return send(res, 404, { code: 'SUBSCRIPTION_NOT_FOUND', message: 'Subscription not found' });
      if (mandate.state !== 'ACTIVE')
        return send(res, 400, { code: 'SUBSCRIPTION_NOT_ACTIVE', message: 'Subscription not active' });
      mandate.state = 'CANCELLED';
      return res.writeHead(204).end();
    }
    if (method === 'POST' && path === '/payments/v2/refund') {
      const body = JSON.parse(raw) as { merchantRefundId?: string; originalMerchantOrderId?: string; amount?: number };
      const order = orders.get(body.originalMerchantOrderId ?? '');
      if (order?.state !== 'COMPLETED') return send(res, 400, { code: 'BAD_REQUEST', message: 'Order not refundable' });
      if (!body.amount || order.refunded + body.amount > order.amount) {
        return send(res, 400, { code: 'INVALID_REFUND_AMOUNT', message: 'Refund amount exceeds' });
      }
      order.refunded += body.amount;
      return send(res, 200, {
        refundId: `OMR${randomBytes(8).toString('hex')}`,
        amount: body.amount,
        state: 'PENDING',
      });
    }
    return send(res, 404, { code: 'NOT_FOUND', message: 'No such API' });
  }

  function settle(merchantOrderId: string, state: 'COMPLETED' | 'FAILED') {
    const order = orders.get(merchantOrderId);
    if (!order) throw new Error(`fake phonepe: no order ${merchantOrderId}`);
    order.state = state;
    // Approving the setup's first debit activates its mandate.
    const mandate = order.mandate ? mandates.get(order.mandate) : undefined;
    if (mandate?.state === 'ACTIVATION_IN_PROGRESS') mandate.state = state === 'COMPLETED' ? 'ACTIVE' : 'CANCELLED';
  }

  /** PhonePe's hosted page: GET shows the order with Approve / Decline; POST settles it and goes back. */
  function payPage(res: ServerResponse, method: string, url: URL, raw: string) {
    const form = method === 'POST' ? new URLSearchParams(raw) : url.searchParams;
    const order = [...orders.values()].find((x) => x.orderId === form.get('token'));
    if (order?.state !== 'PENDING') {
      return res.writeHead(404, { 'content-type': 'text/html' }).end('<p>This payment link has expired.</p>');
    }
    if (method === 'POST') {
      settle(order.merchantOrderId, form.get('decision') === 'approve' ? 'COMPLETED' : 'FAILED');
      return res.writeHead(303, { location: order.redirectUrl ?? '/' }).end();
    }
    const what = order.mandate ? 'Set up UPI AutoPay and pay' : 'Pay';
    const rupees = (order.amount / 100).toFixed(2);
    return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(
      `<!doctype html><html lang="en"><head><title>PhonePe (test)</title></head><body><main>
<h1>${what} ₹${rupees}</h1>
<form method="post" action="/transact"><input type="hidden" name="token" value="${order.orderId}">
<button name="decision" value="approve">Approve</button> <button name="decision" value="decline">Decline</button>
</form></main></body></html>`,
    );
  }

  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => {
      raw += c;
    });
    req.on('end', () => handle(req, res, raw));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;

  return {
    url: base,
    orders,
    calls,
    setOutage(mode: 'none' | 'error' | 'hang') {
      outage = mode;
      if (mode === 'none') for (const r of hanging.splice(0)) r.destroy();
    },
    settle,
    mandates,
    /** The customer removes the autopay in their UPI app. */
    revoke(merchantSubscriptionId: string) {
      const mandate = mandates.get(merchantSubscriptionId);
      if (!mandate) throw new Error(`fake phonepe: no mandate ${merchantSubscriptionId}`);
      mandate.state = 'REVOKED';
    },
    /** A mandate callback (subscription.revoked, ...) as PhonePe POSTs it. */
    subscriptionCallback(merchantSubscriptionId: string) {
      const mandate = mandates.get(merchantSubscriptionId);
      const authorization = createHash('sha256').update(`${o.username}:${o.password}`).digest('hex');
      const payload = JSON.stringify({
        event: `subscription.${(mandate?.state ?? 'REVOKED').toLowerCase()}`,
        payload: { ...mandate, merchantSubscriptionId },
      });
      return { payload, headers: { authorization, 'content-type': 'application/json' } };
    },
    /** A callback as PhonePe POSTs it to the merchant's webhook URL. */
    callback(merchantOrderId: string, opts: { password?: string } = {}) {
      const order = orders.get(merchantOrderId);
      const state = order?.state ?? 'COMPLETED';
      const authorization = createHash('sha256')
        .update(`${o.username}:${opts.password ?? o.password}`)
        .digest('hex');
      const payload = JSON.stringify({
        event: state === 'FAILED' ? 'checkout.order.failed' : 'checkout.order.completed',
        payload: {
          orderId: order?.orderId ?? 'OMO_UNKNOWN',
          merchantId: 'JOBRTEST',
          merchantOrderId,
          state,
          amount: order?.amount ?? 100,
        },
      });
      return { payload, headers: { authorization, 'content-type': 'application/json' } };
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const r of hanging.splice(0)) r.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
