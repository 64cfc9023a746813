package io.raftlab.chaos.report;

import java.awt.Color;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** One colour per fault kind, the same in the timeline and in the plots. */
final class FaultPalette {
  private static final Map<String, Color> KNOWN =
      Map.of(
          "kill", new Color(0xd6, 0x27, 0x28),
          "pause", new Color(0xff, 0x7f, 0x0e),
          "partition", new Color(0x94, 0x67, 0xbd),
          "block", new Color(0x8c, 0x56, 0x4b),
          "delay", new Color(0x17, 0xbe, 0xcf),
          "clock", new Color(0xbc, 0xbd, 0x22));
  private static final List<Color> OTHERS =
      List.of(new Color(0xe3, 0x77, 0xc2), new Color(0x7f, 0x7f, 0x7f), new Color(0x1f, 0x77, 0xb4),
          new Color(0x2c, 0xa0, 0x2c), new Color(0x39, 0x3b, 0x79), new Color(0x63, 0x79, 0x39));

  private final Map<String, Color> colors = new LinkedHashMap<>();

  FaultPalette(List<FaultInterval> faults) {
    int next = 0;
    for (String kind : new TreeSet<>(faults.stream().map(FaultInterval::fault).toList())) {
      Color c = KNOWN.get(kind);
      if (c == null) {
        c = OTHERS.get(next++ % OTHERS.size());
      }
      colors.put(kind, c);
    }
  }

  Color color(String fault) {
    return colors.getOrDefault(fault, Color.GRAY);
  }

  String hex(String fault) {
    Color c = color(fault);
    return String.format("#%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue());
  }

  Map<String, Color> all() {
    return colors;
  }
}
