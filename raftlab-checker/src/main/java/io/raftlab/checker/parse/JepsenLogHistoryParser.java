package io.raftlab.checker.parse;

import io.raftlab.checker.history.History;
import io.raftlab.checker.history.HistoryBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads Jepsen text logs, where operation lines look like
 *
 * <pre>INFO  jepsen.util - 3	:invoke	:write	4</pre>
 *
 * <p>(tab or space separated: process, :invoke/:ok/:fail/:info, function, value — an integer,
 * nil, or [expected new] for cas; anything after the value is ignored, e.g. an error text on an
 * :info line). Lines that are not operation lines are skipped, as are :nemesis lines. Time is the
 * line number, since Jepsen logs are written in event order.
 */
public final class JepsenLogHistoryParser implements HistoryParser {
  // A process number, then :type and :f; the value (if any) is parsed as EDN from the rest.
  private static final Pattern OPERATION =
      Pattern.compile("(?:^|\\s)(\\d+|:nemesis)\\s+:(invoke|ok|fail|info)\\s+:([A-Za-z][\\w-]*)(?:\\s+(.*))?$");

  @Override
  public History parse(String source, Reader reader) throws IOException, HistoryParseException {
    HistoryBuilder builder = new HistoryBuilder(source);
    BufferedReader lines = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
    String text;
    int lineNo = 0;
    while ((text = lines.readLine()) != null) {
      lineNo++;
      Matcher m = OPERATION.matcher(text);
      if (!m.find() || m.group(1).equals(":nemesis")) {
        continue;
      }
      int process;
      try {
        process = Integer.parseInt(m.group(1));
      } catch (NumberFormatException e) {
        throw new HistoryParseException(source, lineNo, m.start(1) + 1, "process " + m.group(1) + " is out of int range");
      }
      Object value = null;
      if (m.group(4) != null && !m.group(4).isBlank()) {
        int column = m.start(4) + 1;
        try {
          value = JepsenEvents.fromEdn(new EdnReader(m.group(4), lineNo, column).read());
        } catch (EdnReader.EdnSyntaxException e) {
          throw new HistoryParseException(source, lineNo, e.column(), "cannot read the value: " + e.getMessage());
        }
      }
      JepsenEvents.add(builder, process, m.group(2), m.group(3), value, lineNo, "", null, source, lineNo, m.start(3));
    }
    return builder.build();
  }
}
