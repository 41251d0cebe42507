package dev.headend.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChannelIdsTest {
    @Test
    void guideIdsAndNamesBecomeIdsOfTheIdRules() {
        assertThat(ChannelIds.normalise("CNN.us")).hasValue("cnn-us");
        assertThat(ChannelIds.normalise("Télé 5 HD")).hasValue("tele-5-hd");
        assertThat(ChannelIds.normalise("  --News__24 !! ")).hasValue("news__24");
        assertThat(ChannelIds.normalise("_hidden")).hasValue("hidden");
        assertThat(ChannelIds.normalise("ＡＢＣ")).as("full-width letters").hasValue("abc");
        assertThat(ChannelIds.normalise("Straße")).hasValue("stra-e");
    }

    @Test
    void longTextIsCutTo64CharactersWithoutATrailingDash() {
        assertThat(ChannelIds.normalise("a".repeat(100))).hasValue("a".repeat(64));
        assertThat(ChannelIds.normalise("a".repeat(63) + " b")).hasValue("a".repeat(63));
    }

    @Test
    void textWithoutALetterOrDigitGivesNoId() {
        assertThat(ChannelIds.normalise("")).isEmpty();
        assertThat(ChannelIds.normalise("★ ★ ★")).isEmpty();
        assertThat(ChannelIds.normalise("___---")).isEmpty();
    }
}
