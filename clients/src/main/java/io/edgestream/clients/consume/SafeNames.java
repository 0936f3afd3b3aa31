package io.edgestream.clients.consume;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Turns image ids and filter names, which are free text chosen by producers, into safe file and
 * directory names. Rules:
 *
 * <ul>
 *   <li>a name made only of {@code A-Z a-z 0-9 . _ -}, not starting with {@code .}, at most 100
 *       characters long, is used as it is (so {@code cam-1-000042} stays {@code cam-1-000042});
 *   <li>otherwise every other character (e.g. {@code /}, space, {@code :}, non-ASCII) becomes
 *       {@code _}, a leading {@code .} becomes {@code _}, the result is cut to 100 characters, and
 *       {@code ~} plus the first 10 hex digits of the SHA-256 of the original (UTF-8) is appended,
 *       so two ids that differ only in replaced characters still get different directories: {@code
 *       cam-1/3fa9c2} becomes {@code cam-1_3fa9c2~5d41402abc}.
 * </ul>
 *
 * Because {@code ~} never appears in an unchanged name, a changed name cannot collide with an
 * unchanged one. The original id is kept in the gallery and in {@code stats.jsonl}.
 */
public final class SafeNames {
    static final int MAX_LENGTH = 100;

    private SafeNames() {}

    /** The safe file or directory name for {@code id}. */
    public static String of(String id) {
        return isSafe(id) ? id : changed(id);
    }

    /**
     * The changed form of {@code id} whether or not it is safe: other characters replaced, cut, and
     * {@code ~} plus the hash appended. Never equal to an unchanged name.
     */
    public static String changed(String id) {
        StringBuilder sb = new StringBuilder(Math.min(id.length(), MAX_LENGTH) + 11);
        for (int i = 0; i < id.length() && sb.length() < MAX_LENGTH; i++) {
            char c = id.charAt(i);
            sb.append(allowed(c) && !(i == 0 && c == '.') ? c : '_');
        }
        return sb.append('~').append(hash(id)).toString();
    }

    static boolean isSafe(String id) {
        if (id.isEmpty() || id.length() > MAX_LENGTH || id.charAt(0) == '.') {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            if (!allowed(id.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean allowed(char c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || c == '.'
                || c == '_'
                || c == '-';
    }

    private static String hash(String id) {
        try {
            byte[] d =
                    MessageDigest.getInstance("SHA-256")
                            .digest(id.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
