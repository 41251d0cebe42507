package dev.headend.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headend.support.TestImages;
import java.util.Base64;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class FrameCheckTest {
    @Test
    void imagesAreRecognisedWithTheirSize() {
        FrameCheck.Result.Image jpeg = (FrameCheck.Result.Image) FrameCheck.binary(TestImages.jpeg(1280, 720, 400),
                1000);
        assertThat(jpeg.kind()).isEqualTo("jpeg");
        assertThat(jpeg.width()).isEqualTo(1280);
        assertThat(jpeg.height()).isEqualTo(720);
        FrameCheck.Result.Image png = (FrameCheck.Result.Image) FrameCheck.binary(TestImages.png(33, 44), 1000);
        assertThat(png.kind()).isEqualTo("png");
        assertThat(png.width()).isEqualTo(33);
        assertThat(png.height()).isEqualTo(44);
        byte[] webp = "RIFF\0\0\0\0WEBPVP8X\0\0\0\0\0\0\0\0\u007f\u0002\0\u00df\u0001\0".getBytes(
                java.nio.charset.StandardCharsets.ISO_8859_1);
        FrameCheck.Result.Image w = (FrameCheck.Result.Image) FrameCheck.binary(webp, 1000);
        assertThat(w.kind()).isEqualTo("webp");
        assertThat(w.width()).isEqualTo(640);
        assertThat(w.height()).isEqualTo(480);
    }

    @Test
    void eachKindOfBadFrameHasItsReason() {
        assertThat(FrameCheck.binary(new byte[0], 10)).isEqualTo(new FrameCheck.Result.Invalid("empty frame"));
        assertThat(FrameCheck.binary(new byte[] {1, 2, 3}, 10)).isEqualTo(new FrameCheck.Result.Invalid(
                "no image signature (JPEG, PNG or WebP) in a frame of 3 bytes"));
        assertThat(FrameCheck.binary(TestImages.jpeg(1, 1, 101), 100)).isEqualTo(new FrameCheck.Result.Invalid(
                "frame of 101 bytes is over the limit of 100 bytes"));
        assertThat(FrameCheck.dataUrl("data:image/png,abc", 100)).isEqualTo(new FrameCheck.Result.Invalid(
                "text frame is not a data:image/...;base64, URL"));
        assertThat(FrameCheck.dataUrl("data:image/png;base64,@@@@", 100)).isEqualTo(new FrameCheck.Result.Invalid(
                "data URL is not valid base64"));
        String big = Base64.getEncoder().encodeToString(TestImages.jpeg(1, 1, 3000));
        assertThat(FrameCheck.dataUrl("data:image/jpeg;base64," + big, 100))
                .isInstanceOf(FrameCheck.Result.Invalid.class);
    }

    @Test
    void aDataUrlCarriesTheSameImageAsABinaryFrame() {
        byte[] jpeg = TestImages.jpeg(20, 10, 64);
        FrameCheck.Result.Image image = (FrameCheck.Result.Image) FrameCheck.dataUrl("data:image/jpeg;base64,"
                + Base64.getEncoder().encodeToString(jpeg), 100);
        assertThat(image.bytes()).isEqualTo(jpeg);
        assertThat(image.width()).isEqualTo(20);
    }

    @Property
    void arbitraryBytesNeverThrow(@ForAll byte[] bytes) {
        byte[] withJpegStart = new byte[bytes.length + 3];
        withJpegStart[0] = (byte) 0xff;
        withJpegStart[1] = (byte) 0xd8;
        withJpegStart[2] = (byte) 0xff;
        System.arraycopy(bytes, 0, withJpegStart, 3, bytes.length);
        assertThat(FrameCheck.binary(bytes, 1 << 20)).isNotNull();
        assertThat(FrameCheck.binary(withJpegStart, 1 << 20)).isInstanceOf(FrameCheck.Result.Image.class);
    }
}
