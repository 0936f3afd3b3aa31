package io.edgestream.clients.consume;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

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
 *       cam-1/3fa9c2} becomes {@code cam-1_3fa9c2~4c89102ad6}.
 * </ul>
 *
 * Because {@code ~} never appears in an unchanged name, a changed name cannot collide with an
 * unchanged one. The original id is kept in the gallery and in {@code stats.jsonl}. A name that
 * Windows reserves for a device ({@code CON}, {@code NUL}, {@code COM1}, ... also with an
 * extension, ignoring case) is never used as it is either: it gets the changed form, with a {@code
 * _} in front.
 *
 * <p>{@link #named} makes the directory name of an image from the name people know it by (its file
 * name, {@code EdgeStats.sourceName}) and its id: letters and digits of any script are kept (after
 * NFC normalisation), every other character but {@code . _ -} becomes {@code _}, the result is cut
 * to 100 UTF-8 bytes, and {@code ~} plus 10 hex digits of the SHA-256 of the image id is appended:
 * {@code board.jpg} → {@code board.jpg~} and 10 hex digits. The suffix comes from the id alone, so
 * two images both called {@code board.jpg} get different directories, and the same image gets the
 * same one in every run, whatever order records arrive in.
 */
public final class SafeNames {
    static final int MAX_LENGTH = 100;

    private SafeNames() {}

    /** The safe file or directory name for {@code id}. */
    public static String of(String id) {
        return isSafe(id) ? id : changed(id);
    }

    /**
     * The directory name of the image {@code imageId} known to people as {@code name} (see the
     * class comment): readable, safe on every common file system, and unique per image id.
     */
    public static String named(String name, String imageId) {
        String n = Normalizer.normalize(name, Normalizer.Form.NFC);
        StringBuilder sb = new StringBuilder(Math.min(n.length(), MAX_LENGTH) + 12);
        int bytes = 0;
        for (int i = 0; i < n.length(); ) {
            int cp = n.codePointAt(i);
            i += Character.charCount(cp);
            boolean keep =
                    cp < 0x80
                            ? allowed((char) cp)
                            : Character.isLetterOrDigit(cp)
                                    || (sb.length() > 0
                                            && isMark(cp)
                                            && sb.charAt(sb.length() - 1) != '_');
            int c = keep ? cp : '_';
            int len = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
            if (bytes + len > MAX_LENGTH) {
                break;
            }
            sb.appendCodePoint(c);
            bytes += len;
        }
        if (sb.length() > 0 && sb.charAt(0) == '.') {
            sb.setCharAt(0, '_');
        }
        if (reserved(sb)) {
            sb.insert(0, '_');
        }
        return sb.append('~').append(hash(imageId)).toString();
    }

    private static boolean isMark(int cp) {
        int t = Character.getType(cp);
        return t == Character.NON_SPACING_MARK || t == Character.COMBINING_SPACING_MARK;
    }

    /**
     * True if Windows reserves {@code name} for a device: its part before the first {@code .} (and
     * before any {@code ~}) is CON, PRN, AUX, NUL, COM0-9 or LPT0-9 (also ¹²³), ignoring case.
     */
    static boolean reserved(CharSequence name) {
        String n = name.toString();
        int end = n.length();
        for (int i = 0; i < n.length(); i++) {
            if (n.charAt(i) == '.' || n.charAt(i) == '~') {
                end = i;
                break;
            }
        }
        String base = n.substring(0, end).stripTrailing().toUpperCase(Locale.ROOT);
        return RESERVED.matcher(base).matches();
    }

    private static final Pattern RESERVED =
            Pattern.compile("CON|PRN|AUX|NUL|(COM|LPT)[0-9\u00b9\u00b2\u00b3]");

    /**
     * The changed form of {@code id} whether or not it is safe: other characters replaced, cut, and
     * {@code ~} plus the hash appended. Never equal to an unchanged name.
     */
    public static String changed(String id) {
        StringBuilder sb = new StringBuilder(Math.min(id.length(), MAX_LENGTH) + 12);
        for (int i = 0; i < id.length() && sb.length() < MAX_LENGTH; i++) {
            char c = id.charAt(i);
            sb.append(allowed(c) && !(i == 0 && c == '.') ? c : '_');
        }
        if (reserved(sb)) {
            sb.insert(0, '_');
        }
        return sb.append('~').append(hash(id)).toString();
    }

    static boolean isSafe(String id) {
        if (id.isEmpty() || id.length() > MAX_LENGTH || id.charAt(0) == '.' || reserved(id)) {
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
