/**
 * A refusal a service explains in plain words. Routers turn it into the matching tRPC error, route
 * handlers into the matching status, so no service error reaches a user as a 500.
 */
export type ServiceErrorCode = 'NOT_FOUND' | 'BAD_REQUEST' | 'FORBIDDEN' | 'PAYLOAD_TOO_LARGE' | 'TOO_MANY_REQUESTS' | 'SERVICE_UNAVAILABLE';

export const HTTP_STATUS_OF: Record<ServiceErrorCode, number> = {
  BAD_REQUEST: 400,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  TOO_MANY_REQUESTS: 429,
  SERVICE_UNAVAILABLE: 503,
};

export class ServiceError extends Error {
  constructor(
    public readonly code: ServiceErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ServiceError';
  }

  get status(): number {
    return HTTP_STATUS_OF[this.code];
  }
}
