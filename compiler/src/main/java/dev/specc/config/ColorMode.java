package dev.specc.config;

public enum ColorMode {
    GRAYSCALE(1), RGB(3);

    private final int channels;

    ColorMode(int channels) {
        this.channels = channels;
    }

    public int channels() {
        return channels;
    }

    public static ColorMode ofChannels(int channels) {
        return channels == 1 ? GRAYSCALE : RGB;
    }
}
