// Errors every entry point maps to one HTTP status with a clear message (see lib/server/handlers.ts).

export class AppError extends Error {
  constructor(
    readonly status: 401 | 403 | 404 | 409 | 422 | 502,
    message: string,
    readonly fieldErrors?: Record<string, string[]>,
  ) {
    super(message);
    this.name = new.target.name;
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
  constructor(message: string) {
    super(409, message);
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
