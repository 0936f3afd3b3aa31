package io.edgestream.job;

import io.edgestream.job.DeclaredOptions.Declared;
import java.util.ArrayList;
import java.util.List;

/**
 * The options table of {@code docs/options.md}, made from the declarations in {@link
 * EdgeJobOptions}: one Markdown table (option, type, default, description) per {@link
 * JobOption.Group}, written between {@link #BEGIN} and {@link #END} in that file.
 */
final class OptionsTable {
    static final String BEGIN = "<!-- options:begin -->";
    static final String END = "<!-- options:end -->";

    private OptionsTable() {}

    /** The generated tables, starting and ending with a newline. */
    static String markdown() {
        StringBuilder sb = new StringBuilder();
        JobOption.Group group = null;
        for (Declared d : DeclaredOptions.all()) {
            if (d.info().group() != group) {
                group = d.info().group();
                sb.append("\n### ").append(group.title()).append("\n\n");
                sb.append("| option | type | default | description |\n");
                sb.append("|---|---|---|---|\n");
            }
            sb.append("| `")
                    .append(d.key())
                    .append("` | ")
                    .append(cell(type(d)))
                    .append(" | ")
                    .append(cell(defaultValue(d)))
                    .append(" | ")
                    .append(cell(d.description()))
                    .append(" |\n");
        }
        return sb.append('\n').toString();
    }

    /** {@code document} with the text between the markers replaced by {@code table}. */
    static String replaceTable(String document, String table) {
        int begin = document.indexOf(BEGIN);
        int end = document.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException(
                    "the document has no " + BEGIN + " ... " + END + " block");
        }
        return document.substring(0, begin + BEGIN.length()) + table + document.substring(end);
    }

    /** The text between the markers of {@code document}. */
    static String currentTable(String document) {
        int begin = document.indexOf(BEGIN);
        int end = document.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException(
                    "the document has no " + BEGIN + " ... " + END + " block");
        }
        return document.substring(begin + BEGIN.length(), end);
    }

    /** The form of the value: the declared {@link JobOption#form()}, else from the type. */
    static String type(Declared d) {
        if (!d.info().form().isEmpty()) {
            return d.info().form();
        }
        Class<?> t = d.type();
        String type;
        if (t.isEnum()) {
            List<String> names = new ArrayList<>();
            for (Object c : t.getEnumConstants()) {
                names.add("`" + ((Enum<?>) c).name() + "`");
            }
            type = "enum: " + String.join(", ", names);
        } else if (t == Integer.class) {
            type = "int";
        } else if (t == Long.class) {
            type = "long";
        } else {
            type = t.getSimpleName().toLowerCase(java.util.Locale.ROOT);
        }
        return d.info().min() == Long.MIN_VALUE ? type : type + " ≥ " + d.info().min();
    }

    /** The default: {@link JobOption#shownDefault()}, else the declared one, else "(none)". */
    static String defaultValue(Declared d) {
        if (!d.info().shownDefault().isEmpty()) {
            return d.info().shownDefault();
        }
        if (!d.option().hasDefaultValue()) {
            return "(none)";
        }
        return "`" + d.printable(d.option().defaultValue()) + "`";
    }

    /** {@code text} fit for a table cell: no line breaks, pipes escaped. */
    private static String cell(String text) {
        return text.replace("\n", " ").replace("|", "\\|");
    }
}
