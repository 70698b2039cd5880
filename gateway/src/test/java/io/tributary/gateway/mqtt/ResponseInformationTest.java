package io.tributary.gateway.mqtt;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ResponseInformationTest {

    @Test
    void theTemplateNamesTheClientAndItsUser() {
        assertThat(ResponseInformation.forClient("responses/%c", "sensor-7", null)).isEqualTo("responses/sensor-7");
        assertThat(ResponseInformation.forClient("replies/%u/%c", "sensor-7", "plant-a"))
                .isEqualTo("replies/plant-a/sensor-7");
    }

    @Test
    void thereIsNoneWhenTheTemplateIsEmptyOrTheResultIsNoTopicName() {
        assertThat(ResponseInformation.forClient("", "sensor-7", null)).isNull();
        assertThat(ResponseInformation.forClient("responses/%c", "a/#", null)).isNull();
        assertThat(ResponseInformation.forClient("replies/%u", "sensor-7", "bad+user")).isNull();
    }
}
