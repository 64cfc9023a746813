package io.raftlab.core;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything the core needs to know, in ticks and counts (the caller decides how long a tick is).
 * Build with {@link #builder(String, List)}; {@link #validate()} runs on construction and names
 * the parameter and allowed range of any bad value. {@code unsafe} lets a test run a bad timing
 * configuration or a {@link PlantedBug} on purpose.
 */
public record Config(
    String id,
    List<String> members,
    int electionTicksMin,
    int electionTicksMax,
    int heartbeatTicks,
    int maxInflightAppends,
    int maxEntriesPerAppend,
    long maxBytesPerAppend,
    boolean preVote,
    boolean checkQuorum,
    boolean leaseRead,
    boolean unsafe,
    Set<PlantedBug> plantedBugs) {

  /** Node ids appear in file names, URLs and traces, so keep them plain. */
  public static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  public Config {
    members = List.copyOf(members);
    plantedBugs = plantedBugs.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(plantedBugs));
    validate(id, members, electionTicksMin, electionTicksMax, heartbeatTicks, maxInflightAppends,
        maxEntriesPerAppend, maxBytesPerAppend, checkQuorum, leaseRead, unsafe, plantedBugs);
  }

  public static Builder builder(String id, List<String> members) {
    return new Builder(id, members);
  }

  public Builder toBuilder() {
    return new Builder(id, members)
        .electionTicks(electionTicksMin, electionTicksMax)
        .heartbeatTicks(heartbeatTicks)
        .maxInflightAppends(maxInflightAppends)
        .maxEntriesPerAppend(maxEntriesPerAppend)
        .maxBytesPerAppend(maxBytesPerAppend)
        .preVote(preVote)
        .checkQuorum(checkQuorum)
        .leaseRead(leaseRead)
        .unsafe(unsafe)
        .plantedBugs(plantedBugs);
  }

  /** The same configuration for another member (the simulator builds one per node). */
  public Config forMember(String memberId) {
    return toBuilder().id(memberId).build();
  }

  public boolean has(PlantedBug bug) {
    return plantedBugs.contains(bug);
  }

  public int quorum() {
    return members.size() / 2 + 1;
  }

  private static void validate(String id, List<String> members, int electionMin, int electionMax,
      int heartbeat, int maxInflight, int maxEntries, long maxBytes, boolean checkQuorum,
      boolean leaseRead, boolean unsafe, Set<PlantedBug> bugs) {
    if (members.isEmpty()) {
      throw new ConfigException("members: at least one member is required");
    }
    Set<String> seen = new HashSet<>();
    for (String m : members) {
      if (m == null || !NODE_ID.matcher(m).matches()) {
        throw new ConfigException("members: node id '" + m + "' must be 1 to 64 of [A-Za-z0-9_.-]");
      }
      if (!seen.add(m)) {
        throw new ConfigException("members: node id '" + m + "' appears twice");
      }
    }
    if (id == null || !seen.contains(id)) {
      throw new ConfigException("id: '" + id + "' is not one of the members " + members);
    }
    if (electionMin < 1) {
      throw new ConfigException("electionTicksMin: must be >= 1, got " + electionMin);
    }
    if (electionMax < electionMin) {
      throw new ConfigException("electionTicksMax: must be >= electionTicksMin (" + electionMin + "), got " + electionMax);
    }
    if (heartbeat < 1) {
      throw new ConfigException("heartbeatTicks: must be >= 1, got " + heartbeat);
    }
    if (heartbeat >= electionMin && !unsafe) {
      throw new ConfigException("heartbeatTicks: must be below electionTicksMin (" + electionMin + "), got "
          + heartbeat + "; followers would time out between heartbeats (set unsafe to run it anyway)");
    }
    if (maxInflight < 1 || maxInflight > 1_000_000) {
      throw new ConfigException("maxInflightAppends: must be in 1..1000000, got " + maxInflight);
    }
    if (maxEntries < 1) {
      throw new ConfigException("maxEntriesPerAppend: must be >= 1, got " + maxEntries);
    }
    if (maxBytes < 1) {
      throw new ConfigException("maxBytesPerAppend: must be >= 1, got " + maxBytes);
    }
    if (leaseRead && !checkQuorum && !unsafe) {
      throw new ConfigException("leaseRead: requires checkQuorum, or a deposed leader could serve stale reads");
    }
    if (!bugs.isEmpty() && !unsafe) {
      throw new ConfigException("plantedBugs: " + bugs + " make the node unsafe; set unsafe to plant them");
    }
  }

  /** Defaults: election 10..20 ticks, heartbeat every tick, pre-vote and check-quorum on, no leases. */
  public static final class Builder {
    private String id;
    private final List<String> members;
    private int electionTicksMin = 10;
    private int electionTicksMax = 20;
    private int heartbeatTicks = 1;
    private int maxInflightAppends = 256;
    private int maxEntriesPerAppend = 1024;
    private long maxBytesPerAppend = 1 << 20;
    private boolean preVote = true;
    private boolean checkQuorum = true;
    private boolean leaseRead;
    private boolean unsafe;
    private Set<PlantedBug> plantedBugs = Set.of();

    private Builder(String id, List<String> members) {
      this.id = id;
      this.members = members;
    }

    public Builder id(String v) { this.id = v; return this; }
    public Builder electionTicks(int min, int max) { this.electionTicksMin = min; this.electionTicksMax = max; return this; }
    public Builder heartbeatTicks(int v) { this.heartbeatTicks = v; return this; }
    public Builder maxInflightAppends(int v) { this.maxInflightAppends = v; return this; }
    public Builder maxEntriesPerAppend(int v) { this.maxEntriesPerAppend = v; return this; }
    public Builder maxBytesPerAppend(long v) { this.maxBytesPerAppend = v; return this; }
    public Builder preVote(boolean v) { this.preVote = v; return this; }
    public Builder checkQuorum(boolean v) { this.checkQuorum = v; return this; }
    public Builder leaseRead(boolean v) { this.leaseRead = v; return this; }
    public Builder unsafe(boolean v) { this.unsafe = v; return this; }
    public Builder plantedBugs(Set<PlantedBug> v) { this.plantedBugs = v; return this; }

    public Config build() {
      return new Config(id, members, electionTicksMin, electionTicksMax, heartbeatTicks, maxInflightAppends,
          maxEntriesPerAppend, maxBytesPerAppend, preVote, checkQuorum, leaseRead, unsafe, plantedBugs);
    }
  }
}
