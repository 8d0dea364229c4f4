/**
 * A refusal a service explains in plain words. Routers turn it into the matching tRPC error, route
 * handlers into the matching status, so no service error reaches a user as a 500.
 */
export class ServiceError extends Error {
  constructor(
    public readonly code: 'NOT_FOUND' | 'BAD_REQUEST' | 'FORBIDDEN',
    message: string,
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}
