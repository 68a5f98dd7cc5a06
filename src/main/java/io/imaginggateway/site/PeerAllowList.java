package io.imaginggateway.site;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may send on a feed ({@code gateway.site.peers}, or a feed's own). Each list empty means anyone; a peer must
 * pass every list that is not empty.
 *
 * @param addresses     IP addresses and CIDR ranges ({@code 10.1.2.0/24}, {@code 2001:db8::/32}) its MLLP and DICOM
 *                      peers connect from
 * @param senders       MSH-3^MSH-4 of the HL7 senders it takes; {@code *} stands for any text ({@code RIS^*})
 * @param dicomAeTitles calling AE titles of the DICOM peers it takes
 */
public record PeerAllowList(@DefaultValue List<String> addresses, @DefaultValue List<String> senders,
        @DefaultValue List<String> dicomAeTitles) {

    public PeerAllowList {
        addresses.forEach(PeerAllowList::range); // a typo fails the start, not every connection
    }

    /** Null when the address (an IP literal, read only when the list is not empty) may connect, else why not. */
    public String refusesAddress(String ipLiteral) {
        return addresses.isEmpty() ? null : refusesAddress(InetAddresses.of(ipLiteral));
    }

    /** Null when the address may connect, else why not. */
    public String refusesAddress(InetAddress address) {
        if (addresses.isEmpty() || addresses.stream().anyMatch(range -> contains(range, address))) {
            return null;
        }
        return "address " + address.getHostAddress() + " is not in the feed's peers.addresses";
    }

    /** Null when MSH-3^MSH-4 may send, else why not. */
    public String refusesSender(String sender) {
        if (senders.isEmpty() || senders.stream().anyMatch(glob -> glob(glob).matcher(sender).matches())) {
            return null;
        }
        return "sender " + sender + " (MSH-3^MSH-4) is not in the feed's peers.senders";
    }

    /** Null when the calling AE title may associate, else why not. */
    public String refusesAeTitle(String callingAeTitle) {
        if (dicomAeTitles.isEmpty() || dicomAeTitles.contains(callingAeTitle)) {
            return null;
        }
        return "calling AE title " + callingAeTitle + " is not in the feed's peers.dicom-ae-titles";
    }

    private static Pattern glob(String glob) {
        return Pattern.compile(Arrays.stream(glob.split("\\*", -1)).map(Pattern::quote).collect(Collectors.joining(".*")));
    }

    private static boolean contains(String range, InetAddress address) {
        Range parsed = range(range);
        byte[] network = parsed.network();
        int prefix = parsed.prefix();
        byte[] candidate = address.getAddress();
        if (candidate.length != network.length) {
            return false;
        }
        for (int bit = 0; bit < prefix; bit++) {
            int mask = 0x80 >> (bit % 8);
            if ((candidate[bit / 8] & mask) != (network[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** A range's network address bytes and prefix length. */
    private record Range(byte[] network, int prefix) { }

    private static Range range(String range) {
        String[] parts = range.strip().split("/", 2);
        try {
            byte[] network = InetAddresses.of(parts[0]).getAddress();
            int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : network.length * 8;
            if (prefix < 0 || prefix > network.length * 8) {
                throw new IllegalArgumentException("peers.addresses: bad prefix length in '" + range + "'");
            }
            return new Range(network, prefix);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("peers.addresses: '" + range + "' is not an IP address or CIDR range", e);
        }
    }
}
