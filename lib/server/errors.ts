// Errors every entry point maps to one HTTP status with a clear message (see lib/server/handlers.ts).

export class AppError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 502,
    message: string,
    readonly fieldErrors?: Record<string, string[]>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Malformed at the HTTP level (a path segment that is not valid UTF-8, ...), before any input rule applies. */
export class BadRequestError extends AppError {
  constructor(message: string) {
    super(400, message);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = "Sign in first.") {
    super(401, message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = "You are not allowed to do this.") {
    super(403, message);
  }
}

export class NotFoundError extends AppError {
  constructor(message = "Not found.") {
    super(404, message);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, fieldErrors?: Record<string, string[]>) {
    super(409, message, fieldErrors);
  }
}

export class ValidationError extends AppError {
  constructor(message: string, fieldErrors?: Record<string, string[]>) {
    super(422, message, fieldErrors);
  }
}

/** Something the console depends on (Trino) failed or could not be reached; the message says what. */
export class UpstreamError extends AppError {
  constructor(message: string) {
    super(502, message);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(limitBytes: number) {
    super(413, `The request body is larger than ${Math.round(limitBytes / 1024)} KB.`);
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor(message = "Send the request body as JSON (Content-Type: application/json).") {
    super(415, message);
  }
}

export class TooManyRequestsError extends AppError {
  constructor(message: string) {
    super(429, message);
  }
}

/** Prisma's unique-constraint violation (P2002): a concurrent writer got there first. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === "P2002";
}
