package io.raftlab.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses option values like 500ms, 5s, 2m into a Duration within a range. */
final class DurationOption {
  private static final Pattern FORM = Pattern.compile("(\\d{1,9})(ms|s|m)");

  private DurationOption() {}

  static Duration parse(String text, String option, Duration min, Duration max) {
    Matcher m = FORM.matcher(text == null ? "" : text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(option + ": '" + text + "' is not a duration; write e.g. 500ms, 5s or 2m");
    }
    long n = Long.parseLong(m.group(1));
    Duration d = switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      default -> Duration.ofMinutes(n);
    };
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      throw new IllegalArgumentException(option + ": " + text + " is outside the allowed range "
          + min.toMillis() + "ms.." + max.toSeconds() + "s");
    }
    return d;
  }
}
