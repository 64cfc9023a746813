package io.raftlab.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EndpointAddressTest {

  @Test
  void hostPortAndBracketedIpv6AreParsed() {
    assertThat(EndpointAddress.parse("127.0.0.1:4321", "x")).isEqualTo(new EndpointAddress("127.0.0.1", 4321));
    assertThat(EndpointAddress.parse(" [::1]:80 ", "x")).isEqualTo(new EndpointAddress("::1", 80));
    assertThat(new EndpointAddress("::1", 80)).hasToString("[::1]:80");
    assertThat(EndpointAddress.parseList("a:1,b:2", "x")).hasSize(2);
  }

  @Test
  void malformedEndpointsAreRejectedNamingTheParameterAndAllowedRange() {
    assertThatThrownBy(() -> EndpointAddress.parse("localhost", "--endpoints"))
        .hasMessageContaining("--endpoints").hasMessageContaining("host:port");
    assertThatThrownBy(() -> EndpointAddress.parse("h:70000", "--endpoints"))
        .hasMessageContaining("70000").hasMessageContaining("1..65535");
    assertThatThrownBy(() -> EndpointAddress.parse("h:abc", "--endpoints")).hasMessageContaining("not a number");
    assertThatThrownBy(() -> EndpointAddress.parse("::1:80", "--endpoints")).hasMessageContaining("brackets");
    assertThatThrownBy(() -> EndpointAddress.parseList("a:1,a:1", "--endpoints")).hasMessageContaining("twice");
    assertThatThrownBy(() -> EndpointAddress.parseList(" ", "--endpoints")).hasMessageContaining("no endpoints");
  }
}
