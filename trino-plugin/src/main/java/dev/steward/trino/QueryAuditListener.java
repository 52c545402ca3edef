package dev.steward.trino;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.trino.ConsoleClient.Applied;
import dev.steward.trino.ConsoleClient.AppliedMask;
import dev.steward.trino.ConsoleClient.AppliedRowFilter;
import dev.steward.trino.QueryAudit.Decisions;
import dev.steward.trino.QueryAudit.HiddenView;
import dev.steward.trino.QueryAudit.ServedView;
import io.trino.spi.eventlistener.EventListener;
import io.trino.spi.eventlistener.QueryCompletedEvent;
import io.trino.spi.eventlistener.QueryContext;
import io.trino.spi.eventlistener.QueryFailureInfo;
import io.trino.spi.eventlistener.TableInfo;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The query audit (docs/architecture.md, "Query audit"): when a Trino query completes, one record to the console
 * if a steward catalog served it a governed view or denied it something, or if access control refused it a
 * catalog (a backing catalog only the service user may read). The record holds the query id, user, principal,
 * source, session project, epoch, outcome and SQL, per view what the console applied (masks and row filters with
 * their policies), and the denials. Never blocks or fails a query: the record is built here, queued, and sent by
 * {@link QueryEventSender}; anything that goes wrong is logged.
 */
public final class QueryAuditListener
        implements EventListener
{
    /** The user's SQL is sent up to this many characters (the console keeps as many). */
    static final int MAX_QUERY_TEXT = 20_000;
    static final int MAX_ERROR_MESSAGE = 4_000;
    private static final Logger LOG = Logger.getLogger(QueryAuditListener.class.getName());
    private static final String PERMISSION_DENIED = "PERMISSION_DENIED";
    // Trino's access control: "Access Denied: Cannot access catalog memory", "... Cannot select from table memory.hr.employees",
    // "... Cannot select from columns [id] in table or view memory.hr.employees", "... Cannot show create table for c.s.t"
    private static final Pattern CATALOG_DENIED = Pattern.compile("Cannot access catalog ([^\\s,;]+)");
    private static final Pattern TABLE_DENIED = Pattern.compile("Cannot [^:]*?([^\\s.,;\\[\\]]+)\\.([^\\s.,;\\[\\]]+)\\.([^\\s.,;\\[\\]]+)");

    /**
     * What Trino's access control refused: a catalog, or a table in it ({@code schema.table}).
     */
    record Refusal(String catalog, Optional<String> table) {}

    private final QueryAudit audit;
    private final QueryEventSender sender;
    private final ObjectMapper mapper = JsonMapper.builder().build();
    private final String apiKey;

    public QueryAuditListener(QueryAudit audit, QueryEventSender sender)
    {
        this(audit, sender, null);
    }

    /**
     * @param apiKey masked in the SQL and messages sent, should a statement carry it (null: nothing to mask)
     */
    QueryAuditListener(QueryAudit audit, QueryEventSender sender, String apiKey)
    {
        this.audit = requireNonNull(audit, "audit is null");
        this.sender = requireNonNull(sender, "sender is null");
        this.apiKey = apiKey;
    }

    @Override
    public void queryCompleted(QueryCompletedEvent event)
    {
        String queryId = "?";
        try {
            queryId = event.getMetadata().getQueryId();
            Optional<byte[]> record = record(event);
            if (record.isPresent()) {
                sender.submit(queryId, record.get());
            }
        }
        catch (RuntimeException | Error e) {
            // Trino would log it too, but the query must never see it, and neither should the next listener.
            String id = queryId;
            LOG.log(Level.WARNING, e, () -> "Steward query audit: no record for query " + id);
        }
    }

    @Override
    public void shutdown()
    {
        sender.close();
    }

    /**
     * The JSON record of a completed query, or empty when it neither read a governed view nor was denied anything.
     */
    Optional<byte[]> record(QueryCompletedEvent event)
    {
        String queryId = event.getMetadata().getQueryId();
        Optional<Decisions> decisions = audit.take(queryId);
        Optional<QueryFailureInfo> failure = event.getFailureInfo();
        boolean failed = failure.isPresent();
        Optional<Refusal> refusal = failure.flatMap(QueryAuditListener::refusal);

        ArrayNode views = mapper.createArrayNode();
        ArrayNode denials = mapper.createArrayNode();
        if (decisions.isPresent()) {
            List<TableInfo> tables = event.getMetadata().getTables();
            for (ServedView view : decisions.get().views()) {
                ObjectNode node = views.addObject()
                        .put("catalog", view.catalog())
                        .put("schema", view.name().getSchemaName())
                        .put("name", view.name().getTableName())
                        .put("read", tables.stream().anyMatch(table -> table.getCatalog().equals(view.catalog())
                                && table.getSchema().equals(view.name().getSchemaName())
                                && table.getTable().equals(view.name().getTableName())));
                view.applied().ifPresentOrElse(applied -> node.set("applied", applied(applied)), () -> node.putNull("applied"));
            }
            for (String catalog : decisions.get().unknownUserCatalogs()) {
                denials.addObject().put("kind", "UNKNOWN_USER").put("catalog", catalog);
            }
            // A view that does not exist for the user denied the query only if the query failed (a lookup that
            // found nothing in a query that succeeded, e.g. information_schema with a name, denied nothing).
            if (failed) {
                for (HiddenView hidden : decisions.get().hidden()) {
                    denials.addObject().put("kind", "NOT_VISIBLE").put("catalog", hidden.catalog())
                            .put("schema", hidden.name().getSchemaName()).put("name", hidden.name().getTableName());
                }
            }
        }
        if (refusal.isPresent()) {
            ObjectNode denial = denials.addObject().put("kind", "BACKING_CATALOG").put("catalog", refusal.get().catalog());
            refusal.get().table().ifPresent(table -> denial.put("table", table));
            denial.put("message", ConsoleHttp.truncate(clean(failure.get().getFailureMessage().orElse("")), MAX_ERROR_MESSAGE));
        }
        if (views.isEmpty() && denials.isEmpty()) {
            return Optional.empty();
        }

        QueryContext context = event.getContext();
        String query = clean(event.getMetadata().getQuery());
        ObjectNode root = mapper.createObjectNode()
                .put("queryId", queryId)
                .put("user", context.getUser())
                .put("principal", context.getPrincipal().orElse(null))
                .put("source", context.getSource().orElse(null))
                .put("project", decisions.flatMap(Decisions::project).orElse(null));
        if (decisions.isPresent() && decisions.get().epoch().isPresent()) {
            root.put("epoch", decisions.get().epoch().getAsLong());
        }
        else {
            root.putNull("epoch");
        }
        root.put("state", failed ? "FAILED" : "SUCCEEDED")
                .put("errorCode", failure.map(info -> info.getErrorCode().getName()).orElse(null))
                .put("errorMessage", failure.flatMap(QueryFailureInfo::getFailureMessage).map(message -> ConsoleHttp.truncate(clean(message), MAX_ERROR_MESSAGE)).orElse(null))
                .put("query", ConsoleHttp.truncate(query, MAX_QUERY_TEXT))
                .put("queryTruncated", query.length() > MAX_QUERY_TEXT)
                .put("createdAt", iso(event.getCreateTime()))
                .put("endedAt", iso(event.getEndTime()));
        root.set("views", views);
        root.set("denials", denials);
        try {
            return Optional.of(mapper.writeValueAsBytes(root));
        }
        catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the record as JSON", e);
        }
    }

    private ObjectNode applied(Applied applied)
    {
        ObjectNode node = mapper.createObjectNode();
        node.put("project", applied.project().orElse(null));
        ObjectNode columns = node.putObject("columns");
        for (Map.Entry<String, AppliedMask> column : applied.columns().entrySet()) {
            AppliedMask mask = column.getValue();
            ObjectNode maskNode = columns.putObject(column.getKey()).put("method", mask.method()).put("policyId", mask.policyId()).put("policyName", mask.policyName());
            mask.fallback().ifPresent(fallback -> maskNode.put("fallback", fallback));
        }
        ArrayNode filters = node.putArray("rowFilters");
        for (AppliedRowFilter filter : applied.rowFilters()) {
            ObjectNode filterNode = filters.addObject().put("kind", filter.kind()).put("policyId", filter.policyId()).put("policyName", filter.policyName());
            filter.fallback().ifPresent(fallback -> filterNode.put("fallback", fallback));
        }
        return node;
    }

    /**
     * The catalog (or table) that Trino's access control refused the query, if that is why it failed.
     */
    static Optional<Refusal> refusal(QueryFailureInfo failure)
    {
        if (!PERMISSION_DENIED.equals(failure.getErrorCode().getName())) {
            return Optional.empty();
        }
        String message = failure.getFailureMessage().orElse("");
        Matcher catalog = CATALOG_DENIED.matcher(message);
        if (catalog.find()) {
            return Optional.of(new Refusal(catalog.group(1), Optional.empty()));
        }
        Matcher table = TABLE_DENIED.matcher(message);
        if (table.find()) {
            return Optional.of(new Refusal(table.group(1), Optional.of(table.group(2) + "." + table.group(3))));
        }
        return Optional.empty();
    }

    private static String iso(Instant instant)
    {
        return instant.toString();
    }

    /**
     * Text the console can store: no NUL, no unpaired surrogate (each becomes U+FFFD); the API key masked.
     */
    private String clean(String text)
    {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
            boolean bad = c == '\0' || (Character.isSurrogate(c) && !pair);
            if (bad && out == null) {
                out = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (out != null) {
                out.append(bad ? '\uFFFD' : c);
                if (pair) {
                    out.append(text.charAt(i + 1));
                }
            }
            if (pair) {
                i++;
            }
        }
        String result = out == null ? text : out.toString();
        return ConsoleHttp.redact(result, apiKey);
    }
}
