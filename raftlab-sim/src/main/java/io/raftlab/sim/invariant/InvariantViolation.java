package io.raftlab.sim.invariant;

/** Thrown by a check that failed; the simulator stops the run and reports it. */
public final class InvariantViolation extends RuntimeException {

  private final Property property;
  private final String evidence;

  public InvariantViolation(Property property, String evidence) {
    super(property.title() + ": " + evidence, null, false, false);
    this.property = property;
    this.evidence = evidence;
  }

  public Property property() {
    return property;
  }

  public String evidence() {
    return evidence;
  }
}
