import { z } from 'zod';
import { IdParams } from '../common';
import { ApiTokenInfo, CreateApiTokenRequest, CreatedApiToken } from '../users';
import { defineRoutes } from '../route';

const admin = { role: 'admin' } as const;

/** API tokens for scripts and integrations: admins issue and revoke them. */
export const API_TOKEN_ROUTES = defineRoutes('api-tokens', {
  'apiTokens.list': { method: 'GET', path: '/api-tokens', access: admin, response: z.array(ApiTokenInfo) },
  'apiTokens.create': { method: 'POST', path: '/api-tokens', summary: 'Issue a token (its secret is shown once)', access: admin, body: CreateApiTokenRequest, status: 201, response: CreatedApiToken },
  'apiTokens.revoke': { method: 'DELETE', path: '/api-tokens/:id', access: admin, params: IdParams, status: 204 },
});
