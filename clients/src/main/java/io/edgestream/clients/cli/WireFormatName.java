package io.edgestream.clients.cli;

/**
 * The two framings of an Avro value on Kafka that the tools speak ({@code --wire-format}), named as
 * the job's {@code wire.format} option names them.
 *
 * <ul>
 *   <li>{@link #SINGLE_OBJECT}: Avro single-object encoding, {@code C3 01} + the 8-byte schema
 *       fingerprint + the body ({@code io.edgestream.schemas.wire.AvroWire}); no registry needed.
 *   <li>{@link #REGISTRY}: the schema-registry framing, {@code 00} + the 4-byte schema id + the
 *       body ({@code io.edgestream.schemas.registry.RegistryWire}); what Confluent, Apicurio,
 *       Karapace and Redpanda serializers write and registry-aware tools read.
 * </ul>
 */
public enum WireFormatName {
    SINGLE_OBJECT,
    REGISTRY;

    /** The framing a value starts with: {@code 00} registry, {@code C3 01} single-object. */
    public static WireFormatName of(byte[] value) {
        if (value != null && value.length > 0 && value[0] == 0) {
            return REGISTRY;
        }
        if (value != null && value.length > 1 && value[0] == (byte) 0xC3 && value[1] == 0x01) {
            return SINGLE_OBJECT;
        }
        return null;
    }

    /** As written on the command line: {@code single-object}, {@code registry}. */
    public String cliName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
