package io.imaginggateway.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PeerAllowListTest {

    @Test
    void emptyListsAllowEveryone() {
        PeerAllowList anyone = new PeerAllowList(List.of(), List.of(), List.of());
        assertThat(anyone.refusesAddress(InetAddresses.of("203.0.113.9"))).isNull();
        assertThat(anyone.refusesSender("ANY^THING")).isNull();
        assertThat(anyone.refusesAeTitle("ANYAE")).isNull();
    }

    @Test
    void addressesMatchByCidrRangeInBothIpVersions() {
        PeerAllowList peers = new PeerAllowList(List.of("10.1.2.0/24", "192.0.2.7", "2001:db8::/32"), List.of(), List.of());
        assertThat(peers.refusesAddress(InetAddresses.of("10.1.2.200"))).isNull();
        assertThat(peers.refusesAddress(InetAddresses.of("10.1.3.1"))).contains("10.1.3.1");
        assertThat(peers.refusesAddress(InetAddresses.of("192.0.2.7"))).isNull();
        assertThat(peers.refusesAddress(InetAddresses.of("192.0.2.8"))).isNotNull();
        assertThat(peers.refusesAddress(InetAddresses.of("2001:db8:ffff::1"))).isNull();
        assertThat(peers.refusesAddress(InetAddresses.of("2001:db9::1"))).isNotNull();
    }

    @Test
    void sendersMatchMsh3AndMsh4WithWildcards() {
        PeerAllowList peers = new PeerAllowList(List.of(), List.of("EPIC^GENHOSP", "RIS^*"), List.of());
        assertThat(peers.refusesSender("EPIC^GENHOSP")).isNull();
        assertThat(peers.refusesSender("RIS^ANYWHERE")).isNull();
        assertThat(peers.refusesSender("EPIC^OTHER")).contains("EPIC^OTHER");
        assertThat(peers.refusesSender("XRIS^A")).isNotNull();
    }

    @Test
    void aRangeThatIsNotAnAddressFailsTheStart() {
        assertThatThrownBy(() -> new PeerAllowList(List.of("ris.hospital.example"), List.of(), List.of()))
                .hasMessageContaining("ris.hospital.example");
        assertThatThrownBy(() -> new PeerAllowList(List.of("10.0.0.0/33"), List.of(), List.of()))
                .hasMessageContaining("10.0.0.0/33");
    }
}
