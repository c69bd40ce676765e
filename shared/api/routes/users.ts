import { z } from 'zod';
import { UserPublic } from '../auth';
import { IdParams } from '../common';
import { CreateUserRequest, UpdateUserRequest } from '../users';
import { defineRoutes } from '../route';

const admin = { role: 'admin' } as const;

/** Admins manage accounts. */
export const USER_ROUTES = defineRoutes('users', {
  'users.list': { method: 'GET', path: '/users', access: admin, response: z.array(UserPublic) },
  'users.get': { method: 'GET', path: '/users/:id', access: admin, params: IdParams, response: UserPublic },
  'users.create': { method: 'POST', path: '/users', access: admin, body: CreateUserRequest, status: 201, response: UserPublic },
  'users.update': { method: 'PATCH', path: '/users/:id', access: admin, params: IdParams, body: UpdateUserRequest, response: UserPublic },
  'users.mfa.reset': { method: 'POST', path: '/users/:id/reset-mfa', summary: "Remove a user's MFA enrolment", access: admin, params: IdParams, response: UserPublic },
});
