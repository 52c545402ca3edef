package dev.steward.trino;

import io.trino.spi.connector.ConnectorTransactionHandle;

/**
 * The connector only reads view definitions from the console, so there is no transactional state.
 */
public enum StewardTransactionHandle
        implements ConnectorTransactionHandle
{
    INSTANCE
}
