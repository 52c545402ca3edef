package dev.steward.trino;

import io.trino.spi.ErrorCode;
import io.trino.spi.ErrorCodeSupplier;
import io.trino.spi.ErrorType;

import static io.trino.spi.ErrorType.EXTERNAL;

public enum StewardErrorCode
        implements ErrorCodeSupplier
{
    STEWARD_CONSOLE_UNAVAILABLE(0, EXTERNAL),
    STEWARD_CONSOLE_REJECTED_KEY(1, EXTERNAL),
    STEWARD_CONSOLE_BAD_ANSWER(2, EXTERNAL);

    // Connector error codes must not collide with Trino's own ranges or other plugins' (which sit below 0x0600_0000).
    private static final int BASE = 0x0757_0000;

    private final ErrorCode errorCode;

    StewardErrorCode(int code, ErrorType type)
    {
        errorCode = new ErrorCode(BASE + code, name(), type);
    }

    @Override
    public ErrorCode toErrorCode()
    {
        return errorCode;
    }
}
