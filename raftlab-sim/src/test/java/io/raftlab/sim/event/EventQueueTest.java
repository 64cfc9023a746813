package io.raftlab.sim.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EventQueueTest {

  private static SimEvent tick(int node) {
    return new SimEvent(SimEvent.Kind.TICK, node, 0, 0, null, null);
  }

  @Test
  void eventsFireInTimeOrderAndSameTimeEventsInSchedulingOrder() {
    EventQueue q = new EventQueue();
    SplittableRandom r = new SplittableRandom(7);
    for (int i = 0; i < 2000; i++) {
      q.schedule(r.nextLong(50), tick(i));
    }
    long lastTime = -1;
    int lastNodeAtSameTime = -1;
    int polled = 0;
    SimEvent e;
    while ((e = q.poll()) != null) {
      polled++;
      assertThat(e.time()).isGreaterThanOrEqualTo(lastTime);
      if (e.time() == lastTime) {
        assertThat(e.node).isGreaterThan(lastNodeAtSameTime);
      }
      lastTime = e.time();
      lastNodeAtSameTime = e.node;
      assertThat(q.now()).isEqualTo(e.time());
    }
    assertThat(polled).isEqualTo(2000);
  }

  @Test
  void afterIsRelativeToTheCurrentEvent() {
    EventQueue q = new EventQueue();
    q.schedule(100, tick(0));
    q.poll();
    q.after(5, tick(1));
    List<Long> times = new ArrayList<>();
    times.add(q.poll().time());
    assertThat(times).containsExactly(105L);
  }

  @Test
  void schedulingInThePastIsRefused() {
    EventQueue q = new EventQueue();
    q.schedule(10, tick(0));
    q.poll();
    assertThatThrownBy(() -> q.schedule(9, tick(1))).hasMessageContaining("before the current time 10");
  }
}
