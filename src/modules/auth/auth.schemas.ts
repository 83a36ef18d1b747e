import { z } from 'zod';

const password = z.string().min(1).max(2000).meta({ description: '8+ characters; common passwords are refused.' });

export const registerBody = z
  .object({
    name: z.string().trim().min(1).max(255),
    email: z.string().max(320).optional(),
    phone: z.string().max(40).optional().meta({ description: 'With country code, e.g. +91 98765 43210' }),
    password,
  })
  .meta({ id: 'RegisterRequest', description: 'An e-mail address or a phone number (or both) is required.' });

export const loginBody = z
  .object({
    identifier: z.string().min(1).max(320).meta({ description: 'E-mail address or phone number' }),
    password,
  })
  .meta({ id: 'LoginRequest' });

export const sessionResponse = z
  .object({
    token: z
      .string()
      .meta({ description: 'Session token for `Authorization: Bearer`; also set as the jobr_session cookie.' }),
    expiresAt: z.date(),
    user: z.object({ id: z.uuid() }),
  })
  .meta({ id: 'Session' });

export const userResponse = z
  .object({
    id: z.uuid(),
    name: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    role: z.enum(['user', 'admin']),
    plan: z.string(),
    planStatus: z.string(),
    planRenewsAt: z
      .date()
      .nullable()
      .optional()
      .meta({ description: 'End of the paid period of the current plan (GET /me only; see GET /billing).' }),
    unreadNotifications: z
      .number()
      .int()
      .optional()
      .meta({ description: 'In-app notifications not yet read (GET /me only), for a badge.' }),
    verified: z.boolean(),
    hasPassword: z.boolean(),
    linkedProviders: z.array(z.enum(['google', 'replit'])),
    createdAt: z.date(),
  })
  .meta({ id: 'User' });

export const updateMeBody = z
  .object({
    name: z.string().trim().min(1).max(255).optional(),
    email: z.string().max(320).nullable().optional(),
    phone: z.string().max(40).nullable().optional(),
    newPassword: z.string().min(1).max(2000).optional(),
    currentPassword: z
      .string()
      .max(2000)
      .optional()
      .meta({ description: 'Required to change e-mail, phone or password.' }),
  })
  .meta({ id: 'UpdateMeRequest' });

export const deleteMeBody = z
  .object({
    currentPassword: z.string().max(2000).optional().meta({ description: 'Required when the account has a password.' }),
    confirm: z
      .literal('DELETE')
      .meta({ description: 'Type DELETE to confirm: the account and everything it owns are removed.' }),
  })
  .meta({ id: 'DeleteMeRequest' });

export const sessionItem = z
  .object({
    id: z.uuid(),
    current: z.boolean(),
    userAgent: z.string().nullable(),
    ipAddress: z.string().nullable(),
    createdAt: z.date(),
    lastAccessed: z.date(),
    expiresAt: z.date(),
  })
  .meta({ id: 'SessionInfo' });

export const idParams = z.object({ id: z.uuid() });
