package io.raftlab.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link RaftlabClient} retries. Every operation is bounded by {@link #totalDeadline()}
 * (waiting for the write slot, every attempt and every backoff pause together) and by
 * {@link #maxAttempts()} RPCs; each RPC by {@link #callTimeout()}. Calls are unary RPCs over
 * {@link #channelFactory()}'s channels, or items of {@link #streams()} when that is set.
 */
public record ClientOptions(
    Duration callTimeout,
    Duration totalDeadline,
    int maxAttempts,
    Duration backoffBase,
    Duration backoffMax,
    boolean followRedirects,
    String clientId,
    ChannelFactory channelFactory,
    KvStreams streams) {

  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(3);
  public static final Duration DEFAULT_TOTAL_DEADLINE = Duration.ofSeconds(10);
  public static final int DEFAULT_MAX_ATTEMPTS = 10;
  public static final Duration DEFAULT_BACKOFF_BASE = Duration.ofMillis(20);
  public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofSeconds(1);

  public ClientOptions {
    Objects.requireNonNull(callTimeout, "callTimeout");
    Objects.requireNonNull(totalDeadline, "totalDeadline");
    Objects.requireNonNull(backoffBase, "backoffBase");
    Objects.requireNonNull(backoffMax, "backoffMax");
    Objects.requireNonNull(channelFactory, "channelFactory");
    requirePositive(callTimeout, "callTimeout");
    requirePositive(totalDeadline, "totalDeadline");
    requirePositive(backoffBase, "backoffBase");
    if (backoffMax.compareTo(backoffBase) < 0) {
      throw new IllegalArgumentException(
          "backoffMax " + backoffMax + " must be at least backoffBase " + backoffBase);
    }
    if (maxAttempts < 1 || maxAttempts > 1000) {
      throw new IllegalArgumentException("maxAttempts " + maxAttempts + " is outside the allowed range 1..1000");
    }
    if (clientId != null && clientId.isBlank()) {
      throw new IllegalArgumentException("clientId must not be blank (leave it null for a random UUID)");
    }
  }

  private static void requirePositive(Duration d, String name) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " " + d + " must be positive");
    }
  }

  public static ClientOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .callTimeout(callTimeout)
        .totalDeadline(totalDeadline)
        .maxAttempts(maxAttempts)
        .backoff(backoffBase, backoffMax)
        .followRedirects(followRedirects)
        .clientId(clientId)
        .channelFactory(channelFactory)
        .streams(streams);
  }

  /** One RPC to one node: no redirects, no retries (what {@link RaftlabClient#forNode} uses). */
  public ClientOptions singleAttempt() {
    return toBuilder().maxAttempts(1).followRedirects(false).build();
  }

  public static final class Builder {
    private Duration callTimeout = DEFAULT_CALL_TIMEOUT;
    private Duration totalDeadline = DEFAULT_TOTAL_DEADLINE;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration backoffBase = DEFAULT_BACKOFF_BASE;
    private Duration backoffMax = DEFAULT_BACKOFF_MAX;
    private boolean followRedirects = true;
    private String clientId;
    private ChannelFactory channelFactory = ChannelFactory.plaintext();
    private KvStreams streams;

    public Builder callTimeout(Duration d) {
      this.callTimeout = d;
      return this;
    }

    public Builder totalDeadline(Duration d) {
      this.totalDeadline = d;
      return this;
    }

    public Builder maxAttempts(int n) {
      this.maxAttempts = n;
      return this;
    }

    /** Exponential backoff from base, doubling per retry, capped at max, jittered in [d/2, d]. */
    public Builder backoff(Duration base, Duration max) {
      this.backoffBase = base;
      this.backoffMax = max;
      return this;
    }

    /** When off, a NOT_LEADER hint is ignored and the client moves on to the next endpoint. */
    public Builder followRedirects(boolean follow) {
      this.followRedirects = follow;
      return this;
    }

    /** The session's client id; null (the default) means a random UUID. */
    public Builder clientId(String id) {
      this.clientId = id;
      return this;
    }

    public Builder channelFactory(ChannelFactory factory) {
      this.channelFactory = factory;
      return this;
    }

    /**
     * Send key-value calls as items of the given shared Batch streams (its own channels) instead
     * of one unary RPC each over {@link #channelFactory}; null (the default) means unary calls.
     */
    public Builder streams(KvStreams streams) {
      this.streams = streams;
      return this;
    }

    public ClientOptions build() {
      return new ClientOptions(
          callTimeout, totalDeadline, maxAttempts, backoffBase, backoffMax, followRedirects, clientId, channelFactory, streams);
    }
  }
}
