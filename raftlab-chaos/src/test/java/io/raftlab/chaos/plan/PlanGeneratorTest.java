package io.raftlab.chaos.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class PlanGeneratorTest {

  private static final PlanGenerator.Options FIVE = PlanGenerator.Options.defaults(5, 200);

  @Test
  void theSameSeedGivesTheSamePlanByteForByte() {
    for (long seed = 0; seed < 20; seed++) {
      String a = new PlanGenerator(FIVE).generate(seed).render();
      String b = new PlanGenerator(PlanGenerator.Options.defaults(5, 200)).generate(seed).render();
      assertThat(b).isEqualTo(a);
    }
  }

  @Test
  void differentSeedsGiveDifferentPlans() {
    Set<String> texts = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      texts.add(new PlanGenerator(FIVE).generate(PlanGenerator.planSeed(7, i)).render());
    }
    assertThat(texts).hasSize(50);
    assertThat(PlanGenerator.planSeed(7, 0)).isNotEqualTo(PlanGenerator.planSeed(8, 0));
  }

  @Test
  void everyEventIsPossibleAndAtMostAMinorityIsEverDown() {
    for (long seed = 0; seed < 300; seed++) {
      Plan p = new PlanGenerator(FIVE).generate(seed);
      int maxDown = replay(p, 5);
      assertThat(maxDown).as("seed %d", seed).isLessThanOrEqualTo(2);
    }
  }

  @Test
  void aMajorityGoesDownOnlyWhenAsked() {
    PlanGenerator.Options killHappy = FIVE.withWeights(Map.of("KILL", "30", "PAUSE", "30", "REV", "1", "RESUME", "1")).allowingMajorityDown();
    int worst = 0;
    for (long seed = 0; seed < 50; seed++) {
      worst = Math.max(worst, replay(new PlanGenerator(killHappy).generate(seed), 5));
    }
    assertThat(worst).isGreaterThanOrEqualTo(3);
    PlanGenerator.Options bounded = FIVE.withWeights(Map.of("KILL", "30", "PAUSE", "30", "REV", "1", "RESUME", "1"));
    for (long seed = 0; seed < 50; seed++) {
      assertThat(replay(new PlanGenerator(bounded).generate(seed), 5)).isLessThanOrEqualTo(2);
    }
  }

  @Test
  void everyKindOfEventAppearsAndOffsetsGrow() {
    Plan p = new PlanGenerator(FIVE.withEvents(2000)).generate(3);
    String text = p.render();
    for (String kw : new String[] {" GET ", " SET ", " KILL ", " REV ", " PART ", " PART1 ", " BRIDGE ", " HEAL ", " HEALALL", " PAUSE ", " RESUME "}) {
      assertThat(text).contains(kw);
    }
    assertThat(p.clients()).containsExactly("c0", "c1", "c2");
  }

  @Test
  void badWeightsAreNamed() {
    assertThatThrownBy(() -> FIVE.withWeights(Map.of("KILLL", "1"))).hasMessageContaining("KILLL").hasMessageContaining("PART1");
    assertThatThrownBy(() -> FIVE.withWeights(Map.of("KILL", "x"))).hasMessageContaining("weight of KILL");
  }

  /**
   * Replays {@code p} on a model of its own (not {@link FaultState}), asserts every event was
   * possible and the plan ends whole; returns the most nodes down at once.
   */
  private static int replay(Plan p, int nodes) {
    Set<String> killed = new TreeSet<>();
    Set<String> paused = new TreeSet<>();
    Set<String> cut = new TreeSet<>();
    int maxDown = 0;
    for (Plan.Timed t : p.events()) {
      PlanEvent e = t.event();
      String line = t.render();
      if (e instanceof PlanEvent.Kill k) {
        assertThat(killed.contains(k.node()) || paused.contains(k.node())).as(line).isFalse();
        killed.add(k.node());
      } else if (e instanceof PlanEvent.Revive r) {
        assertThat(killed.remove(r.node())).as(line).isTrue();
      } else if (e instanceof PlanEvent.Pause x) {
        assertThat(killed.contains(x.node()) || paused.contains(x.node())).as(line).isFalse();
        paused.add(x.node());
      } else if (e instanceof PlanEvent.Resume r) {
        assertThat(paused.remove(r.node())).as(line).isTrue();
      } else if (e instanceof PlanEvent.Partition x) {
        assertThat(x.a()).as(line).isNotEqualTo(x.b());
        assertThat(cut.contains(x.a() + ">" + x.b()) && cut.contains(x.b() + ">" + x.a())).as(line).isFalse();
        cut.add(x.a() + ">" + x.b());
        cut.add(x.b() + ">" + x.a());
      } else if (e instanceof PlanEvent.PartitionOneWay x) {
        assertThat(cut.add(x.from() + ">" + x.to())).as(line).isTrue();
      } else if (e instanceof PlanEvent.Bridge b) {
        int n = Integer.parseInt(b.node().substring(1));
        java.util.List<String> others = new java.util.ArrayList<>();
        for (int i = 1; i <= nodes; i++) {
          if (i != n) {
            others.add("n" + i);
          }
        }
        boolean any = false;
        for (String a : others.subList(0, others.size() / 2)) {
          for (String c : others.subList(others.size() / 2, others.size())) {
            any |= cut.add(a + ">" + c);
            any |= cut.add(c + ">" + a);
          }
        }
        assertThat(any).as(line + " cut something new").isTrue();
      } else if (e instanceof PlanEvent.Heal h) {
        boolean a = cut.remove(h.a() + ">" + h.b());
        boolean b = cut.remove(h.b() + ">" + h.a());
        assertThat(a || b).as(line).isTrue();
      } else if (e instanceof PlanEvent.HealAll) {
        assertThat(cut).as(line).isNotEmpty();
        cut.clear();
      }
      maxDown = Math.max(maxDown, killed.size() + paused.size());
    }
    assertThat(killed).as("killed at the end").isEmpty();
    assertThat(paused).as("paused at the end").isEmpty();
    assertThat(cut).as("cut at the end").isEmpty();
    return maxDown;
  }
}
