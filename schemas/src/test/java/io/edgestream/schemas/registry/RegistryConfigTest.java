package io.edgestream.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RegistryConfigTest {

    @Test
    void toStringNamesTheKindOfCredentialsButNeverTheirValue() {
        RegistryConfig basic =
                RegistryConfig.of("http://127.0.0.1:8081/apis/ccompat/v7/")
                        .withBasicAuth("alice:s3cret-pw");
        RegistryConfig bearer = RegistryConfig.of("http://r:1").withBearerToken("tok-123456");

        assertThat(basic.url()).isEqualTo("http://127.0.0.1:8081/apis/ccompat/v7");
        assertThat(basic.toString()).contains("basic-auth").doesNotContain("s3cret-pw");
        assertThat(basic.toString()).doesNotContain("alice");
        assertThat(bearer.toString()).contains("bearer token").doesNotContain("tok-123456");
        assertThat(basic.authorizationHeader()).isEqualTo("Basic YWxpY2U6czNjcmV0LXB3");
        assertThat(bearer.authorizationHeader()).isEqualTo("Bearer tok-123456");
        assertThat(RegistryConfig.of("http://r:1").authorizationHeader()).isNull();
    }

    @Test
    void urlWithCredentialsIsRefusedWithoutRepeatingThem() {
        assertThatThrownBy(() -> RegistryConfig.of("http://bob:hunter2@registry:8081"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("basic-auth")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void malformedBasicAuthIsRefusedWithoutRepeatingIt() {
        assertThatThrownBy(() -> RegistryConfig.of("http://r:1").withBasicAuth("justapassword"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("user:password")
                .hasMessageNotContaining("justapassword");
    }

    @Test
    void timeoutsMustBePositive() {
        RegistryConfig c =
                RegistryConfig.of("https://r:1")
                        .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.readTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThatThrownBy(() -> c.withTimeouts(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void subjectNamesFollowTopicNameStrategy() {
        assertThat(SubjectNames.topicValue("images")).isEqualTo("images-value");
        assertThat(SubjectNames.topicKey("images")).isEqualTo("images-key");
        assertThatThrownBy(() -> SubjectNames.topicValue(" "))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
