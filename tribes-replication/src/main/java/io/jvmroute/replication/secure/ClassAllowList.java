package io.jvmroute.replication.secure;

import java.io.ObjectInputFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The classes a replication stream may instantiate, and the limits it must stay within: an
 * {@link ObjectInputFilter} (JEP 290/415) that decides from the class descriptor, after the class is resolved
 * (without running its static initialiser) and before any instance exists or any {@code readObject} runs.
 *
 * <p>Default allow-list ({@link #DEFAULTS}): exact classes only — the JDK's value types ({@code java.lang} boxes and
 * {@code String}, {@code BigInteger}/{@code BigDecimal}, {@code java.time} through its serial forms), the usual
 * collections of {@code java.util} and {@code java.util.concurrent} and their wrappers, {@code Locale}, {@code UUID},
 * {@code Date}, Tomcat's principal and FORM-login classes, and the cluster's message classes. Not {@code java.net.URL}
 * (its {@code hashCode} resolves the host), not {@code PriorityQueue} (a comparator runs while it is read), no
 * package wildcard. Operators add their own classes with {@code allowedClasses}:
 * <ul>
 *   <li>{@code com.example.Foo} — exactly that class (nested classes are {@code com.example.Foo$Bar});</li>
 *   <li>{@code com.example.*} — the classes of that package, not of its sub-packages;</li>
 *   <li>{@code com.example.**} — that package and all its sub-packages;</li>
 *   <li>{@code com.example.Foo*} — every class whose name starts with {@code com.example.Foo}.</li>
 * </ul>
 * Arrays are judged by their element type; primitive arrays are allowed. Everything else is rejected.
 *
 * <p>Limits (defaults): depth {@value #DEFAULT_MAX_DEPTH}, object array length {@value #DEFAULT_MAX_ARRAY},
 * references {@value #DEFAULT_MAX_REFS}, bytes {@value #DEFAULT_MAX_BYTES} per stream; a primitive array may be as
 * long as the byte limit (a state-transfer batch is one {@code byte[]} inside its message). The byte limit is the
 * default {@code maxFrameSize}: a batch of 500 sessions must fit, and no stream is larger than its frame.
 */
public final class ClassAllowList {

    public static final long DEFAULT_MAX_DEPTH = 20;
    public static final long DEFAULT_MAX_ARRAY = 64L * 1024;
    public static final long DEFAULT_MAX_REFS = 1_000_000;
    public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;

    /** What replication needs with no operator setting; documented in the class comment. */
    public static final List<String> DEFAULTS = List.of(
            // java.lang value types (and the superclasses whose descriptors a stream names)
            "java.lang.Object", "java.lang.String", "java.lang.Boolean", "java.lang.Character", "java.lang.Number",
            "java.lang.Byte", "java.lang.Short", "java.lang.Integer", "java.lang.Long", "java.lang.Float",
            "java.lang.Double", "java.lang.Enum", "java.lang.StringBuilder", "java.lang.StringBuffer",
            "java.lang.String$CaseInsensitiveComparator",
            "java.math.BigInteger", "java.math.BigDecimal",
            // java.time writes every value through its serial forms, and the filter sees the values they resolve to
            "java.time.Ser", "java.time.chrono.Ser", "java.time.zone.Ser", "java.time.Instant", "java.time.Duration",
            "java.time.Period", "java.time.LocalDate", "java.time.LocalTime", "java.time.LocalDateTime",
            "java.time.ZonedDateTime", "java.time.OffsetDateTime", "java.time.OffsetTime", "java.time.ZoneOffset",
            "java.time.ZoneRegion", "java.time.ZoneId", "java.time.Year", "java.time.YearMonth", "java.time.MonthDay",
            "java.time.DayOfWeek", "java.time.Month",
            // collections and small value types of java.util
            "java.util.ArrayList", "java.util.LinkedList", "java.util.Vector", "java.util.ArrayDeque",
            "java.util.HashMap", "java.util.LinkedHashMap", "java.util.TreeMap", "java.util.Hashtable",
            "java.util.Properties", "java.util.IdentityHashMap", "java.util.EnumMap",
            "java.util.HashSet", "java.util.LinkedHashSet", "java.util.TreeSet", "java.util.EnumSet$SerializationProxy",
            "java.util.Map$Entry", "java.util.Arrays$ArrayList", "java.util.CollSer", "java.util.Collections$*",
            "java.util.ImmutableCollections$List12", "java.util.ImmutableCollections$ListN",
            "java.util.ImmutableCollections$Set12", "java.util.ImmutableCollections$SetN",
            "java.util.ImmutableCollections$Map1", "java.util.ImmutableCollections$MapN",
            "java.util.Date", "java.util.Locale", "java.util.UUID", "java.util.BitSet", "java.util.Currency",
            "java.util.concurrent.ConcurrentHashMap", "java.util.concurrent.ConcurrentHashMap$Segment",
            "java.util.concurrent.locks.ReentrantLock", "java.util.concurrent.locks.ReentrantLock$Sync",
            "java.util.concurrent.locks.ReentrantLock$NonfairSync", "java.util.concurrent.locks.AbstractQueuedSynchronizer",
            "java.util.concurrent.locks.AbstractOwnableSynchronizer",
            "java.util.concurrent.CopyOnWriteArrayList", "java.util.concurrent.CopyOnWriteArraySet",
            "java.util.concurrent.ConcurrentSkipListMap", "java.util.concurrent.ConcurrentSkipListSet",
            "java.util.concurrent.ConcurrentLinkedQueue", "java.util.concurrent.ConcurrentLinkedDeque",
            "java.util.concurrent.atomic.AtomicInteger", "java.util.concurrent.atomic.AtomicLong",
            "java.util.concurrent.atomic.AtomicBoolean",
            "java.net.URI", "java.net.InetAddress", "java.net.Inet4Address", "java.net.Inet6Address",
            "java.net.Inet6Address$Inet6AddressHolder", "java.net.InetAddress$InetAddressHolder",
            // Tomcat: principals, FORM-login notes
            "org.apache.catalina.realm.GenericPrincipal", "org.apache.catalina.realm.GenericPrincipal$SerializablePrincipal",
            "org.apache.catalina.authenticator.SavedRequest", "org.apache.tomcat.util.buf.ByteChunk",
            "org.apache.tomcat.util.buf.AbstractChunk", "jakarta.servlet.http.Cookie",
            // the cluster's messages: session messages, membership and its RPC envelope
            "org.apache.catalina.ha.ClusterMessageBase", "org.apache.catalina.ha.session.SessionMessageImpl",
            "org.apache.catalina.ha.session.DeltaRequest",
            "org.apache.catalina.tribes.membership.StaticMembershipProvider$MemberMessage",
            "org.apache.catalina.tribes.membership.MemberImpl", "org.apache.catalina.tribes.membership.StaticMember",
            "org.apache.catalina.tribes.group.RpcMessage", "org.apache.catalina.tribes.group.RpcMessage$NoRpcChannelReply");

    private final List<Pattern> patterns;
    private final long maxDepth;
    private final long maxArray;
    private final long maxRefs;
    private final long maxBytes;

    private ClassAllowList(List<Pattern> patterns, long maxDepth, long maxArray, long maxRefs, long maxBytes) {
        this.patterns = List.copyOf(patterns);
        this.maxDepth = maxDepth;
        this.maxArray = maxArray;
        this.maxRefs = maxRefs;
        this.maxBytes = maxBytes;
    }

    /** The defaults plus the operator's comma-separated {@code allowedClasses} (may be {@code null} or blank). */
    public static ClassAllowList of(String allowedClasses) {
        List<Pattern> parsed = new ArrayList<>();
        DEFAULTS.forEach(p -> parsed.add(Pattern.parse(p)));
        if (allowedClasses != null) {
            for (String item : allowedClasses.split(",")) {
                if (!item.isBlank()) {
                    parsed.add(Pattern.parse(item.strip()));
                }
            }
        }
        return new ClassAllowList(parsed, DEFAULT_MAX_DEPTH, DEFAULT_MAX_ARRAY, DEFAULT_MAX_REFS, DEFAULT_MAX_BYTES);
    }

    /** The same classes with other limits (tests; operators keep the defaults). */
    public ClassAllowList withLimits(long depth, long array, long refs, long bytes) {
        return new ClassAllowList(patterns, depth, array, refs, bytes);
    }

    /** Whether a class of this name may be deserialized (arrays by their element type). */
    public boolean allows(Class<?> type) {
        Class<?> element = type;
        while (element.isArray()) {
            element = element.getComponentType();
        }
        if (element.isPrimitive()) {
            return true;
        }
        String name = element.getName();
        for (Pattern pattern : patterns) {
            if (pattern.matches(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A filter for one stream. {@code rejected} hears of every rejection (a class outside the list or a limit
     * exceeded) before the stream throws {@link java.io.InvalidClassException}.
     */
    public ObjectInputFilter filter(Consumer<Rejection> rejected) {
        Objects.requireNonNull(rejected, "rejected");
        return info -> {
            String limit = limitExceeded(info);
            if (limit != null) {
                rejected.accept(new Rejection(null, limit));
                return ObjectInputFilter.Status.REJECTED;
            }
            Class<?> type = info.serialClass();
            if (type == null) {
                return ObjectInputFilter.Status.ALLOWED; // a limit check only: no class involved
            }
            if (!allows(type)) {
                rejected.accept(new Rejection(type.getName(), null));
                return ObjectInputFilter.Status.REJECTED;
            }
            return ObjectInputFilter.Status.ALLOWED;
        };
    }

    private String limitExceeded(ObjectInputFilter.FilterInfo info) {
        if (info.depth() > maxDepth) {
            return "depth " + info.depth() + " > " + maxDepth;
        }
        Class<?> type = info.serialClass();
        boolean primitiveArray = type != null && type.isArray() && type.getComponentType().isPrimitive();
        long arrayLimit = primitiveArray ? maxBytes : maxArray;
        if (info.arrayLength() > arrayLimit) {
            return "array length " + info.arrayLength() + " > " + arrayLimit;
        }
        if (info.references() > maxRefs) {
            return "references " + info.references() + " > " + maxRefs;
        }
        if (info.streamBytes() > maxBytes) {
            return "bytes " + info.streamBytes() + " > " + maxBytes;
        }
        return null;
    }

    @Override
    public String toString() {
        return patterns.stream().map(Pattern::text).toList().toString();
    }

    /**
     * Why a stream was refused: a class outside the list ({@code className}) or a limit ({@code limit}).
     */
    public record Rejection(String className, String limit) {

        public boolean isLimit() {
            return limit != null;
        }

        public String describe() {
            return isLimit() ? "limit exceeded: " + limit : "class not allowed: " + className;
        }
    }

    private record Pattern(String text, String prefix, Kind kind) {

        enum Kind { EXACT, PACKAGE, SUBPACKAGES, PREFIX }

        static Pattern parse(String text) {
            int star = text.indexOf('*');
            boolean starsOnlyAtEnd = star < 0 || text.substring(star).equals("*") || text.substring(star).equals("**");
            if (text.isEmpty() || star == 0 || !starsOnlyAtEnd || !text.matches("[\\w.$*]+")) {
                throw new IllegalArgumentException("allowedClasses: " + text
                        + " (expected: com.example.Foo, com.example.*, com.example.** or com.example.Foo*)");
            }
            if (text.endsWith(".**")) {
                return new Pattern(text, text.substring(0, text.length() - 2), Kind.SUBPACKAGES);
            }
            if (text.endsWith(".*")) {
                return new Pattern(text, text.substring(0, text.length() - 1), Kind.PACKAGE);
            }
            if (text.endsWith("*")) {
                return new Pattern(text, text.substring(0, text.length() - 1), Kind.PREFIX);
            }
            return new Pattern(text, text, Kind.EXACT);
        }

        boolean matches(String name) {
            return switch (kind) {
                case EXACT -> name.equals(prefix);
                case PREFIX, SUBPACKAGES -> name.startsWith(prefix);
                case PACKAGE -> name.startsWith(prefix) && name.indexOf('.', prefix.length()) < 0;
            };
        }
    }
}
