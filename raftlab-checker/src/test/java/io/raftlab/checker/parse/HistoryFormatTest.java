package io.raftlab.checker.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryFormatTest {
  @TempDir Path dir;

  @Test
  void formatIsDetectedFromExtensionThenContent() throws Exception {
    assertThat(HistoryFormat.detect(write("a.jsonl", "x"))).isEqualTo(HistoryFormat.JSONL);
    assertThat(HistoryFormat.detect(write("a.edn", "x"))).isEqualTo(HistoryFormat.EDN);
    assertThat(HistoryFormat.detect(write("a.txt", "\n{\"process\":0}"))).isEqualTo(HistoryFormat.JSONL);
    assertThat(HistoryFormat.detect(write("b.txt", "[{:process 0}]"))).isEqualTo(HistoryFormat.EDN);
    assertThat(HistoryFormat.detect(write("c.txt", "{:process 0}"))).isEqualTo(HistoryFormat.EDN);
    assertThat(HistoryFormat.detect(write("d.log", "INFO  jepsen.util - 3\t:invoke\t:write\t4"))).isEqualTo(HistoryFormat.JEPSEN);
  }

  @Test
  void autoReadsEachFormatToTheSameHistory() throws Exception {
    var jsonl = HistoryFormat.AUTO.read(write("h.jsonl", """
        {"process":0,"type":"invoke","f":"write","value":4,"time":1}
        {"process":0,"type":"ok","f":"write","value":4,"time":2}
        """));
    var edn = HistoryFormat.AUTO.read(write("h2.txt", "[{:process 0 :type :invoke :f :write :value 4 :time 1} {:process 0 :type :ok :f :write :value 4 :time 2}]"));
    var log = HistoryFormat.AUTO.read(write("h3.log", "INFO  jepsen.util - 0\t:invoke\t:write\t4\nINFO  jepsen.util - 0\t:ok\t:write\t4\n"));
    assertThat(jsonl.get(0).describe()).isEqualTo(edn.get(0).describe()).isEqualTo(log.get(0).describe());
  }

  private Path write(String name, String text) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }
}
