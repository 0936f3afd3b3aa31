package io.edgestream.schemas.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void everySecretSettingOfKafkaSaslSslAndARegistryIsMasked() {
        for (String key :
                new String[] {
                    "sasl.jaas.config",
                    "ssl.truststore.password",
                    "ssl.keystore.password",
                    "ssl.key.password",
                    "ssl.keystore.key",
                    "sasl.oauthbearer.client.credentials.client.secret",
                    "sasl.login.token",
                    "kafka.sasl.jaas.config",
                    "confluent.api.key",
                    "cloud.apikey",
                    "schema.registry.basic.auth.user.info",
                    "registry.password",
                    "registry.basic.auth",
                    "registry.bearer.token",
                    "private.key.pem",
                    "SASL.JAAS.CONFIG"
                }) {
            assertThat(Secrets.isSecret(key)).as(key).isTrue();
            assertThat(Secrets.printable(key, "hunter2")).as(key).isEqualTo(Secrets.MASK);
        }
    }

    @Test
    void ordinarySettingsArePrintedAsTheyAre() {
        for (String key :
                new String[] {
                    "bootstrap.servers",
                    "security.protocol",
                    "sasl.mechanism",
                    "ssl.truststore.location",
                    "ssl.truststore.type",
                    "max.request.size",
                    "acks",
                    "isolation.level"
                }) {
            assertThat(Secrets.isSecret(key)).as(key).isFalse();
            assertThat(Secrets.printable(key, "v")).isEqualTo("v");
        }
    }

    @Test
    void aWholeSetOfSettingsIsPrintedSortedWithSecretsMasked() {
        assertThat(
                        Secrets.printable(
                                Map.of(
                                        "sasl.jaas.config", "x required password=\"p\";",
                                        "acks", "all")))
                .containsExactly(
                        Map.entry("acks", "all"), Map.entry("sasl.jaas.config", Secrets.MASK));
    }
}
