/**
 * A local PhonePe Payment Gateway v2 (Standard Checkout) for the documented endpoints Jobr calls:
 * POST /v1/oauth/token (form: client_id, client_version, client_secret, grant_type), POST
 * /checkout/v2/pay, GET /checkout/v2/order/{merchantOrderId}/status, POST /payments/v2/refund, all but
 * the token behind `Authorization: O-Bearer <token>`. Callbacks are built as PhonePe sends them.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Order = {
  merchantOrderId: string;
  orderId: string;
  amount: number;
  state: 'PENDING' | 'COMPLETED' | 'FAILED';
  refunded: number;
};

export type FakePhonePe = Awaited<ReturnType<typeof startFakePhonePe>>;

export async function startFakePhonePe(o: {
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
}) {
  const orders = new Map<string, Order>();
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
      const body = JSON.parse(raw) as { merchantOrderId?: string; amount?: number; paymentFlow?: { type?: string } };
      if (
        !body.merchantOrderId ||
        !Number.isInteger(body.amount) ||
        (body.amount ?? 0) < 100 ||
        body.paymentFlow?.type !== 'PG_CHECKOUT'
      ) {
        return send(res, 400, { code: 'BAD_REQUEST', message: 'Invalid request' });
      }
      if (orders.has(body.merchantOrderId)) return send(res, 409, { code: 'DUPLICATE_ORDER', message: 'Order exists' });
      const order: Order = {
        merchantOrderId: body.merchantOrderId,
        orderId: `OMO${randomBytes(10).toString('hex').toUpperCase()}`,
        amount: body.amount as number,
        state: 'PENDING',
        refunded: 0,
      };
      orders.set(order.merchantOrderId, order);
      return send(res, 200, {
        orderId: order.orderId,
        state: 'PENDING',
        expireAt: Date.now() + 1_200_000,
        redirectUrl: `https://mercury-uat.phonepe.test/transact/uat_v2?token=${order.orderId}`,
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

  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => {
      raw += c;
    });
    req.on('end', () => handle(req, res, raw));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    orders,
    calls,
    setOutage(mode: 'none' | 'error' | 'hang') {
      outage = mode;
      if (mode === 'none') for (const r of hanging.splice(0)) r.destroy();
    },
    settle(merchantOrderId: string, state: 'COMPLETED' | 'FAILED') {
      const order = orders.get(merchantOrderId);
      if (!order) throw new Error(`fake phonepe: no order ${merchantOrderId}`);
      order.state = state;
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
