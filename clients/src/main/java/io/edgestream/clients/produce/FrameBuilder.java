package io.edgestream.clients.produce;

import io.edgestream.clients.cli.BrokerCheck;
import io.edgestream.imaging.decode.DecodedImage;
import io.edgestream.imaging.decode.ImageDecodeException;
import io.edgestream.imaging.decode.ImageHeader;
import io.edgestream.schemas.ImageEncoding;
import io.edgestream.schemas.ImageFrame;
import io.edgestream.schemas.PixelFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the {@link ImageFrame} records {@code produce-images} sends, without Kafka.
 *
 * <ul>
 *   <li>A file: its encoding from its magic bytes ({@link ImageFiles#sniff}); its header read with
 *       the core's decoder, so width and height are filled in and a file the job would reject is
 *       refused here; sent as it is ({@code channels} 0: "from the header"), or decoded to packed
 *       pixels with {@code --raw}. Id {@code <source>/<}{@link #contentId}{@code >}, capture time
 *       the file's modification time, attribute {@code file} (the file name).
 *   <li>A synthetic frame: {@link SyntheticCamera} pixels as RAW, id {@code <source>/<sequence, 6
 *       digits>}, attribute {@code synthetic=true}.
 * </ul>
 *
 * Every frame gets the run's source id, batch id and {@code --attr} attributes.
 */
final class FrameBuilder {

    /** A file's frame, or why the file is left out. */
    record Outcome(ImageFrame frame, ProduceImages.Skipped skipped) {}

    private final ProduceImages.Options o;
    private final String source;

    FrameBuilder(ProduceImages.Options o) {
        this.o = o;
        this.source = o.sourceId();
    }

    /** The frame of one file, with sequence number {@code seq}. */
    Outcome fromFile(InputFiles.Input in, long seq) {
        byte[] bytes;
        long mtime;
        try {
            bytes = Files.readAllBytes(in.path());
            mtime = Files.getLastModifiedTime(in.path()).toMillis();
        } catch (IOException | SecurityException e) {
            return skip(in, "unreadable: " + BrokerCheck.rootMessage(e));
        }
        ImageEncoding enc = ImageFiles.sniff(bytes);
        if (enc == null) {
            return skip(in, "not a JPEG, PNG, BMP or TIFF file (by its first bytes)");
        }
        String id = source + "/" + contentId(bytes);
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("file", in.path().getFileName().toString());
        try {
            if (o.raw) {
                DecodedImage img = ImageFiles.decode(bytes, enc, o.limits);
                attrs.put("originalEncoding", enc.name());
                attrs.put("bitDepth", String.valueOf(img.bitDepth()));
                return new Outcome(
                        frame(
                                id,
                                seq,
                                mtime,
                                img.width(),
                                img.height(),
                                img.channels(),
                                PixelFormat.valueOf(img.format().name()),
                                ImageEncoding.RAW,
                                ImageFiles.packRaw(img),
                                attrs),
                        null);
            }
            ImageHeader h = ImageFiles.probe(bytes, enc, o.limits);
            attrs.put("bitDepth", String.valueOf(h.bitDepth()));
            // channels 0: "take it from the header", so the job's decoder has the last word.
            return new Outcome(
                    frame(id, seq, mtime, h.width(), h.height(), 0, null, enc, bytes, attrs), null);
        } catch (ImageDecodeException e) {
            return skip(
                    in, enc + " rejected by the decoder (" + e.failure() + "): " + e.getMessage());
        } catch (RuntimeException e) {
            return skip(in, enc + " could not be read: " + BrokerCheck.rootMessage(e));
        }
    }

    private static Outcome skip(InputFiles.Input in, String reason) {
        return new Outcome(null, new ProduceImages.Skipped(in.display(), reason));
    }

    /** Synthetic frame {@code seq} of {@code cam}, captured at {@code captureMs}. */
    ImageFrame synthetic(SyntheticCamera cam, long seq, long captureMs) {
        return frame(
                String.format(Locale.ROOT, "%s/%06d", source, seq),
                seq,
                captureMs,
                cam.width(),
                cam.height(),
                cam.channels(),
                cam.format(),
                ImageEncoding.RAW,
                cam.frame(seq),
                Map.of("synthetic", "true"));
    }

    private ImageFrame frame(
            String id,
            long seq,
            long captureMs,
            int w,
            int h,
            int c,
            PixelFormat pf,
            ImageEncoding enc,
            byte[] data,
            Map<String, String> extra) {
        Map<String, String> attrs = new LinkedHashMap<>(extra);
        attrs.putAll(o.attributes);
        return ImageFrame.newBuilder()
                .setImageId(id)
                .setSourceId(source)
                .setCaptureTimeMs(captureMs)
                .setSequence(seq)
                .setBatchId(o.batchId)
                .setWidth(w)
                .setHeight(h)
                .setChannels(c)
                .setPixelFormat(pf)
                .setEncoding(enc)
                .setData(ByteBuffer.wrap(data))
                .setAttributes(attrs)
                .build();
    }

    /**
     * The first 16 hex digits (64 bits) of the SHA-256 of {@code bytes}: the stable part of an
     * image id.
     */
    static String contentId(byte[] bytes) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
