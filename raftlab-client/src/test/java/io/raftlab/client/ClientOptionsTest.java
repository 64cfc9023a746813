package io.raftlab.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClientOptionsTest {

  @Test
  void outOfRangeOptionsAreRejectedWithTheirName() {
    assertThatThrownBy(() -> ClientOptions.builder().maxAttempts(0).build())
        .hasMessageContaining("maxAttempts").hasMessageContaining("1..1000");
    assertThatThrownBy(() -> ClientOptions.builder().callTimeout(Duration.ZERO).build())
        .hasMessageContaining("callTimeout");
    assertThatThrownBy(() -> ClientOptions.builder().backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)).build())
        .hasMessageContaining("backoffMax");
  }

  @Test
  void singleAttemptMeansOneRpcAndNoRedirects() {
    ClientOptions o = ClientOptions.defaults().singleAttempt();
    assertThat(o.maxAttempts()).isEqualTo(1);
    assertThat(o.followRedirects()).isFalse();
  }

  @Test
  void backoffDoublesFromBaseStaysWithinMaxAndIsJitteredDownToHalf() {
    ExponentialBackoff b = new ExponentialBackoff(Duration.ofMillis(10), Duration.ofMillis(100));
    for (int i = 0; i < 200; i++) {
      assertThat(b.delayNanos(1)).isBetween(5_000_000L, 10_000_000L);
      assertThat(b.delayNanos(3)).isBetween(20_000_000L, 40_000_000L);
      assertThat(b.delayNanos(60)).isBetween(50_000_000L, 100_000_000L);
    }
  }
}
