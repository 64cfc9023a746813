package io.raftlab.server.metrics;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.raftlab.core.Role;
import io.raftlab.server.loop.RaftLoop;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.function.ToDoubleFunction;

/** The node's metrics, served in Prometheus text format at {@code /metrics}. */
public final class NodeMetrics implements AutoCloseable {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Timer fsync;
  private HttpServer http;
  private final java.util.concurrent.ConcurrentHashMap<String, Counter> requestCounters = new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.Map<String, Timer> served = new java.util.HashMap<>();

  public NodeMetrics(String nodeId) {
    registry.config().commonTags("node", nodeId);
    fsync = Timer.builder("raftlab.fsync").description("fsync latency of the write-ahead log and hard state")
        .publishPercentiles(0.5, 0.99).register(registry);
    // Successful requests are counted from zero on every node, so a scrape shows the series (and
    // rates start from a known point) before the first request arrives.
    for (String op : new String[] {"get", "put", "delete", "cas"}) {
      requestCounters.computeIfAbsent(op + '\u0000' + "ok", k ->
          Counter.builder("raftlab.client.requests").tag("op", op).tag("outcome", "ok").register(registry));
      served.put(op, Timer.builder("raftlab.client.request.duration").tag("op", op)
          .description("time from a successful request's arrival at this node to its answer (forwarding included)")
          .publishPercentiles(0.5, 0.99).register(registry));
    }
  }

  private java.util.function.LongSupplier peerDropped;
  private java.util.function.LongSupplier peerSent;

  /** Registers the gauges and counters read from the running loop. */
  public void bind(RaftLoop loop, java.util.function.LongSupplier peerDropped, java.util.function.LongSupplier peerSent) {
    gauge("raftlab.term", loop, l -> l.lastStatus().term());
    gauge("raftlab.commit.index", loop, l -> l.lastStatus().commit());
    gauge("raftlab.applied.index", loop, l -> l.appliedIndex());
    gauge("raftlab.last.index", loop, l -> l.lastStatus().lastIndex());
    gauge("raftlab.is.leader", loop, l -> l.softState().role() == Role.LEADER ? 1 : 0);
    gauge("raftlab.queue.events", loop, RaftLoop::eventQueueDepth);
    gauge("raftlab.queue.pending.writes", loop, RaftLoop::pendingWrites);
    gauge("raftlab.queue.pending.reads", loop, RaftLoop::pendingReads);
    FunctionCounter.builder("raftlab.elections", loop, RaftLoop::elections).description("elections this node started").register(registry);
    FunctionCounter.builder("raftlab.leader.changes", loop, RaftLoop::leaderChanges).register(registry);
    FunctionCounter.builder("raftlab.commits", loop, RaftLoop::appliedIndex).description("entries committed and applied").register(registry);
    FunctionCounter.builder("raftlab.readies", loop, RaftLoop::readiesHandled).description("Ready batches persisted and handled").register(registry);
    FunctionCounter.builder("raftlab.readies.inline", loop, RaftLoop::readiesInline)
        .description("Ready batches whose I/O the Raft loop did itself because nothing else was waiting").register(registry);
    FunctionCounter.builder("raftlab.heartbeats.ahead", loop, RaftLoop::heartbeatsAhead)
        .description("heartbeats and responses sent while a Ready was being written, ahead of it").register(registry);
    FunctionCounter.builder("raftlab.ticks", loop, RaftLoop::ticks).description("ticks delivered to the core").register(registry);
    FunctionCounter.builder("raftlab.ticks.skipped", loop, RaftLoop::skippedTicks)
        .description("ticks dropped after a stall longer than two election timeouts").register(registry);
    FunctionCounter.builder("raftlab.peer.messages.invalid", loop, RaftLoop::invalidMessages).register(registry);
    // Micrometer holds a function counter's object weakly; these suppliers are referenced nowhere
    // else, so they are kept here, or after a GC the counters would read nothing.
    this.peerDropped = peerDropped;
    this.peerSent = peerSent;
    FunctionCounter.builder("raftlab.peer.messages.dropped", peerDropped, s -> s.getAsLong()).register(registry);
    FunctionCounter.builder("raftlab.peer.messages.sent", peerSent, s -> s.getAsLong()).register(registry);
  }

  private void gauge(String name, RaftLoop loop, ToDoubleFunction<RaftLoop> f) {
    Gauge.builder(name, loop, f).register(registry);
  }

  public void onFsync(Path path, long nanos) {
    fsync.record(Duration.ofNanos(nanos));
  }

  public void request(String op, String outcome) {
    // Looked up once per (op, outcome): building and registering a meter id on every request
    // costs allocations and a registry lookup on the reply path.
    requestCounters.computeIfAbsent(op + '\u0000' + outcome, k ->
        Counter.builder("raftlab.client.requests").tag("op", op).tag("outcome", outcome).register(registry)).increment();
  }

  /** A successful request of {@code op} took {@code nanos} on this node. */
  public void served(String op, long nanos) {
    Timer t = served.get(op);
    if (t != null) {
      t.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
  }

  public void forwarded(String op) {
    Counter.builder("raftlab.client.forwarded").tag("op", op).register(registry).increment();
  }

  /** A client opened a Batch stream (operations as items of one long-lived call). */
  public void batchStreamOpened() {
    Counter.builder("raftlab.client.batch.streams").description("Batch streams clients opened").register(registry).increment();
  }

  public void refusedPeerMessage() {
    Counter.builder("raftlab.peer.messages.malformed").register(registry).increment();
  }

  public String scrape() {
    return registry.scrape();
  }

  /** Serves /metrics on {@code host:port} (0 picks a port); returns the bound port. */
  public int serve(String host, int port) throws IOException {
    http = HttpServer.create(new InetSocketAddress(host, port), 0);
    http.createContext("/metrics", ex -> {
      byte[] body = scrape().getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream os = ex.getResponseBody()) {
        os.write(body);
      }
    });
    http.setExecutor(Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "metrics-http");
      t.setDaemon(true);
      return t;
    }));
    http.start();
    return http.getAddress().getPort();
  }

  @Override
  public void close() {
    if (http != null) {
      http.stop(0);
    }
    registry.close();
  }
}
