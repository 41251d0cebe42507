package dev.headend.media;

/** Elementary stream classes the segmenter cares about, from PMT stream types. */
enum StreamKind {
    VIDEO,
    AUDIO,
    OTHER;

    static StreamKind ofStreamType(int type) {
        return switch (type) {
            case 0x01, 0x02, 0x10, 0x1b, 0x24, 0x42, 0xd1, 0xea -> VIDEO;
            case 0x03, 0x04, 0x0f, 0x11, 0x81, 0x87 -> AUDIO;
            default -> OTHER;
        };
    }
}
