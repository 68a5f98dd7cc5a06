package io.imaginggateway.mapping.v2;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text from HL7 v2 fields as a reader should see it. HAPI's parser already resolves the delimiter escapes
 * (\F\ \S\ \T\ \R\ \E\); what remains are the formatting commands of FT/TX text: \.br\ and \.sp n\ become line
 * breaks, \.ce\ a line break before centred text, the others (\.in\, \.ti\, \.sk\, \.fi\, \.nf\, \H\, \N\) are
 * dropped, and \Xhh..\ hexadecimal data becomes the characters it encodes (as ISO-8859-1 bytes).
 */
public final class V2Text {

    private static final Pattern FORMATTING = Pattern.compile("\\\\(\\.br|\\.sp ?\\+?(\\d*)|\\.ce|\\.(in|ti|sk) ?[+-]?\\d*|\\.fi|\\.nf|H|N|X([0-9A-Fa-f]*))\\\\");

    private V2Text() {}

    public static String plain(String value) {
        if (value == null || value.indexOf('\\') < 0) {
            return value;
        }
        Matcher m = FORMATTING.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String command = m.group(1);
            String replacement;
            if (command.equals(".br") || command.equals(".ce")) {
                replacement = "\n";
            } else if (command.startsWith(".sp")) {
                replacement = "\n".repeat(m.group(2).isEmpty() ? 1 : Math.max(1, Integer.parseInt(m.group(2))));
            } else if (command.startsWith("X")) {
                replacement = hex(m.group(4));
            } else {
                replacement = "";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String hex(String digits) {
        StringBuilder chars = new StringBuilder();
        for (int i = 0; i + 1 < digits.length(); i += 2) {
            chars.append((char) Integer.parseInt(digits.substring(i, i + 2), 16));
        }
        return chars.toString();
    }
}
