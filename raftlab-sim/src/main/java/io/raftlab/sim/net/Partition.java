package io.raftlab.sim.net;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A set of directed links cut together. {@code shape} names how it was drawn (halves, isolate,
 * one-way, bridge, random-links); {@code nodes} are the nodes on the cut side, for reports.
 */
public record Partition(String shape, int[] nodes, List<int[]> links) {

  /** Draws a partition of one of the shapes for a cluster of {@code n} nodes (n >= 2). */
  public static Partition random(int n, RandomGenerator random) {
    int pick = random.nextInt(5);
    boolean[] side = new boolean[n];
    switch (pick) {
      case 0 -> { // isolate one node both ways
        side[random.nextInt(n)] = true;
        return between("isolate", side, true, true);
      }
      case 1 -> { // two groups, both ways
        randomSide(side, random);
        return between("halves", side, true, true);
      }
      case 2 -> { // one-way: the side can send but not hear (or the reverse)
        randomSide(side, random);
        boolean out = random.nextBoolean();
        return between(out ? "one-way-out" : "one-way-in", side, out, !out);
      }
      case 3 -> { // bridge: two groups that only one node connects (overlapping majorities)
        if (n < 3) {
          randomSide(side, random);
          return between("halves", side, true, true);
        }
        int bridge = random.nextInt(n);
        List<int[]> links = new ArrayList<>();
        boolean[] groupA = new boolean[n];
        for (int i = 0; i < n; i++) {
          groupA[i] = i != bridge && random.nextBoolean();
        }
        for (int a = 0; a < n; a++) {
          for (int b = 0; b < n; b++) {
            if (a != bridge && b != bridge && a != b && groupA[a] && !groupA[b]) {
              links.add(new int[] {a, b});
              links.add(new int[] {b, a});
            }
          }
        }
        return new Partition("bridge", sideNodes(groupA), links);
      }
      default -> { // independent one-way cuts of random links
        List<int[]> links = new ArrayList<>();
        boolean[] touched = new boolean[n];
        for (int a = 0; a < n; a++) {
          for (int b = 0; b < n; b++) {
            if (a != b && random.nextInt(4) == 0) {
              links.add(new int[] {a, b});
              touched[a] = true;
            }
          }
        }
        return new Partition("random-links", sideNodes(touched), links);
      }
    }
  }

  /** Cuts links from the marked side to the rest ({@code out}) and/or from the rest to it ({@code in}). */
  public static Partition between(String shape, boolean[] side, boolean out, boolean in) {
    List<int[]> links = new ArrayList<>();
    for (int a = 0; a < side.length; a++) {
      for (int b = 0; b < side.length; b++) {
        if (side[a] && !side[b]) {
          if (out) {
            links.add(new int[] {a, b});
          }
          if (in) {
            links.add(new int[] {b, a});
          }
        }
      }
    }
    return new Partition(shape, sideNodes(side), links);
  }

  private static void randomSide(boolean[] side, RandomGenerator random) {
    int n = side.length;
    int size = 1 + random.nextInt(n - 1);
    for (int k = 0; k < size; k++) {
      int i;
      do {
        i = random.nextInt(n);
      } while (side[i]);
      side[i] = true;
    }
  }

  private static int[] sideNodes(boolean[] side) {
    int count = 0;
    for (boolean b : side) {
      count += b ? 1 : 0;
    }
    int[] out = new int[count];
    int k = 0;
    for (int i = 0; i < side.length; i++) {
      if (side[i]) {
        out[k++] = i;
      }
    }
    return out;
  }

  public void apply(SimulatedNetwork network) {
    for (int[] l : links) {
      network.block(l[0], l[1]);
    }
  }

  public void heal(SimulatedNetwork network) {
    for (int[] l : links) {
      network.unblock(l[0], l[1]);
    }
  }
}
