package io.raftlab.sim.client;

/** One client operation from invocation to completion; mutable as it moves through the cluster. */
public final class ClientOp {

  public enum Fn {
    READ("read"),
    WRITE("write"),
    CAS("cas");

    private final String json;

    Fn(String json) {
      this.json = json;
    }

    /** The name in history files ({@code "f"}). */
    public String json() {
      return json;
    }
  }

  public final long id;
  public final int client;
  public final int process;
  public final Fn fn;
  public final int key;
  public final long value;
  public final long expected;
  public final long invokedAt;
  public int node = -1;
  /** Proposed entry (index, term) of a write or cas, once the leader accepted it. */
  public long index;
  public long term;
  /** Read-index request id, and the read point once the leader fixed it. */
  public long context;
  public long readIndex = -1;
  /** The highest commit index acknowledged to any client when this read was invoked. */
  public long watermark;
  public boolean done;

  public ClientOp(long id, int client, int process, Fn fn, int key, long value, long expected, long invokedAt) {
    this.id = id;
    this.client = client;
    this.process = process;
    this.fn = fn;
    this.key = key;
    this.value = value;
    this.expected = expected;
    this.invokedAt = invokedAt;
  }
}
