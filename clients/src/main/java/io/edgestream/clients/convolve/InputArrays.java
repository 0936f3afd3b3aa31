package io.edgestream.clients.convolve;

import io.edgestream.clients.cli.ExitCodes;
import io.edgestream.clients.cli.ToolException;
import io.edgestream.clients.consume.NpyReader;
import io.edgestream.clients.produce.ImageFiles;
import io.edgestream.imaging.decode.DecodeLimits;
import io.edgestream.imaging.decode.ImageDecodeException;
import io.edgestream.imaging.image.ImageF32;
import io.edgestream.schemas.ImageEncoding;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The inputs {@code convolve} understands, told apart by their first bytes: a NumPy {@code .npy}
 * array ((h, w) or (h, w, c)), an image file (JPEG, PNG, BMP, TIFF; depth kept, values 0..255 or
 * 0..65535), and otherwise a text matrix (one row per line, numbers separated by spaces, commas or
 * semicolons, {@code #} comments).
 */
public final class InputArrays {
    private InputArrays() {}

    /**
     * Reads an image file, a .npy array or a text matrix as floats.
     *
     * @throws ToolException ({@link ExitCodes#FAILED}) if the file cannot be read or understood
     */
    public static ImageF32 read(Path in) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(in);
        } catch (IOException e) {
            throw new ToolException(
                    "cannot read " + in.toAbsolutePath() + ": " + e, ExitCodes.FAILED, e);
        }
        try {
            if (bytes.length >= 6 && (bytes[0] & 0xFF) == 0x93 && bytes[1] == 'N') {
                return NpyReader.read(bytes, in.toString());
            }
            ImageEncoding enc = ImageFiles.sniff(bytes);
            if (enc != null) {
                return ImageFiles.decode(bytes, enc, DecodeLimits.DEFAULT).toF32();
            }
            return parseMatrix(new String(bytes, StandardCharsets.UTF_8), in.toString());
        } catch (IOException | ImageDecodeException e) {
            throw new ToolException(
                    "cannot read " + in + ": " + e.getMessage(), ExitCodes.FAILED, e);
        }
    }

    /** A text matrix: one row per line, numbers separated by whitespace or commas, '#' comments. */
    public static ImageF32 parseMatrix(String text, String where) throws IOException {
        List<float[]> rows = new ArrayList<>();
        int lineNo = 0;
        for (String line : text.split("\\R")) {
            lineNo++;
            int hash = line.indexOf('#');
            String t = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (t.isEmpty()) {
                continue;
            }
            String[] parts = t.split("[,\\s;]+");
            float[] row = new float[parts.length];
            for (int i = 0; i < parts.length; i++) {
                try {
                    row[i] = Float.parseFloat(parts[i]);
                } catch (NumberFormatException e) {
                    throw new IOException(
                            where
                                    + " line "
                                    + lineNo
                                    + ": '"
                                    + parts[i]
                                    + "' is not a number (IN must be an image, a .npy file or a text"
                                    + " matrix)");
                }
            }
            if (!rows.isEmpty() && row.length != rows.get(0).length) {
                throw new IOException(
                        where
                                + " line "
                                + lineNo
                                + ": "
                                + row.length
                                + " values, but the first row has "
                                + rows.get(0).length);
            }
            rows.add(row);
        }
        if (rows.isEmpty()) {
            throw new IOException(
                    where
                            + ": no numbers found (IN must be an image, a .npy file or a text matrix)");
        }
        int w = rows.get(0).length;
        float[] data = new float[rows.size() * w];
        for (int y = 0; y < rows.size(); y++) {
            System.arraycopy(rows.get(y), 0, data, y * w, w);
        }
        return ImageF32.wrap(data, w, rows.size(), 1);
    }
}
